"""Rupiah spent per quarter (issue 3, point 4): kept per quarter, summed into budget_spent, shown
as the trend inside the year in an action's detail.

Every figure below is written out by hand from the fixtures built in this file (and from
tests/renja_fixture.py for the Renja form).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.renja_fixture import e81_xlsx
from tests.spreadsheets import SheetSpec, csv_bytes, ingest, xlsx

from smartcity import views
from smartcity.pipeline import load_file
from smartcity.quarters import quarter_trend
from smartcity.store import open_store

ROOT = Path(__file__).resolve().parent.parent
K = ("actual_q1", "actual_q2", "actual_q3", "actual_q4")
RP = ("budget_spent_q1", "budget_spent_q2", "budget_spent_q3", "budget_spent_q4")
AS_OF = date(2024, 10, 10)


def quarters(action) -> tuple[list, list, float | None]:
    """(K per quarter, Rp per quarter, budget_spent) of an ingested action."""
    v = action.values
    return [v.get(q) for q in K], [v.get(q) for q in RP], v.get("budget_spent")


def clean(result):
    assert not result.file_problems, [p.located() for p in result.file_problems]
    assert not result.rejected, [p.located() for r in result.rejected for p in r.problems]
    return {a.values["code"]: a for a in result.actions}


# ---------------------------------------------------------------- a template with "Realisasi Anggaran TW I..IV"

TEMPLATE_HEADER = ["Kode", "Pilar", "OPD", "Kegiatan", "Indikator", "Satuan", "Target", "Realisasi TW I",
                   "Realisasi TW II", "Realisasi TW III", "Realisasi TW IV", "Pagu Anggaran",
                   "Realisasi Anggaran TW I", "Realisasi Anggaran TW II", "Realisasi Anggaran TW III",
                   "Realisasi Anggaran TW IV"]
TEMPLATE_ROWS = [
    # a count: 5 + 8 + 12 = 25 datasets; Rp 120.000.000 + 250.000.000 + 310.500.000 = 680.500.000; TW IV empty
    ["SC-01", "Integrasi", "Diskominfo", "Satu Data Kotim", "Jumlah dataset terbuka", "dataset", 40, 5, 8, 12, None,
     1_000_000_000, "Rp 120.000.000", 250_000_000, "310.500.000", None],
    # a percentage: the latest quarter, 85; Rp 0 + 100 + 200 + 50 million = 350.000.000 (a zero is a value)
    ["SC-02", "Integrasi", "Diskominfo", "Jaringan intra pemerintah", "Persentase OPD terhubung", "%", 90,
     40, 55, 70, 85, 400_000_000, 0, 100_000_000, 200_000_000, 50_000_000],
]


def template_file() -> bytes:
    return xlsx([TEMPLATE_HEADER, *TEMPLATE_ROWS])


def test_a_template_keeps_the_rupiah_of_each_quarter_and_sums_them_into_budget_spent():
    actions = clean(ingest(template_file()))
    assert quarters(actions["SC-01"]) == ([5.0, 8.0, 12.0, None], [120_000_000.0, 250_000_000.0, 310_500_000.0, None],
                                          680_500_000.0)
    assert actions["SC-01"].values["actual"] == 25.0          # a count: the sum of the quarters
    assert quarters(actions["SC-02"]) == ([40.0, 55.0, 70.0, 85.0], [0.0, 100_000_000.0, 200_000_000.0, 50_000_000.0],
                                          350_000_000.0)
    assert actions["SC-02"].values["actual"] == 85.0          # a percentage: the latest quarter


def test_an_explicit_budget_spent_column_wins_over_the_sum_of_the_quarters():
    header = [*TEMPLATE_HEADER, "Realisasi Anggaran"]
    # The agency's own year-to-date figure (700 million) is kept even though its quarters add up to 680,5 million.
    rows = [header, TEMPLATE_ROWS[0] + [700_000_000]]
    action = clean(ingest(xlsx(rows)))["SC-01"]
    assert quarters(action)[1:] == ([120_000_000.0, 250_000_000.0, 310_500_000.0, None], 700_000_000.0)


def test_a_negative_quarter_rupiah_rejects_the_row_naming_its_column():
    rows = [TEMPLATE_HEADER, TEMPLATE_ROWS[0][:13] + [-5, None, None]]
    result = ingest(xlsx(rows))
    [problem] = result.rejected[0].problems
    assert (problem.key, problem.column) == ("err.cell.negative", "Realisasi Anggaran TW II")


# ---------------------------------------------------------------- "K | Rp" under "Triwulan I..IV"

KRP_TOP = ["Kode", "Kegiatan", "OPD", "Pilar", "Satuan", "Target", "Pagu (Rp)",
           "Triwulan I", None, "Triwulan II", None, "Triwulan III", None, "Triwulan IV", None]
KRP_SUB = [None] * 7 + ["K", "Rp"] * 4
KRP_ROWS = [
    # 3 + 4 events, TW III and IV not yet reported; Rp 150.000.000 + 200.000.000 = 350.000.000
    ["K-01", "Sosialisasi layanan digital", "Diskominfo", "Kolaborasi", "kegiatan", 12, 600_000_000,
     3, 150_000_000, 4, 200_000_000, None, None, None, None],
    # 1 + 1 + 2 + 0 = 4 forums; Rp 10 + 20 + 30 + 40 million = 100.000.000
    ["K-02", "Forum kota cerdas", "Diskominfo", "Kolaborasi", "forum", 4, 100_000_000,
     1, 10_000_000, 1, 20_000_000, 2, 30_000_000, 0, 40_000_000],
]
KRP_MERGES = ["H1:I1", "J1:K1", "L1:M1", "N1:O1"] + [f"{c}1:{c}2" for c in "ABCDEFG"]


@pytest.mark.parametrize("build, name", [
    (lambda: xlsx(SheetSpec("TW III", [KRP_TOP, KRP_SUB, *KRP_ROWS], merges=KRP_MERGES)), "krp.xlsx"),
    (lambda: csv_bytes([KRP_TOP, KRP_SUB, *KRP_ROWS], delimiter=";"), "krp.csv"),   # no merge information
])
def test_rp_under_each_quarter_is_the_rupiah_spent_in_that_quarter(build, name):
    actions = clean(ingest(build(), name))
    assert quarters(actions["K-01"]) == ([3.0, 4.0, None, None], [150_000_000.0, 200_000_000.0, None, None],
                                         350_000_000.0)
    assert quarters(actions["K-02"]) == ([1.0, 1.0, 2.0, 0.0],
                                         [10_000_000.0, 20_000_000.0, 30_000_000.0, 40_000_000.0], 100_000_000.0)
    assert actions["K-01"].values["budget"] == 600_000_000.0


# ---------------------------------------------------------------- the Renja form (E.81)

def test_the_renja_form_keeps_realisasi_triwulan_rp_per_quarter():
    actions = clean(ingest(e81_xlsx(), "e81.xlsx"))
    # row 12: Rp 200 + 310 + 400 million, TW IV empty; their sum is the year's spending so far
    assert quarters(actions["2.16.03.2.02.0027"]) == (
        [2.0, 1.0, 2.0, None], [200_000_000.0, 310_000_000.0, 400_000_000.0, None], 910_000_000.0)
    # row 13: the second indicator has no money of its own
    assert quarters(actions["2.16.03.2.02.0027-2"])[1:] == ([None] * 4, None)
    # row 19: TW III not yet filled: Rp 50 + 60 million
    assert quarters(actions["2.16.02.2.01.0017"])[1:] == ([50_000_000.0, 60_000_000.0, None, None], 110_000_000.0)


# ---------------------------------------------------------------- stored, and read back for the chart

@pytest.fixture
def loaded_db(tmp_db):
    store = open_store(tmp_db)
    outcome = load_file(store, template_file(), "renaksi_tw4.xlsx", AS_OF)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_rejected) == ("loaded", 2, 0)
    yield store
    store.close()


def action_id(store, code: str) -> int:
    return store.query_one("SELECT id FROM actions WHERE action_code = ?", [code])[0]


def test_the_store_keeps_each_quarters_rupiah_and_the_year_to_date_sum(loaded_db):
    row = loaded_db.query_one(
        f"SELECT {', '.join(RP)}, budget_spent FROM action_state(?::DATE) WHERE action_code = 'SC-01'", [AS_OF])
    assert row == (120_000_000.0, 250_000_000.0, 310_500_000.0, None, 680_500_000.0)


def test_the_quarter_trend_of_an_action_gives_its_four_k_and_rp_values(loaded_db):
    detail = views.action_detail(loaded_db, views.Filters(), action_id(loaded_db, "SC-02"))
    trend = quarter_trend(detail.fields)
    assert [(q.quarter, q.actual, q.budget_spent) for q in trend.quarters] == [
        (1, 40.0, 0.0), (2, 55.0, 100_000_000.0), (3, 70.0, 200_000_000.0), (4, 85.0, 50_000_000.0)]
    assert (trend.rule, trend.unit, trend.target, trend.budget) == ("latest", "%", 90.0, 400_000_000.0)
    # an unreported quarter stays empty, not zero
    sc01 = quarter_trend(views.action_detail(loaded_db, views.Filters(), action_id(loaded_db, "SC-01")).fields)
    assert [(q.actual, q.budget_spent) for q in sc01.quarters][3] == (None, None) and sc01.reported


def test_an_action_without_quarters_has_no_trend_to_show():
    trend = quarter_trend({"actual": 5.0, "target": 10.0, "actual_q1": float("nan"), "budget_spent_q1": None})
    assert not trend.reported and len(trend.quarters) == 4


def test_the_action_detail_shows_the_quarter_chart_in_indonesian(loaded_db, tmp_db, monkeypatch):
    sc01 = action_id(loaded_db, "SC-01")
    loaded_db.close()
    monkeypatch.setenv("SMARTCITY_DB", str(tmp_db))
    from tests.ui_fixtures import signed_in

    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "opd.py"), default_timeout=30))
    at.session_state["filter_agency"] = "DISKOMINFO"
    at.run()
    at.selectbox(key="ag_action").set_value(sc01).run()
    assert not at.exception
    assert "**Realisasi per triwulan**" in [m.value for m in at.markdown]
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    k, rp = spec["data"]
    assert k["x"] == ["TW I", "TW II", "TW III", "TW IV"] and k["y"] == [5.0, 8.0, 12.0, None]
    assert k["text"] == ["5", "8", "12", ""]
    assert rp["y"] == [120_000_000.0, 250_000_000.0, 310_500_000.0, None]
    assert rp["text"][:3] == ["Rp 120 Jt", "Rp 250 Jt", "Rp 310,5 Jt"]
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["Kinerja (K, dataset)", "Realisasi anggaran (Rp)"]
    assert any("jumlah keempat triwulan" in c.value and "Pagu: Rp 1.000.000.000" in c.value for c in at.caption)
