"""The public read model (smartcity.public): progress for citizens, and never a name or an internal note.

The figures are those of the hand-worked plan in tests/ui_fixtures.py (7 Oct 2024). The plan's
owners ("Kabid Statistik", "@Budi") and notes ('=HYPERLINK(...)') must not leave the module.
Three actions are done: I-02 of Disdukcapil (integration), C-01 and C-03 of Dinkes (collaboration).
"""
from dataclasses import fields, is_dataclass

import pandas as pd
import pytest

from smartcity.kpi import load_kpis
from smartcity.public import PRIVATE_COLUMNS, PUBLIC_COLUMNS, completed_actions, public_view
from smartcity.store import open_store
from tests.ui_fixtures import D, add, build_plan

SCRIPT = "<script>alert('x')</script> Taman baca"
# Every text of the plan that is a person's name or an internal note.
PRIVATE_TEXTS = ("Kabid Statistik", "@Budi", "HYPERLINK", "Pak Rahmat", "Kendala anggaran", "Rapat ulang", "test")


def plan_with_private_text(store):
    """The plan, plus a completed action whose activity is markup and whose every private field is filled."""
    build_plan(store)
    add(store, "DINKES", "C-03", D, pillar="collaboration", activity=SCRIPT, target=1, actual=1,
        owner="Pak Rahmat", notes="=1+1", obstacle="Kendala anggaran", follow_up="Rapat ulang")
    from smartcity.kpi import recompute_kpis

    recompute_kpis(store)
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = plan_with_private_text(open_store(tmp_path_factory.mktemp("public") / "t.duckdb"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def view(store):
    return public_view(store, "id")


@pytest.fixture(scope="module")
def completed(store, view) -> pd.DataFrame:
    """The first page of every pillar's completed actions, together."""
    return pd.concat([p.rows for p in completed_actions(store, view.as_of).values()], ignore_index=True)


def _tables(obj) -> list[pd.DataFrame]:
    """Every DataFrame reachable from a dataclass (its fields, lists of dataclasses)."""
    found = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, pd.DataFrame):
                found.append(item)
            elif is_dataclass(item):
                found += _tables(item)
    return found


def _field_names(obj) -> set[str]:
    names = set()
    for f in fields(obj):
        names.add(f.name)
        value = getattr(obj, f.name)
        for item in value if isinstance(value, list) else [value]:
            if is_dataclass(item):
                names |= _field_names(item)
    return names


def test_no_whitelisted_column_is_private():
    for table, columns in PUBLIC_COLUMNS.items():
        assert not PRIVATE_COLUMNS & set(columns), table


def test_no_private_column_is_ever_returned(view, completed):
    tables = _tables(view)
    assert len(tables) == 2
    for df in [*tables, completed]:
        assert not PRIVATE_COLUMNS & set(df.columns), list(df.columns)
    assert not PRIVATE_COLUMNS & _field_names(view)


def test_each_table_has_exactly_its_whitelisted_columns(view, completed):
    assert tuple(view.agencies.columns) == PUBLIC_COLUMNS["agencies"]
    assert tuple(view.kpis.columns) == PUBLIC_COLUMNS["kpis"]
    assert tuple(completed.columns) == PUBLIC_COLUMNS["completed"]


def test_no_name_or_note_of_the_plan_appears_in_any_cell(view, completed):
    cells = [str(v) for df in [*_tables(view), completed] for v in df.astype(str).to_numpy().ravel()]
    leaked = [(text, cell) for text in PRIVATE_TEXTS for cell in cells if text in cell]
    assert leaked == []


def test_progress_per_pillar_is_the_dashboards(view):
    # 8 actions: the plan's 7 and C-03 (done, achievement 100%) in collaboration.
    assert view.as_of == D
    assert view.total.actions == 8
    assert round(view.total.achievement, 1) == round((4.05 + 1) / 8 * 100, 1)       # 63,1%
    shown = {p.key: round(p.achievement, 1) for p in view.pillars}
    assert shown == {"integration": 66.7, "collaboration": round(2.75 / 3 * 100, 1), "sustainability": 15.0}
    assert round(view.pillars[0].absorption, 1) == 65.7                             # 1,15 M of 1,75 M



def test_the_figures_are_those_of_the_internal_pages(store, view):
    # One query makes the public cards and agency table (views.plan_figures): they must be Ringkasan's and OPD's.
    from smartcity.views import Filters, agency_table, overview

    internal = overview(store, Filters(as_of=D))
    assert (view.total, view.pillars) == (internal.total, internal.pillars)
    expected = agency_table(store, Filters(as_of=D), D)[list(PUBLIC_COLUMNS["agencies"])]
    pd.testing.assert_frame_equal(view.agencies, expected, check_dtype=False)

def test_agencies_best_first_without_codes_or_people(view):
    agencies = view.agencies
    assert list(agencies["agency_short"]) == ["Disdukcapil", "Dinkes", "Diskominfo", "DLH"]
    dinkes = agencies.set_index("agency_short").loc["Dinkes"]
    assert dinkes["actions"] == 3 and dinkes["done"] == 2
    assert round(dinkes["achievement"], 1) == round(2.75 / 3 * 100, 1)


def test_only_the_kpis_marked_public(view):
    public = [k.id for k in load_kpis() if k.public]
    assert list(view.kpis["kpi_id"]) == public
    assert "late_or_at_risk" not in public                                         # marked public: false
    achievement = view.kpis.set_index("kpi_id").loc["achievement"]
    assert round(achievement["value"], 1) == 63.1 and achievement["name"] == "Capaian rencana aksi"


def test_completed_actions_with_their_activity_verbatim(completed):
    assert sorted(completed["activity"]) == sorted(["Integrasi data kependudukan", "Kemitraan posyandu digital",
                                                    SCRIPT])
    assert SCRIPT in set(completed["activity"])                                     # text, rendered as text


def test_completed_actions_come_a_page_per_pillar_with_their_total(store, view):
    # Pages of one action: collaboration's two (C-01 before C-03, by agency then code) make two pages.
    first = completed_actions(store, view.as_of, page_size=1)
    assert {p: (c.total, c.pages) for p, c in first.items()} == {
        "integration": (1, 1), "collaboration": (2, 2), "sustainability": (0, 1)}
    assert list(first["collaboration"].rows["activity"]) == ["Kemitraan posyandu digital"]
    assert (first["collaboration"].first, first["collaboration"].last) == (1, 1)
    second = completed_actions(store, view.as_of, {"collaboration": 2}, page_size=1)["collaboration"]
    assert list(second.rows["activity"]) == [SCRIPT] and (second.page, second.first, second.last) == (2, 2, 2)
    assert completed_actions(store, view.as_of, {"collaboration": 7}, page_size=1)["collaboration"].page == 2
    assert first["sustainability"].rows.empty and first["sustainability"].first == 0


def test_an_empty_database_has_no_public_view(tmp_path):
    with open_store(tmp_path / "empty.duckdb") as s:
        assert public_view(s) is None
