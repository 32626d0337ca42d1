"""Formats are sniffed from the content, never the name; files that are not spreadsheets are rejected whole."""
from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest
from tests.spreadsheets import SheetSpec, action, csv_bytes, ingest, ods, template_rows, xls, xlsm, xlsx

ROWS = template_rows([action("SC-01", budget=1_250_000_000), action("SC-02", budget=500_000_000)])


def codes_and_budgets(result):
    assert not result.file_problems, [p.located() for p in result.file_problems]
    return [(a.values["code"], a.values["budget"]) for a in result.actions]


EXPECTED = [("SC-01", 1_250_000_000.0), ("SC-02", 500_000_000.0)]


@pytest.mark.parametrize("build, name", [
    (xlsx, "renaksi.xlsx"), (xlsm, "renaksi.xlsm"), (xls, "renaksi.xls"), (ods, "renaksi.ods"),
])
def test_every_workbook_format_gives_the_same_rows(build, name):
    assert codes_and_budgets(ingest(build(ROWS), name)) == EXPECTED


def test_xls_and_ods_date_cells_are_dates():
    for build in (xls, ods):
        result = ingest(build(ROWS), "renaksi")
        assert result.actions[0].values["due_date"].isoformat() == "2024-12-31"


def test_the_extension_is_ignored():
    assert codes_and_budgets(ingest(xlsx(ROWS), "renaksi.csv")) == EXPECTED
    assert codes_and_budgets(ingest(csv_bytes(ROWS), "renaksi.xlsx")) == EXPECTED


def test_csv_with_comma_utf8():
    assert codes_and_budgets(ingest(csv_bytes(ROWS), "r.csv")) == EXPECTED


def test_csv_with_semicolon_windows_1252_and_indonesian_number_text():
    rows = template_rows([action("SC-01", budget="1.250.000.000", actual="6,5", notes="Koordinasi \u2013 café")])
    result = ingest(csv_bytes(rows, delimiter=";", encoding="cp1252"), "r.csv")
    values = result.actions[0].values
    assert (values["budget"], values["actual"], values["notes"]) == (1_250_000_000.0, 6.5, "Koordinasi \u2013 café")


def test_csv_with_utf8_byte_order_mark_keeps_the_first_header():
    result = ingest(csv_bytes(ROWS, bom=True), "r.csv")
    assert codes_and_budgets(result) == EXPECTED


def test_tab_separated_text_named_csv():
    assert codes_and_budgets(ingest(csv_bytes(ROWS, delimiter="\t"), "r.csv")) == EXPECTED


def test_english_csv_with_decimal_points_reads_them_as_decimals():
    # 3.690 alone could be Indonesian thousands; the file's other numbers (2.5) show it is English.
    rows = [["Code", "Agency", "Activity", "Target", "Actual"],
            ["A", "Dinkes", "Survey", "3.690", "2.5"], ["B", "Dinkes", "Survey", "1,250.75", "0.25"]]
    result = ingest(csv_bytes(rows), "r.csv")
    assert [(a.values["target"], a.values["actual"]) for a in result.actions] == [(3.69, 2.5), (1250.75, 0.25)]


def test_csv_rows_have_no_sheet_name():
    result = ingest(csv_bytes(template_rows([action(target="x")])), "r.csv")
    problem = result.rejected[0].problems[0]
    assert problem.sheet is None
    assert problem.located().startswith("Berkas r.csv, Baris 2, Kolom Target:")


# ---------------------------------------------------------------- rejected whole

def rejected_whole(content: bytes, name: str):
    result = ingest(content, name)
    assert result.rejected_whole and not result.actions and not result.rejected
    assert result.sha256 == hashlib.sha256(content).hexdigest() and result.size == len(content)
    [problem] = result.file_problems
    assert problem.file == name
    for lang in ("id", "en"):
        assert problem.located(lang).startswith(("Berkas " if lang == "id" else "File ") + name)
    return problem


def test_empty_file():
    problem = rejected_whole(b"", "kosong.xlsx")
    assert problem.key == "err.file.empty"
    assert problem.message() == ("Berkas kosong (0 byte). Unggah berkas Excel (.xlsx/.xls), OpenDocument (.ods) atau "
                                 "CSV yang berisi tabel rencana aksi.")


def test_pdf_renamed_xlsx():
    problem = rejected_whole(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "laporan.xlsx")
    assert problem.key == "err.file.pdf"
    assert "bukan spreadsheet" in problem.message()


def test_random_bytes():
    problem = rejected_whole(bytes(range(256)) * 8 + os.urandom(512), "data.xlsx")
    assert problem.key == "err.file.not_spreadsheet"
    assert "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) atau CSV" in problem.message()


def test_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert rejected_whole(out.getvalue(), "surat.xlsx").key == "err.file.not_spreadsheet"


def test_a_truncated_workbook_is_damaged():
    problem = rejected_whole(xlsx(ROWS)[:700], "putus.xlsx")
    assert problem.key == "err.file.damaged"


def test_a_truncated_xls_is_damaged():
    problem = rejected_whole(xls(ROWS)[:600], "lama.xls")
    assert problem.key == "err.file.damaged"
    assert "Excel 97-2003 (.xls)" in problem.message()


def test_an_html_page_named_xls():
    page = b"<html><body><table><tr><td>Kode</td></tr></table></body></html>"
    assert rejected_whole(page, "export.xls").key == "err.file.html"


def test_a_sheet_with_no_table_lists_the_expected_headers():
    rows = [["LAPORAN KEGIATAN"], ["Isi sesuai petunjuk"], [], ["Terima kasih"]]
    problem = rejected_whole(xlsx(SheetSpec("Sheet1", rows)), "judul.xlsx")
    assert problem.key == "err.sheet.no_table"
    assert problem.sheet == "Sheet1"
    message = problem.message()
    assert "Kolom wajib: Kode, Kegiatan, Target, dan OPD" in message
    assert "Pagu Anggaran, Realisasi Anggaran, Tanggal Mulai" in message
    assert "Required columns: Code, Activity, Target and Agency" in problem.message("en")


def test_a_table_missing_required_columns_says_which():
    rows = [["Kode", "OPD", "Kegiatan", "Satuan"], ["K-1", "Dinkes", "Posyandu", "unit"]]
    problem = rejected_whole(xlsx(rows), "kurang.xlsx")
    assert problem.key == "err.sheet.missing_columns"
    assert problem.row == 1
    assert problem.message().startswith("Tabel tidak memiliki kolom wajib: Target. Kolom yang ditemukan: Kode, OPD, "
                                        "Kegiatan, Satuan.")
    assert problem.message("en").startswith("The table lacks required columns: Target.")


def test_a_table_without_any_agency_is_rejected_whole_and_says_how_to_give_one():
    rows = [["Kode", "Kegiatan", "Target"], ["K-1", "Posyandu", 4]]
    problem = rejected_whole(xlsx(SheetSpec("Sheet1", rows)), "tanpa_opd.xlsx")
    assert problem.key == "err.sheet.no_agency"
    assert "kolom OPD" in problem.message() and "nama lembar" in problem.message()
