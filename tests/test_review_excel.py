"""The Tinjauan Mingguan page offers every list of the review as an Excel download (ui.widgets'
table(excel=...) / excel_download), and what a spreadsheet would run as a formula is written as text.

The plan is tests/test_review.py's (build_review_plan) with one more Diskominfo action, I-09,
whose activity and owner look like formulas: due 30 Jun 2024 and at 5 of 100 on 7 Oct, it is late,
new since 30 Sep and has no obstacle or follow-up; and a decision of this review whose text looks
like a formula.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from smartcity.auth import SYSTEM_ACTOR
from smartcity.decisions import add_decision
from smartcity.kpi import recompute_kpis
from smartcity.store import open_store
from tests.test_review_page import make_db
from tests.ui_fixtures import D, add, signed_in

ROOT = Path(__file__).resolve().parent.parent
FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'
DOWNLOADS = {  # key of the download -> what it holds
    "xl_rv_not_reported": "agencies that have not reported",
    "xl_rv_last_decisions": "last review's decisions and their follow-up",
    "xl_rv_changes": "every agency's changes",
    "xl_rv_missing": "late and at-risk actions without reasons",
    "xl_rv_corrections": "corrections",
    "xl_rv_decisions": "this review's decisions",
}


@pytest.fixture(scope="module")
def review_db(tmp_path_factory) -> Path:
    path = make_db(tmp_path_factory.mktemp("review_excel") / "plan.duckdb")
    with open_store(path) as store:
        add(store, "DISKOMINFO", "I-09", D, activity=FORMULA, owner="@Budi", actual=5, due_date=date(2024, 6, 30))
        recompute_kpis(store)
        add_decision(store, SYSTEM_ACTOR, D, "DISKOMINFO", "=1+1 percepat I-09")
    return path


@pytest.fixture
def review(review_db, monkeypatch) -> Path:
    monkeypatch.setenv("SMARTCITY_DB", str(review_db))
    return review_db


def review_page() -> AppTest:
    return signed_in(AppTest.from_file(str(ROOT / "pages" / "tinjauan.py"), default_timeout=60), "admin")


def test_the_review_page_offers_every_list_as_excel(review):
    at = review_page().run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert {b.proto.id.rsplit("-", 1)[-1] for b in buttons} == set(DOWNLOADS)
    assert {b.proto.label for b in buttons} == {"Unduh Excel"}


@pytest.fixture
def workbooks(review, monkeypatch) -> dict:
    """The review page's downloads, built as a click would build them: {key: (file name, first sheet)}."""
    import streamlit as st

    pressed = {}
    monkeypatch.setattr(st, "download_button",
                        lambda label, data, **kw: pressed.update({kw["key"]: (kw["file_name"], data)}))
    at = review_page().run()
    assert not at.exception, at.exception
    return {key: (name, openpyxl.load_workbook(io.BytesIO(data())).active) for key, (name, data) in pressed.items()}


def cells(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_no_download_holds_a_formula(workbooks):
    assert set(workbooks) == set(DOWNLOADS)
    for key, (_, sheet) in workbooks.items():
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert formulas == [], key


def test_the_changes_of_every_agency_in_one_sheet_with_the_kinds_named(workbooks):
    name, sheet = workbooks["xl_rv_changes"]
    assert name == "tinjauan-perubahan-2024-10-07.xlsx"
    rows = cells(sheet)
    assert rows[0] == ["OPD", "Perubahan", "Kode", "Kegiatan", "Status kini", "Realisasi", "Realisasi anggaran"]
    kominfo = [r for r in rows[1:] if r[0] == "Diskominfo"]
    assert [(r[1], r[2]) for r in kominfo] == [("Aksi baru", "I-03"), ("Aksi baru", "I-09"), ("Membaik", "I-01")]
    assert [r[3] for r in kominfo if r[2] == "I-09"] == ["'" + FORMULA]         # text, never a live formula
    assert [r[5] for r in kominfo if r[2] == "I-01"] == ["45 → 60"]             # as shown on the page


def test_the_missing_reasons_and_decisions_are_neutralised(workbooks):
    _, missing = workbooks["xl_rv_missing"]
    i09 = [r for r in cells(missing) if "I-09" in r]
    assert i09 and "'" + FORMULA in i09[0] and "'@Budi" in i09[0]
    _, decisions = workbooks["xl_rv_decisions"]
    assert "'=1+1 percepat I-09" in [v for row in cells(decisions) for v in row]


def test_the_silent_agencies_with_their_last_report_as_a_date(workbooks):
    name, sheet = workbooks["xl_rv_not_reported"]
    assert name == "tinjauan-belum-melapor-2024-10-07.xlsx"
    rows = cells(sheet)
    assert rows[1][0] == "Dinas Lingkungan Hidup" and rows[1][1].date() == date(2024, 9, 20) and rows[1][2] == 17
