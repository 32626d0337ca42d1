"""The Excel downloads (the Rencana Aksi export and any table shown): .xlsx built on the server, never a live formula."""
import io

import openpyxl
import pandas as pd
import pytest

from smartcity.export import Column, actions_workbook, export_actions, safe_text, table_workbook
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


# -- any table: table_workbook -------------------------------------------------------------------

INJECTIONS = ["=1+1", '=HYPERLINK("http://contoh.invalid","klik")', "+62 812", "-Budi", "@SUM(A1)", "\tx", "\rx"]


def test_a_table_with_injection_strings_in_its_notes_has_no_formula_cell():
    df = pd.DataFrame({"activity": [f"Aksi {i}" for i in range(len(INJECTIONS))], "notes": INJECTIONS,
                       "owner": ["=cmd|' /C calc'!A0"] * len(INJECTIONS)})
    ws = _sheet(table_workbook(df, [Column("activity"), Column("notes", heading="=Catatan"), Column("owner")]))
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    notes = [c.value for c in ws["B"][1:]]
    assert all(value.startswith("'") for value in notes)
    assert notes[:6] == ["'" + text for text in INJECTIONS[:6]]   # (openpyxl reads the CR of "\rx" as _x000D_)
    assert ws["B1"].value == "'=Catatan"                           # a heading is user text too


def test_rupiah_and_percentages_are_numbers_with_their_formats():
    df = pd.DataFrame({"agency_short": ["Dinkes"], "budget": [1_250_000_000], "absorption": [65.7],
                       "actions": [12], "due_date": [pd.Timestamp("2024-12-31")]})
    ws = _sheet(table_workbook(df, [Column("agency_short", heading="OPD"), Column("budget", "rupiah"),
                                    Column("absorption", "percent"), Column("actions", "count"),
                                    Column("due_date", "date")]))
    budget, absorption, actions, due = ws["B2"], ws["C2"], ws["D2"], ws["E2"]
    assert budget.value == 1_250_000_000 and budget.number_format == '"Rp "#,##0'
    assert absorption.value == pytest.approx(0.657) and absorption.number_format == "0.0%"   # 65,7%
    assert actions.value == 12 and actions.number_format == "#,##0"
    assert due.value.year == 2024 and due.number_format == "dd/mm/yyyy"


def test_statuses_pillars_and_traffic_lights_are_named_in_the_language():
    df = pd.DataFrame({"status": ["late", "done"], "pillar": ["integration", "collaboration"], "rag": ["red", None]})
    columns = [Column("status", "status"), Column("pillar", "pillar"), Column("rag", "rag", "Status KPI")]
    ws = _sheet(table_workbook(df, columns, "id"))
    assert [c.value for c in ws[2]] == ["Terlambat", "Integrasi", "Merah (buruk)"]
    assert [c.value for c in ws[3]] == ["Selesai", "Kolaborasi", None]
    assert _sheet(table_workbook(df, columns, "en"))["A2"].value == "Late"


def test_kpi_values_take_the_format_of_their_unit():
    df = pd.DataFrame({"name": ["Capaian", "Aksi terlambat"], "unit": ["percent", "count"], "value": [78.0, 38.0]})
    ws = _sheet(table_workbook(df, [Column("name"), Column("value", "kpi_value")]))
    assert ws["B2"].value == pytest.approx(0.78) and ws["B2"].number_format == "0.0%"
    assert ws["B3"].value == 38 and ws["B3"].number_format == "#,##0"


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        Column("x", "money")
