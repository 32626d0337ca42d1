"""The weekly review in a real browser on the demo data (four weekly snapshots, 23 Sep - 14 Oct 2024),
on a server of its own (a test records a decision).

The demo's last week: Disdik and Dishub sent nothing (last report 7 Oct, 7 days before), three
actions slipped to late (RSUD-04 among them: on track on 7 Oct, late on 14 Oct) and four finished.
"""
from __future__ import annotations

import pytest

from .conftest import log_in, open_in_navigation, wait_for_app

pytestmark = pytest.mark.browser

TITLE = "Tinjauan Mingguan"


def grid_rows(grid) -> list[list[str]]:
    """The cell texts of a data grid, per row (the grid's accessible table)."""
    return [[cell.inner_text().strip() for cell in row.locator('[role="gridcell"]').all()]
            for row in grid.locator('[role="row"]').all() if row.locator('[role="gridcell"]').count()]


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has=page.locator('[data-testid="stMetricLabel"]', has_text=label))
    return card.first.locator('[data-testid="stMetricValue"]').inner_text().strip()


def assert_no_exception(page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        pytest.fail(f"{where}: the page shows an exception:\n{exceptions.first.inner_text()}", pytrace=False)
    assert not page.locator('[data-testid="stAlertContentError"]').count(), f"{where}: an error is shown"


@pytest.fixture
def review(private_app_server, page):
    page.goto(private_app_server)
    wait_for_app(page)
    log_in(page, "admin")
    open_in_navigation(page, TITLE)
    assert_no_exception(page, TITLE)
    return page


def test_the_review_names_the_silent_agencies_and_the_slipped_actions(review, tmp_path):
    page = review
    assert metric(page, "OPD belum melapor") == "2 / 12"
    silent = grid_rows(page.locator('[data-testid="stDataFrame"]').first)
    assert [row[0] for row in silent] == ["Dinas Pendidikan", "Dinas Perhubungan"]
    assert [row[2] for row in silent] == ["7", "7"]
    reminder = page.locator('[data-testid="stCode"]').first.inner_text()
    assert "Dinas Pendidikan" in reminder and "Dinas Perhubungan" in reminder and "7 hari lalu" in reminder

    assert metric(page, "Menjadi terlambat") == "3" and metric(page, "Selesai") == "4"
    # The agency with the worst news opens first, its table open, its slipped action on top.
    first = page.locator('[data-testid="stExpander"]').first
    assert "RSUD dr. Murjani — Menjadi terlambat 1" in first.locator("summary").inner_text()
    rows = grid_rows(first.locator('[data-testid="stDataFrame"]'))
    assert rows[0][:2] == ["Menjadi terlambat", "RSUD-04"] and rows[0][3] == "Terlambat"
    page.screenshot(path=str(tmp_path / "tinjauan.png"))


def test_a_closed_agency_opens_with_its_changes(review, tmp_path):
    page = review
    # The first agencies with bad news are open with their tables; a closed one draws its table when opened.
    boxes = page.locator('[data-testid="stExpander"]')
    closed = next(box for box in boxes.all() if not box.locator('[data-testid="stDataFrame"]').count())
    name = closed.locator("summary").inner_text().split("—")[0].split("\n")[-1].strip()   # after the icon's name
    closed.locator("summary").click()
    wait_for_app(page)
    reopened = boxes.filter(has_text=name).first
    grid = reopened.locator('[data-testid="stDataFrame"]')
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    grid.locator('[role="gridcell"]').first.wait_for(state="attached", timeout=30_000)
    rows = grid_rows(grid)
    assert rows and all(len(row) >= 4 for row in rows), rows
    assert_no_exception(page, f"{TITLE}, {name} opened")
    page.screenshot(path=str(tmp_path / "tinjauan-opened.png"), full_page=True)


def test_a_decision_typed_survives_navigation_and_is_saved(review):
    page = review
    main = page.locator('[data-testid="stMain"]')
    text = main.get_by_label("Keputusan", exact=True)
    text.fill("Dishub dan Disdik kirim laporan sebelum Jumat")
    text.blur()
    wait_for_app(page)
    open_in_navigation(page, "Ringkasan")
    open_in_navigation(page, TITLE)
    text = main.get_by_label("Keputusan", exact=True)
    assert text.input_value() == "Dishub dan Disdik kirim laporan sebelum Jumat"

    main.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("OPD", exact=True)).click()
    page.keyboard.type("Dishub")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)
    main.get_by_role("button", name="Simpan keputusan").click()
    wait_for_app(page)
    assert_no_exception(page, "after saving a decision")
    main.get_by_text("Keputusan #1 disimpan.").wait_for(state="visible", timeout=30_000)
    saved = [row for grid in main.locator('[data-testid="stDataFrame"]').all() for row in grid_rows(grid)
             if "Dishub dan Disdik kirim laporan sebelum Jumat" in row]
    assert saved and saved[0][0] == "Dishub" and "admin" in saved[0]
    assert main.get_by_label("Keputusan", exact=True).input_value() == ""


def test_a_history_tab_draws_its_chart_when_chosen(review):
    page = review
    # Only the chosen tab's chart is made; choosing "Status aksi" draws the status bars (4 dates x 3 pillars x 5).
    tab = page.get_by_role("tab", name="Status aksi")
    tab.scroll_into_view_if_needed()
    tab.click()
    wait_for_app(page)
    panel = page.locator('[role="tabpanel"]:visible')
    panel.locator('[data-testid="stPlotlyChart"] .barlayer .point').first.wait_for(state="attached", timeout=30_000)
    assert panel.locator('[data-testid="stPlotlyChart"]').count() == 1
    assert panel.locator(".barlayer .point").count() == 4 * 3 * 5
    assert_no_exception(page, f"{TITLE}, history by status")
