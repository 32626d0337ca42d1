"""At 100,000 actions the review's lists run to tens of thousands of rows (issue 7): the page shows
the first rows of each, says how many there are, and its Excel downloads still hold every row.

The plan is tests/test_review.py's (build_review_plan), with the lists cut short so that the hand-
worked rows overflow them: 1 change per agency (views_review.CHANGES_SHOWN) and 2 rows of the other
lists (ROWS_SHOWN). Its changes since 30 Sep: DLH S-01, S-02 stalled; Dinkes C-01, C-02 new;
Diskominfo I-03 new, I-01 improved; Disdukcapil I-02 new. Red without reasons: I-03, S-02, I-01.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

import smartcity.views_review as views_review
from tests.test_review_page import make_db
from tests.ui_fixtures import signed_in
from ui.review import open_key

ROOT = Path(__file__).resolve().parent.parent
CUT = "Menampilkan {shown} baris pertama dari {total}; saring untuk mempersempit. Unduhan Excel memuat semua baris."


@pytest.fixture
def short_lists(tmp_path, monkeypatch) -> dict:
    """The review page on a fresh copy of the plan with short lists; the downloads as a click builds them."""
    import streamlit as st

    monkeypatch.setenv("SMARTCITY_DB", str(make_db(tmp_path / "plan.duckdb")))
    monkeypatch.setattr(views_review, "CHANGES_SHOWN", 1)
    monkeypatch.setattr(views_review, "ROWS_SHOWN", 2)
    pressed = {}
    monkeypatch.setattr(st, "download_button", lambda label, data, **kw: pressed.update({kw["key"]: data}))
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "tinjauan.py"), default_timeout=60), "admin")
    for agency in ("DLH", "DINKES", "DISKOMINFO", "DISDUKCAPIL"):     # every agency's changes opened
        at.session_state[open_key(date(2024, 10, 7), date(2024, 9, 30), agency)] = True
    at.run()
    assert not at.exception, at.exception
    return {"page": at, "downloads": pressed}


def sheet_rows(data) -> list[list]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(data())).active.iter_rows()]


def test_each_agency_shows_its_worst_change_and_says_how_many_it_has(short_lists):
    at = short_lists["page"]
    shown = {e.label.split("**")[1]: ([list(df.value["action_code"]) for df in e.dataframe],
                                      [c.value for c in e.caption]) for e in at.expander}
    assert shown == {
        "DLH": ([["S-01"]], [CUT.format(shown=1, total=2)]),
        "Dinkes": ([["C-01"]], [CUT.format(shown=1, total=2)]),
        "Diskominfo": ([["I-03"]], [CUT.format(shown=1, total=2)]),    # new before improved: worst first
        "Disdukcapil": ([["I-02"]], []),                                # its only change: nothing cut
    }


def test_the_counts_are_of_every_row_not_of_those_shown(short_lists):
    metrics = {m.label: m.value for m in short_lists["page"].metric}
    assert (metrics["Tidak bergerak"], metrics["Aksi baru"], metrics["Membaik"]) == ("2", "4", "1")
    assert metrics["Merah tanpa alasan"] == "3"


def test_red_actions_without_reasons_show_the_first_two_of_three(short_lists):
    at = short_lists["page"]
    missing = next(df.value for df in at.dataframe if "missing" in df.value.columns)
    assert list(missing["action_code"]) == ["I-03", "S-02"]                     # late first, then at risk
    assert CUT.format(shown=2, total=3) in [c.value for c in at.caption]


def test_the_excel_downloads_hold_every_row(short_lists):
    downloads = short_lists["downloads"]
    changes = sheet_rows(downloads["xl_rv_changes"])
    # every agency's changes, agencies worst news first, each agency's worst first
    assert [(r[0], r[2]) for r in changes[1:]] == [
        ("DLH", "S-01"), ("DLH", "S-02"), ("Dinkes", "C-01"), ("Dinkes", "C-02"),
        ("Diskominfo", "I-03"), ("Diskominfo", "I-01"), ("Disdukcapil", "I-02")]
    missing = sheet_rows(downloads["xl_rv_missing"])
    assert [r[1] for r in missing[1:]] == ["I-03", "S-02", "I-01"]
