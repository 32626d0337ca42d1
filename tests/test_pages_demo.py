"""Every page under AppTest on the demo data (issue 2, point 9), as a newcomer's first `make run` shows it.

The demo (data/demo, smartcity/demo) holds 12 agencies and 121 actions over four weekly snapshots,
the last on 14 Oct 2024; Dinas Pendidikan and Dinas Perhubungan sent nothing that week. So on
14 Oct: 121 actions, 2 of 12 agencies not reported within the 7-day cycle, and 10 / 12 = 83,3%
of agencies reported.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcity.i18n import t
from tests.ui_fixtures import signed_in
from ui.common import PAGES

ROOT = Path(__file__).resolve().parent.parent
LOGIN_PAGES = {"masuk"}                       # the login form itself: shown signed out


@pytest.fixture(scope="module")
def demo_path(demo_db, tmp_path_factory) -> Path:
    """A copy of the demo database of its own (the pages open it for writing)."""
    path = tmp_path_factory.mktemp("demo_pages") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture
def demo(demo_path, monkeypatch) -> Path:
    monkeypatch.setenv("SMARTCITY_DB", str(demo_path))
    return demo_path


def run(url_path: str, user: str | None = "admin") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / PAGES[url_path].file), default_timeout=90)
    if user:
        signed_in(at, user)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("url_path", [p for p in PAGES if p not in LOGIN_PAGES])
def test_every_page_runs_on_the_demo_data(demo, url_path):
    at = run(url_path)
    assert at.title[0].value == t(PAGES[url_path].title_key, "id")


def test_the_login_page_lists_the_demo_accounts(demo):
    at = run("masuk", user=None)
    shown = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert all(name in shown for name in ("admin", "dinkes", "diskominfo", "viewer"))


def test_the_overview_shows_the_demo_figures(demo):
    at = run("ringkasan")
    assert metric(at, "Jumlah aksi") == "121"
    assert metric(at, "OPD belum melapor") == "2 / 12"
    assert at.caption[1].value == "Data per 14 Okt 2024"


def test_the_kpi_page_shows_the_share_of_agencies_reporting(demo):
    at = run("kpi")
    assert metric(at, "OPD yang melapor") == "83,3%"            # 10 of 12


def test_the_review_names_the_two_silent_agencies(demo):
    at = run("tinjauan")
    silent = next(df.value for df in at.dataframe if "agency_name" in df.value.columns)
    assert sorted(silent["agency_name"]) == ["Dinas Pendidikan", "Dinas Perhubungan"]
