"""A Dinas Kesehatan editor updates progress in the browser, sees it on the dashboard, and cannot
reach Diskominfo's actions (issue 5), on a server of its own (the test changes data).

The editor is the demo account 'dinkes'. On the demo database an edit is saved as of the demo's
latest week (14 Oct 2024), so the dashboard keeps showing that week, with one number changed:
DINKES-01 (SIMPUS terintegrasi, 16 of 21 units) becomes 21 of 21.
"""
from __future__ import annotations

import re
import time

import pytest

from .conftest import log_in, open_in_navigation, wait_for_app

pytestmark = pytest.mark.browser

HEADER_HEIGHT = 35      # the data grid's header row and body rows, in pixels (Streamlit's default)
ROW_HEIGHT = 35


def grid_rows(page, which: int = 0) -> list[list[str]]:
    """The cell texts of a table on the page (the first by default), per row.

    Read in one go from the data grid's accessible table (the rows and columns in view), so that
    a table redrawn meanwhile cannot leave it half read.
    """
    grid = page.locator('[data-testid="stDataFrame"]').nth(which)
    grid.locator('[role="gridcell"]').first.wait_for(state="attached", timeout=30_000)
    return grid.evaluate("""g => [...g.querySelectorAll('[role="row"]')]
        .map(r => [...r.querySelectorAll('[role="gridcell"]')].map(c => c.textContent.trim()))
        .filter(r => r.length)""")


def rows_when(page, condition, timeout_s: float = 30) -> list[list[str]]:
    """grid_rows once `condition(rows)` holds (the table is redrawn after a rerun)."""
    deadline = time.monotonic() + timeout_s
    while True:
        rows = grid_rows(page)
        if condition(rows) or time.monotonic() > deadline:
            return rows
        page.wait_for_timeout(250)


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has=page.locator('[data-testid="stMetricLabel"]', has_text=label))
    return card.first.locator('[data-testid="stMetricValue"]').inner_text().strip()


def percent(text: str) -> float:
    return float(re.sub(r"[^0-9,]", "", text).replace(",", "."))


def type_into_cell(page, row: int, column: int, value: str) -> None:
    """Select a cell of the first data grid by keyboard from its first cell, then type and commit `value`."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2)
    page.wait_for_timeout(200)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")                       # open the cell's editor
    page.wait_for_timeout(300)
    page.keyboard.press("Control+a")
    page.keyboard.type(value)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")                       # commit: the app reruns with the edit
    page.wait_for_timeout(500)
    wait_for_app(page)


def choose_in_sidebar(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)


def test_dinkes_updates_an_action_and_the_dashboard_follows(private_app_server, page, tmp_path):
    page.goto(private_app_server)
    wait_for_app(page)
    log_in(page, "dinkes")
    before = percent(metric(page, "Capaian"))

    open_in_navigation(page, "Perbarui Progres")
    rows = grid_rows(page)
    assert rows[0][:4] == ["DINKES-01", "SIMPUS terintegrasi di seluruh puskesmas", "16", "21"]
    assert all(r[0].startswith("DINKES-") for r in rows)                # only Dinkes' own actions

    type_into_cell(page, row=0, column=2, value="21")                   # Realisasi: the third column
    page.get_by_text("1 aksi diubah, belum disimpan").wait_for()
    wait_for_app(page)                                                  # the edit's rerun has ended
    save = page.locator(".st-key-upd_save button")
    save.wait_for(state="visible")
    assert save.is_enabled()
    save.click()
    page.get_by_text("1 aksi tersimpan:").wait_for(timeout=60_000)
    wait_for_app(page)
    assert rows_when(page, lambda rows: rows[0][2] == "21")[0][2] == "21"
    page.screenshot(path=str(tmp_path / "saved.png"), full_page=True)

    open_in_navigation(page, "Ringkasan")
    after = percent(metric(page, "Capaian"))
    assert after > before, (before, after)                              # 16/21 became 21/21 (capped at 100%)

    open_in_navigation(page, "Rencana Aksi")
    page.locator(".st-key-ac_search input").fill("DINKES-01")
    page.locator(".st-key-ac_search input").press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)
    [row] = rows_when(page, lambda rows: [r[0] for r in rows] == ["DINKES-01"])
    assert row[3:7] == ["Selesai", "100", "21", "21"]                  # status, achievement %, target, actual


def test_dinkes_cannot_reach_diskominfo_actions(private_app_server, page, tmp_path):
    page.goto(private_app_server)
    wait_for_app(page)
    log_in(page, "dinkes")

    open_in_navigation(page, "Perbarui Progres")
    assert not [r for r in grid_rows(page) if r[0].startswith("DISKOMINFO-")]
    choose_in_sidebar(page, "OPD", "Diskominfo")
    page.get_by_text("Tidak ada aksi yang dapat Anda perbarui dengan filter ini.").wait_for()

    # Nor by file: an upload of Diskominfo's rows is refused with the reason, in Indonesian.
    foreign = tmp_path / "kominfo.csv"
    foreign.write_text("Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Tanggal Mulai;Tanggal Selesai\n"
                       "DISKOMINFO-01;Integrasi;Diskominfo;Aplikasi titipan;10;10;01/01/2024;31/12/2024\n",
                       encoding="utf-8")
    open_in_navigation(page, "Unggah Data")
    page.locator(".st-key-up_files input[type=file]").set_input_files(str(foreign))
    page.get_by_text("kominfo.csv").first.wait_for()
    page.wait_for_timeout(1000)                         # the upload ends with a rerun of the page
    wait_for_app(page)
    page.locator(".st-key-up_load button").click()
    page.get_by_text("Gagal").first.wait_for(timeout=60_000)
    wait_for_app(page)
    tables = page.locator('[data-testid="stDataFrame"]').count()
    cells = " ".join(" ".join(" ".join(r) for r in grid_rows(page, n)) for n in range(tables))
    assert "Pengguna dinkes tidak berhak mengubah data OPD: DISKOMINFO." in cells
    assert not page.locator('[data-testid="stException"]').count()

    # The admin pages are not in an editor's menu.
    menu = {link.inner_text().strip().split("\n")[-1] for link in page.locator('[data-testid="stSidebarNavLink"]').all()}
    assert "Perbarui Progres" in menu and not menu & {"Jejak Audit", "Pengguna"}
