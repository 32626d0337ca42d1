"""The Rencana Aksi download: an .xlsx built from the filtered query, never carrying a live formula."""
import io

import openpyxl
import pytest

from smartcity.export import actions_workbook, export_actions, safe_text
from smartcity.store import open_store
from smartcity.views import EXPORT_COLUMNS, Filters
from tests.ui_fixtures import build_plan


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_plan(open_store(tmp_path_factory.mktemp("export") / "t.duckdb"))
    yield s
    s.close()


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-Budi", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text


def test_ordinary_text_is_unchanged():
    assert safe_text("Satu Data Kotim") == "Satu Data Kotim"


def test_the_export_holds_every_matching_action_with_headings(store):
    ws = _sheet(export_actions(store, Filters(agency="DINKES")))
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode", "OPD", "Pilar")
    assert len(rows) == 3 and [r[0] for r in rows[1:]] == ["C-01", "C-02"]
    assert rows[1][1] == "Dinas Kesehatan" and rows[1][2] == "Kolaborasi"


def test_no_cell_of_the_export_is_a_formula(store):
    # C-01's notes '=HYPERLINK(...)' and owner '@Budi' came from an agency's file.
    ws = _sheet(export_actions(store, Filters()))
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")" in texts and "'@Budi" in texts


def test_numbers_and_dates_stay_numbers_and_dates(store):
    ws = _sheet(export_actions(store, Filters(agency="DISDUKCAPIL")))
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["Pagu Anggaran"] == 500_000_000 and row["Capaian (%)"] == pytest.approx(120)
    assert row["Tanggal Selesai"].year == 2024


def test_headings_follow_the_language(store):
    ws = _sheet(export_actions(store, Filters(agency="DINKES"), "en"))
    assert [c.value for c in ws[1]][:3] == ["Code", "Agency", "Pillar"]
    assert ws["C2"].value == "Collaboration"


def test_an_empty_selection_is_a_workbook_with_headings_only():
    import pandas as pd

    ws = _sheet(actions_workbook(pd.DataFrame(columns=list(EXPORT_COLUMNS))))
    assert ws.max_row == 1 and ws["A1"].value == "Kode"
