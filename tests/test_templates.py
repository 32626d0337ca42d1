"""Spreadsheets given back to agencies: they open with dropdowns, and read back as they were."""
import io
import json
from datetime import date

import openpyxl
import pytest

from smartcity.ingest import ingest_bytes
from smartcity.pipeline import load_file
from smartcity.store import open_store
from smartcity.templates import blank_template, prefilled_template, rejected_rows_workbook
from tests.test_pipeline import WEEK1, csv

W1 = date(2024, 9, 30)


@pytest.fixture
def store(tmp_db):
    s = open_store(tmp_db)
    load_file(s, WEEK1, "minggu1.csv", W1)
    yield s
    s.close()


def test_blank_template_has_dropdowns_and_instructions(store):
    wb = openpyxl.load_workbook(io.BytesIO(blank_template(store)))
    assert wb.sheetnames[0] == "Rencana Aksi" and "Petunjuk" in wb.sheetnames
    assert wb["Daftar"].sheet_state == "hidden"
    ws = wb["Rencana Aksi"]
    headers = [c.value for c in ws[3]]
    assert headers[:3] == ["Kode", "Pilar", "Dimensi"]
    sources = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("Daftar" in s for s in sources) and len(sources) >= 3     # pillar, agency, status (+ direction)


def test_prefilled_template_reads_back_to_the_same_actions(store):
    content = prefilled_template(store, "DISKOMINFO", W1)
    result = ingest_bytes(content, "diskominfo.xlsx", store.registry())
    assert result.file_problems == [] and result.rejected == []
    rows = {r.values["code"]: r.values for r in result.actions}
    assert set(rows) == {"K-01", "K-02"}
    assert rows["K-01"]["budget"] == 1_250_000_000 and rows["K-01"]["actual"] == 40
    assert rows["K-01"]["pillar"] == "integration" and rows["K-02"]["pillar"] == "collaboration"
    assert {r["agency_code"] for r in rows.values()} == {"DISKOMINFO"}


def test_rejected_rows_come_back_with_their_reason_and_original_cells(store):
    bad = csv("K-09;Integrasi;Diskominfo;Portal;Portal;unit;sepuluh;1;Rp 1.000.000;0;01/01/2024;31/12/2024",
              "K-10;Integrasi;Diskominfo;=HYPERLINK(\"http://x\");Portal;unit;5;1;Rp 1.000.000;0;01/01/2024;31/12/2024")
    out = load_file(store, bad, "rusak.csv", W1)
    assert out.rows_rejected == 1
    wb = openpyxl.load_workbook(io.BytesIO(rejected_rows_workbook(store, out.upload_id)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Lembar", "Baris", "Alasan ditolak"] and "Target" in header
    row = {h: c.value for h, c in zip(header, ws[2])}
    assert row["Baris"] == 3 and row["Target"] == "sepuluh" and "bukan angka" in row["Alasan ditolak"]


def test_exports_never_contain_formulas(store):
    load_file(store, csv("K-11;Integrasi;Diskominfo;=1+2;@SUM(A1);unit;5;1;0;0;01/01/2024;31/12/2024"), "x.csv", W1)
    content = prefilled_template(store, "DISKOMINFO", W1)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "'=1+2" for c in cells)
