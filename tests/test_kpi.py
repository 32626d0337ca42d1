"""KPI definitions: validation with located errors, and values computed by hand from a fixture."""
from datetime import date
from pathlib import Path

import pytest

from smartcity.errors import InvalidKpiDefinitions
from smartcity.kpi import KpiDefinition, compute_kpis, load_kpis, recompute_kpis
from smartcity.report import summary_report
from smartcity.store import open_store
from tests.storefix import add_snapshot

D = date(2024, 10, 7)
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}


@pytest.fixture
def store():
    """Four actions on 7 Oct 2024 (elapsed 280/365 = 0.767):

    DINKES/A1 integration: target 100, actual 100 -> achievement 1.0, done; budget 1.000.000 spent 800.000
    DINKES/A2 integration: target 100, actual 150 -> achievement 1.5 (capped 1.0), done; budget 1.000.000 spent 1.000.000
    DLH/B1 sustainability: target 10, actual 2 -> achievement 0.2, progress 0.2: late; budget 2.000.000 spent 200.000
    DLH/B2 collaboration: target 50, actual 40 -> achievement 0.8, progress 0.8: on track; no budget
    """
    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A1", D, target=100, actual=100, budget=1_000_000, budget_spent=800_000, **YEAR)
    add_snapshot(s, "DINKES", "A2", D, target=100, actual=150, budget=1_000_000, budget_spent=1_000_000, **YEAR)
    add_snapshot(s, "DLH", "B1", D, pillar="sustainability", target=10, actual=2, budget=2_000_000,
                 budget_spent=200_000, **YEAR)
    add_snapshot(s, "DLH", "B2", D, pillar="collaboration", target=50, actual=40, **YEAR)
    yield s
    s.close()


def _values(store, kpi_id):
    kpis = [k for k in load_kpis() if k.id == kpi_id]
    return {(r[1], r[2]): r for r in compute_kpis(store, D, kpis)}


def test_shipped_definitions_validate_and_cover_every_pillar():
    kpis = load_kpis()
    assert len(kpis) >= 8
    assert {k.pillar for k in kpis} >= {"all", "integration", "collaboration", "sustainability"}


def test_achievement_averages_capped_actions(store):
    # capped achievements 1.0, 1.0, 0.2, 0.8 -> mean 0.75 -> 75%; 75 < amber 76 -> red
    rows = _values(store, "achievement")
    assert rows[("all", "")][4] == pytest.approx(75.0)
    assert rows[("all", "")][6] == "red"
    # per agency: DINKES (1.0 + 1.0) / 2 = 100%; DLH (0.2 + 0.8) / 2 = 50%
    assert rows[("agency", "DINKES")][4] == pytest.approx(100.0)
    assert rows[("agency", "DLH")][4] == pytest.approx(50.0)
    assert rows[("pillar", "integration")][4] == pytest.approx(100.0)


def test_budget_absorption_is_total_spent_over_total_budget(store):
    # (800.000 + 1.000.000 + 200.000) / (1.000.000 + 1.000.000 + 2.000.000) = 2.000.000 / 4.000.000 = 50%
    rows = _values(store, "budget_absorption")
    assert rows[("all", "")][4] == pytest.approx(50.0)
    assert rows[("all", "")][6] == "amber"        # 50 >= amber 50, < green 75
    assert rows[("agency", "DLH")][4] == pytest.approx(10.0)   # 200.000 / 2.000.000


def test_count_kpi_counts_late_and_at_risk(store):
    rows = _values(store, "late_or_at_risk")
    assert rows[("all", "")][4] == 1              # only B1 is late
    assert rows[("agency", "DINKES")][4] == 0


def test_pillar_kpi_is_computed_on_its_pillar_only(store):
    # sustainability absorption: only B1: 200.000 / 2.000.000 = 10% -> red (< amber 50)
    rows = _values(store, "sustainability_absorption")
    assert rows[("all", "")][4] == pytest.approx(10.0)
    assert rows[("all", "")][6] == "red"
    assert ("agency", "DINKES") not in rows       # DINKES has no sustainability action
    assert not any(k[0] == "pillar" for k in rows)


def test_recompute_stores_values_with_their_date_and_replaces_them(store):
    n = recompute_kpis(store)
    assert n > 0
    assert recompute_kpis(store) == n             # recomputing replaces, never duplicates
    count = store.query_one("SELECT count(*) FROM kpi_values WHERE as_of = ?", [D])[0]
    assert count == n


def test_report_gives_pillar_figures_and_kpis(store):
    recompute_kpis(store)
    report = summary_report(store, D)
    assert report["actions"] == 4 and report["agencies"] == 2
    assert report["budget"] == 4_000_000 and report["budget_spent"] == 2_000_000
    assert report["pillars"]["integration"]["achievement"] == pytest.approx(100.0)
    assert report["pillars"]["integration"]["status"]["done"] == 2
    assert report["pillars"]["sustainability"]["status"]["late"] == 1
    ach = next(k for k in report["kpis"] if k["id"] == "achievement")
    assert ach == {"id": "achievement", "pillar": None, "value": 75.0, "target": 90.0, "status": "red"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kpi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_definition_names_the_kpi_and_field(tmp_path):
    path = _write(tmp_path, """
kpis:
  - id: broken
    name: {id: Rusak, en: Broken}
    description: {id: x, en: x}
    unit: percent
    formula:
      numerator: {aggregate: mean, field: password}
""")
    with pytest.raises(InvalidKpiDefinitions) as e:
        load_kpis(path)
    text = e.value.message("en")
    assert "KPI 'broken'" in text and "formula.numerator" in text and "unknown field 'password'" in text


def test_a_formula_cannot_smuggle_sql(tmp_path):
    path = _write(tmp_path, """
kpis:
  - id: sneaky
    name: {id: A, en: A}
    description: {id: x, en: x}
    unit: count
    formula:
      numerator: {aggregate: count, where: [{field: "status; DROP TABLE progress", op: eq, value: late}]}
""")
    with pytest.raises(InvalidKpiDefinitions):
        load_kpis(path)


def test_condition_values_are_bound_not_pasted(store):
    kpi = KpiDefinition.model_validate({
        "id": "x", "name": {"id": "x", "en": "x"}, "description": {"id": "x", "en": "x"}, "unit": "count",
        "formula": {"numerator": {"aggregate": "count", "where": [{"field": "status", "op": "eq",
                                                                   "value": "late'; DROP TABLE progress; --"}]}},
    })
    rows = compute_kpis(store, D, [kpi])
    assert rows[0][4] == 0
    assert store.query_one("SELECT count(*) FROM progress")[0] == 4


def test_lower_is_better_thresholds_reverse():
    kpi = KpiDefinition.model_validate({
        "id": "x", "name": {"id": "x", "en": "x"}, "description": {"id": "x", "en": "x"}, "unit": "percent",
        "direction": "lower", "thresholds": {"green": 5, "amber": 15},
        "formula": {"numerator": {"aggregate": "count"}},
    })
    assert [kpi.rag(v) for v in (5, 10, 20, None)] == ["green", "amber", "red", "none"]
