"""The Renja evaluation form (E.81) read as a known layout: sub-activities are the actions, K columns
the performance, Rp columns the money; the pillar comes from the programme code assignments."""
from __future__ import annotations

from datetime import date

import pytest
from tests.renja_fixture import MERGES, e81_rows, e81_xlsx
from tests.spreadsheets import SheetSpec, csv_bytes, ingest, ods, xls, xlsx

from smartcity.auth import Actor
from smartcity.mappings import assign_pillar
from smartcity.pipeline import load_file

QUARTERS = ("actual_q1", "actual_q2", "actual_q3", "actual_q4")

# Worked out by hand from tests/renja_fixture.py (Triwulan III report; TW IV still empty):
# (row, code, target, quarters, actual, rule, budget, budget spent)
EXPECTED = [
    # counts sum: 2 + 1 + 2 = 5 innovations; Rp 200 + 310 + 400 million spent
    (12, "2.16.03.2.02.0027", 8.0, [2.0, 1.0, 2.0, None], 5.0, "sum", 1_500_000_000.0, 910_000_000.0),
    # the second indicator of the same sub-activity: a percentage, the latest quarter; no money of its own
    (13, "2.16.03.2.02.0027-2", 60.0, [40.0, 45.0, 52.0, None], 52.0, "latest", None, None),
    # a percentage: latest 78; Rp 150 + 250 + 200 million
    (14, "2.16.03.2.02.0024", 85.0, [60.0, 70.0, 78.0, None], 78.0, "latest", 900_000_000.0, 600_000_000.0),
    # 10 + 12 + 8 sub-domains; Rp 30 + 40 + 35 million
    (16, "2.16.03.2.01.0004", 45.0, [10.0, 12.0, 8.0, None], 30.0, "sum", 150_000_000.0, 105_000_000.0),
    # TW III not filled yet: 25 + 35 requests; Rp 50 + 60 million
    (19, "2.16.02.2.01.0017", 120.0, [25.0, 35.0, None, None], 60.0, "sum", 250_000_000.0, 110_000_000.0),
]


def summary(result):
    return [(a.row, a.values["code"], a.values["target"], [a.values[q] for q in QUARTERS], a.values["actual"],
             a.values["quarter_rule"], a.values["budget"], a.values["budget_spent"]) for a in result.actions]


def check(result):
    assert not result.file_problems, [p.located() for p in result.file_problems]
    assert not result.rejected, [p.located() for r in result.rejected for p in r.problems]
    assert [w.key for w in result.warnings] == ["warn.sheet.renja"]   # and no total mismatch
    assert summary(result) == EXPECTED


@pytest.mark.parametrize("build, name", [
    (lambda: e81_xlsx(), "e81.xlsx"),                                                    # merged header cells
    (lambda: xls(SheetSpec("E81", e81_rows())), "e81.xls"),                               # no merge information
    (lambda: ods(SheetSpec("E81", e81_rows())), "e81.ods"),
    (lambda: csv_bytes(e81_rows(), delimiter=";"), "e81.csv"),
])
def test_the_form_gives_the_sub_activities_with_quarters_and_money(build, name):
    check(ingest(build(), name))


def test_programme_and_activity_rows_are_sums_not_actions():
    codes = [a.values["code"] for a in ingest(e81_xlsx()).actions]
    assert not {"2.16.03", "2.16.03.2.02", "2.16.03.2.01", "2.16.02", "2.16.02.2.01"} & set(codes)


def test_each_action_knows_its_programme_name_and_code():
    actions = {a.values["code"]: a.values for a in ingest(e81_xlsx()).actions}
    first, last = actions["2.16.03.2.02.0027"], actions["2.16.02.2.01.0017"]
    assert (first["program"], first["program_code"]) == ("PROGRAM PENGELOLAAN APLIKASI INFORMATIKA", "2.16.03")
    assert (last["program"], last["program_code"]) == ("PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK", "2.16.02")
    assert first["activity"].startswith("Implementasi Inovasi Program Kota Cerdas")
    assert (first["indicator"], first["unit"]) == ("Jumlah inovasi kota cerdas yang diimplementasikan", "inovasi")


def test_the_responsible_unit_is_the_owner_and_the_title_the_agency():
    actions = {a.values["code"]: a.values for a in ingest(e81_xlsx()).actions}
    # "Bidang Aplikasi Informatika" is a unit of the agency named in the title: the owner.
    assert (actions["2.16.03.2.02.0027"]["agency_code"], actions["2.16.03.2.02.0027"]["owner"]) == \
        ("DISKOMINFO", "Bidang Aplikasi Informatika")
    # "Diskominfo" is an agency: it is the agency, and no owner is given.
    assert (actions["2.16.03.2.02.0024"]["agency_code"], actions["2.16.03.2.02.0024"]["owner"]) == ("DISKOMINFO", None)
    assert actions["2.16.02.2.01.0017"]["notes"] == "TW III menunggu rekap PPID"


def test_without_a_code_column_codes_follow_the_hierarchy():
    result = ingest(e81_xlsx(codes=False))
    assert not result.rejected and not result.file_problems
    got = [(a.row, a.values["code"], a.values["budget_spent"]) for a in result.actions]
    # Programme 1 > Kegiatan 1 > Sub Kegiatan 1 (and its second indicator), 2; Kegiatan 2 > 1; Programme 2 > 1 > 1.
    assert got == [(12, "1.1.1", 910_000_000.0), (13, "1.1.1-2", None), (14, "1.1.2", 600_000_000.0),
                   (16, "1.2.1", 105_000_000.0), (19, "2.1.1", 110_000_000.0)]
    assert result.actions[0].values["activity"].startswith("Implementasi Inovasi")     # "Sub Kegiatan :" dropped
    assert "program_code" not in result.actions[0].values                               # generated codes are not codes


def test_a_code_written_before_the_name_is_split_off():
    rows = e81_rows()
    for row in rows[9:19]:
        if row[2]:
            row[3], row[2] = f"{row[2]} {row[3]}", None
    result = ingest(xlsx(SheetSpec("E81", rows, merges=MERGES)))
    assert [a.values["code"] for a in result.actions] == [e[1] for e in EXPECTED]


def test_quarters_empty_take_the_years_realisation_columns():
    rows = e81_rows()
    sub = rows[15]                       # row 16: 2.16.03.2.01.0004, quarters cleared, year columns kept
    for c in range(12, 20):
        sub[c] = None
    values = next(a.values for a in ingest(xlsx(SheetSpec("E81", rows, merges=MERGES))).actions
                  if a.values["code"] == "2.16.03.2.01.0004")
    assert (values["actual"], values["budget_spent"], values["actual_source"]) == (30.0, 105_000_000.0, "column")


def test_an_unknown_responsible_agency_without_a_title_agency_is_rejected_with_suggestions():
    rows = e81_rows()
    rows[1] = []                          # no "Perangkat Daerah :" line in the title
    rows[11][26] = "Kominfo Sampit Baru"  # row 12
    result = ingest(xlsx(SheetSpec("Sheet1", rows, merges=MERGES)))
    rejected = {r.row: r for r in result.rejected}
    assert rejected[12].problems[0].key == "err.row.agency_unknown"
    assert "Dinas Komunikasi dan Informatika" in rejected[12].problems[0].params["suggestions"]


def test_a_pillar_column_added_to_the_form_is_read():
    rows = e81_rows()
    rows[5][27] = "Pilar Smart City"             # the Keterangan column used for the pillar
    for row in rows[9:19]:
        row[27] = "Integrasi"
    result = ingest(xlsx(SheetSpec("E81", rows, merges=MERGES)))
    assert {a.values["pillar"] for a in result.actions} == {"integration"} and len(result.actions) == 5


def test_an_ordinary_renja_report_is_not_taken_for_the_form():
    from tests.test_ingest_layout import RENJA_MERGES, renja_rows

    result = ingest(xlsx(SheetSpec("Sheet1", renja_rows(), merges=RENJA_MERGES)))
    assert "warn.sheet.renja" not in [w.key for w in result.warnings] and len(result.actions) == 3


# ---------------------------------------------------------------- through the pipeline

ADMIN = Actor("admin", "admin")


def test_without_a_pillar_the_actions_are_held_and_load_once_the_programmes_are_assigned(store):
    first = load_file(store, e81_xlsx(), "e81_tw3.xlsx", date(2024, 10, 10))
    assert (first.status, first.rows_loaded, first.rows_rejected) == ("loaded", 0, 5)
    assert {p.key for p in first.problems} == {"err.row.pillar_missing"}

    assign_pillar(store, ADMIN, "2.16.03", "integration")
    assign_pillar(store, ADMIN, "2.16.02", "Kolaborasi")          # a pillar word is fine too
    again = load_file(store, e81_xlsx(), "e81_tw3.xlsx", date(2024, 10, 10))   # the very same bytes
    assert (again.status, again.rows_loaded, again.rows_rejected) == ("loaded", 5, 0)
    stored = store.query_df("SELECT action_code, pillar FROM action_state(DATE '2024-10-10') ORDER BY action_code")
    assert list(stored.itertuples(index=False, name=None)) == [
        ("2.16.02.2.01.0017", "collaboration"), ("2.16.03.2.01.0004", "integration"),
        ("2.16.03.2.02.0024", "integration"), ("2.16.03.2.02.0027", "integration"),
        ("2.16.03.2.02.0027-2", "integration")]
    # The year's budget: 1.500 + 900 + 150 + 250 million; spent: 910 + 600 + 105 + 110 million.
    totals = store.query_one("SELECT sum(budget), sum(budget_spent) FROM action_state(DATE '2024-10-10')")
    assert totals == (2_800_000_000, 1_725_000_000)


def test_the_longest_assigned_prefix_wins(store):
    assign_pillar(store, ADMIN, "2.16", "integration")
    assign_pillar(store, ADMIN, "2.16.03.2.01", "sustainability")
    load_file(store, e81_xlsx(), "e81.xlsx", date(2024, 10, 10))
    pillars = dict(store.query_df("SELECT action_code, pillar FROM action_state(DATE '2024-10-10')").itertuples(index=False))
    assert pillars["2.16.03.2.01.0004"] == "sustainability" and pillars["2.16.03.2.02.0024"] == "integration"
