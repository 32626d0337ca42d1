"""The Monday-morning flow in a real browser (issue 2): an official signs in, uploads an agency's
spreadsheet through Unggah Data, previews it, loads it, and sees Ringkasan change.

Runs on a server of its own (the test adds data). The file is Satpol PP's, an agency with no
actions in the demo data: two good actions and one row whose target is text. So the preview
says 2 rows load and 1 is rejected, and Ringkasan's action count goes from the demo's 121 to 123.
"""
from __future__ import annotations

import openpyxl
import pytest

from .conftest import log_in, open_in_navigation, wait_for_app
from .test_editor_flow import grid_rows, metric

pytestmark = pytest.mark.browser

HEADER = ["No", "Kode", "Pilar", "OPD", "Program", "Kegiatan", "Indikator", "Satuan", "Target", "Realisasi",
          "Pagu Anggaran", "Realisasi Anggaran", "Tanggal Mulai", "Tanggal Selesai", "Keterangan"]


def satpol_workbook(path) -> None:
    """A messy but typical file: two title rows, Indonesian numbers as text, one bad row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rencana Aksi"
    sheet.append(["RENCANA AKSI SMART CITY KABUPATEN KOTAWARINGIN TIMUR"])
    sheet.append(["Perangkat Daerah : SATPOL PP"])
    sheet.append(HEADER)
    sheet.append([1, "SATPOLPP-01", "Kolaborasi", "Satpol PP", "Ketenteraman", "Patroli terpadu berbasis aplikasi",
                  "Patroli terlapor", "kali", "48", "20", "Rp 150.000.000", "Rp 60.000.000", "01/01/2024",
                  "31/12/2024", "Berjalan"])
    sheet.append([2, "SATPOLPP-02", "Integrasi", "Satpol PP", "Ketenteraman", "Laporan aduan terhubung ke command center",
                  "Aduan tertangani", "%", "90%", "75,5%", "Rp 80.000.000", "Rp 20.000.000", "01/02/2024",
                  "30/11/2024", ""])
    sheet.append([3, "SATPOLPP-03", "Keberlanjutan", "Satpol PP", "Ketenteraman", "Penertiban reklame liar",
                  "Titik ditertibkan", "titik", "banyak", "5", "Rp 10.000.000", "", "01/03/2024",
                  "31/12/2024", ""])
    book.save(path)


def test_an_upload_through_the_page_changes_the_summary(private_app_server, page, tmp_path):
    page.goto(private_app_server)
    wait_for_app(page)
    log_in(page, "admin")
    assert metric(page, "Jumlah aksi") == "121"

    spreadsheet = tmp_path / "satpolpp.xlsx"
    satpol_workbook(spreadsheet)
    open_in_navigation(page, "Unggah Data")
    page.locator(".st-key-up_files input[type=file]").set_input_files(str(spreadsheet))
    page.get_by_text(spreadsheet.name).first.wait_for()
    page.wait_for_timeout(1000)                         # the file chooser ends with a rerun of the page
    wait_for_app(page)

    page.locator(".st-key-up_load button").click()      # Pratinjau: nothing is written yet
    page.get_by_text("2 baris akan dimuat · 1 baris ditolak").wait_for(timeout=60_000)
    wait_for_app(page)
    cells = " ".join(" ".join(" ".join(r) for r in grid_rows(page, n))
                     for n in range(page.locator('[data-testid="stDataFrame"]').count()))
    assert "Target" in cells and "banyak" in cells      # the rejected row: its column and its value
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)

    page.locator(".st-key-up_confirm button").click()   # Muat data
    page.get_by_text("Hasil unggahan terakhir").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert not page.locator('[data-testid="stException"]').count()

    open_in_navigation(page, "Ringkasan")
    assert metric(page, "Jumlah aksi") == "123"        # 121 + the two good rows; the bad row waits
    page.screenshot(path=str(tmp_path / "after.png"), full_page=True)
