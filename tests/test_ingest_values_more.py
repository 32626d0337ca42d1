"""Values, continued (issue 3, point 3): "NA" as text, formulas saved without a value, merged data
cells carried to the rows they cover; and the upload size limit.

Every fixture is built here by code; the expected values are written out beside it.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from smartcity.ingest.xlsxfmt import FormulaCells
from tests.spreadsheets import SheetSpec, action, csv_bytes, ingest, template_rows, xlsx, xlsx_with_formulas


def by_code(result) -> dict[str, dict]:
    return {a.values["code"]: a.values for a in result.actions}


def keys(problems) -> list[str]:
    return [p.key for p in problems]


# ---------------------------------------------------------------- "NA" is text in a text column


def test_na_in_a_text_column_stays_text():
    # An activity called "NA" (say, an app's name), a programme, notes and owner "NA": all kept as
    # written. Before, "NA" was dropped and the row was rejected for a missing activity.
    rows = template_rows([action("T-1", activity="NA", program="NA", notes="NA", owner="NA", indicator="Aplikasi NA")])
    result = ingest(xlsx(rows))
    assert not result.rejected
    values = by_code(result)["T-1"]
    assert (values["activity"], values["program"], values["notes"], values["owner"], values["indicator"]) == (
        "NA", "NA", "NA", "NA", "Aplikasi NA")


def test_dash_and_n_slash_a_still_mean_nothing_in_a_text_column():
    rows = template_rows([action("T-1", notes="-", program="n/a", owner="N/A")])
    values = by_code(ingest(xlsx(rows)))["T-1"]
    assert (values["notes"], values["program"], values["owner"]) == (None, None, None)


def test_na_dash_and_empty_mean_nothing_in_number_and_date_columns():
    # CSV, so that every cell arrives as the text the officer typed.
    rows = template_rows([action("T-1", actual="NA", baseline="-", budget="n/a", budget_spent="", start_date="NA",
                                 due_date="-")])
    result = ingest(csv_bytes(rows), "renaksi.csv")
    assert not result.rejected
    values = by_code(result)["T-1"]
    assert [values[f] for f in ("actual", "baseline", "budget", "budget_spent", "start_date", "due_date")] == [None] * 6


def test_na_in_the_pillar_and_status_columns_means_nothing():
    # Pillar and status take one of a few known words: "NA" there is "not given", not an unknown pillar.
    rows = template_rows([action("T-1", pillar="NA", status="NA")])
    result = ingest(xlsx(rows))
    assert not result.rejected
    assert not [w for w in result.warnings if w.key == "warn.cell.status"]
    values = by_code(result)["T-1"]
    assert (values["pillar"], values["status"]) == (None, None)


def test_na_in_the_target_column_is_no_target():
    # The target is required: "NA" there is nothing, so the row is rejected as missing its target.
    rows = template_rows([action("T-1", target="NA")])
    [rejected] = ingest(csv_bytes(rows), "renaksi.csv").rejected
    assert keys(rejected.problems) == ["err.row.required"]
    assert rejected.problems[0].column == "Target"


# ---------------------------------------------------------------- formulas saved without a value


def formula_xlsx(actions: list[dict], formulas: dict[str, str]) -> bytes:
    """The template written by openpyxl, which saves formulas without computing them (<f> and an empty <v>)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Rencana Aksi"
    for row in template_rows(actions):
        ws.append(row)
    for ref, formula in formulas.items():
        ws[ref] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_formula_without_a_value_in_the_actual_column_rejects_the_row():
    # Row 3's actual is =I3*0.5 saved without its value: the actual is unknown, not empty.
    content = formula_xlsx([action("F-1"), action("F-2"), action("F-3")], {"J3": "=I3*0.5"})
    result = ingest(content)
    assert sorted(by_code(result)) == ["F-1", "F-3"]
    [rejected] = result.rejected
    [problem] = rejected.problems
    assert (rejected.row, problem.key, problem.sheet, problem.row, problem.column) == (
        3, "err.cell.formula_no_value", "Rencana Aksi", 3, "Realisasi")
    assert problem.located() == (
        "Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 3, Kolom Realisasi: Sel J3 (Realisasi) berisi rumus tanpa "
        "nilai tersimpan: berkas dibuat oleh program yang tidak menghitung rumus, sehingga nilainya tidak dapat "
        "dibaca. Buka berkas di Excel atau LibreOffice, simpan ulang (rumus akan dihitung), lalu unggah lagi.")
    assert problem.message("en").startswith("Cell J3 (Actual) holds a formula with no saved value")


def test_a_formula_without_a_value_in_the_target_column_rejects_the_row_once():
    content = formula_xlsx([action("F-1")], {"I2": "=10*2"})
    [rejected] = ingest(content).rejected
    # One reason, naming the formula, and not also "Target is required".
    assert keys(rejected.problems) == ["err.cell.formula_no_value"]
    assert rejected.problems[0].params["cell"] == "I2"


def test_a_formula_without_a_value_in_the_agency_column_rejects_the_row_once():
    content = formula_xlsx([action("F-1")], {"C2": '=VLOOKUP(A2,Daftar!A:B,2,FALSE)'})
    [rejected] = ingest(content).rejected
    assert keys(rejected.problems) == ["err.cell.formula_no_value"]


def test_a_formula_without_a_value_in_the_budget_loads_the_row_with_a_warning():
    # A budget formula is not needed to load the action: the row loads with no budget, and the
    # warning names the cell, so the total is not silently short.
    content = formula_xlsx([action("F-1"), action("F-2", budget=200_000_000)], {"K2": "=1000000*500"})
    result = ingest(content)
    values = by_code(result)
    assert values["F-1"]["budget"] is None and values["F-2"]["budget"] == 200_000_000
    [warning] = [w for w in result.warnings if w.key == "warn.cell.formula_no_value"]
    assert (warning.row, warning.column, warning.params["cell"]) == (2, "Pagu Anggaran", "K2")


QUARTER_HEADER = ["Kode", "OPD", "Kegiatan", "Satuan", "Target", "TW I", "TW II", "TW III", "TW IV"]


def quarter_xlsx(rows: list[list], formulas: dict[str, str], header: list[str] = QUARTER_HEADER) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Rencana Aksi"
    ws.append([None] * 5 + ["Realisasi"])  # "Realisasi" merged over TW I..TW IV (F1:I1)
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.merge_cells("F1:I1")
    for ref, formula in formulas.items():
        ws[ref] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_quarter_formula_without_a_value_is_not_filled_from_the_other_quarters():
    # Q-1 has no actual column of its own: its actual would be TW I + TW II + TW IV = 3 + 4 + 5 = 12,
    # silently missing TW III (=G3+1, no value). The row is rejected instead. Q-2 loads: 1+1+1+1 = 4.
    rows = [["Q-1", "Diskominfo", "Pelatihan ASN", "orang", 20, 3, 4, None, 5],
            ["Q-2", "Diskominfo", "Sosialisasi", "kali", 4, 1, 1, 1, 1]]
    result = ingest(quarter_xlsx(rows, {"H3": "=G3+1"}))
    assert by_code(result)["Q-2"]["actual"] == 4
    [rejected] = result.rejected
    assert rejected.row == 3
    assert keys(rejected.problems) == ["err.cell.formula_no_value"]
    assert rejected.problems[0].params["cell"] == "H3"


def test_a_quarter_formula_without_a_value_beside_an_actual_of_its_own_is_a_warning():
    # With a Realisasi column filled (10), the year's actual does not depend on TW III: the row loads.
    header = QUARTER_HEADER + ["Realisasi Tahunan"]
    rows = [["Q-1", "Diskominfo", "Pelatihan ASN", "orang", 20, 3, 4, None, 5, 10]]
    content = quarter_xlsx(rows, {"H3": "=G3+1"}, header)
    result = ingest(content)
    values = by_code(result)["Q-1"]
    assert values["actual"] == 10 and values["actual_source"] == "column" and values["actual_q3"] is None
    assert [w.params["cell"] for w in result.warnings if w.key == "warn.cell.formula_no_value"] == ["H3"]


def test_a_formula_with_its_saved_value_is_read_as_before():
    rows = template_rows([action("F-1", actual=None)])
    result = ingest(xlsx_with_formulas(rows, {"J2": ("=I2*0.6", 6)}))
    assert by_code(result)["F-1"]["actual"] == 6
    assert not [w for w in result.warnings if "formula" in w.key]


def sheet_with_cells(cells: bytes) -> bytes:
    """A one-sheet .xlsx whose data rows are replaced by `cells` (raw sheet XML), as other tools write it."""
    base = xlsx([["Kode", "Kegiatan", "Target"], ["x", "y", 1]])
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                start, end = data.find(b'<row r="2"'), data.find(b"</sheetData>")
                data = data[:start] + cells + data[end:]
            target.writestr(item, data)
    return out.getvalue()


CELLS = (b'<row r="2"><c r="A2"><f>1+1</f></c>'                         # no <v>: missing
         b'<c r="B2"><f>1+1</f><v>2</v></c>'                              # computed: fine
         b'<c r="C2" t="str"><f>IF(1,"",1)</f><v></v></c></row>'          # computed, the empty text: fine
         b'<row r="3"><c r="A3"><f t="shared" si="0"/></c>'               # shared formula, no <v>: missing
         b'<c r="B3"><f>A3</f><v></v></c>'                                # a number formula, empty <v>: missing
         b'<c r="C3" t="str"><f>B3</f></c></row>')                        # a text formula, no <v>: missing
MISSING = [(1, 0), (2, 0), (2, 1), (2, 2)]  # 0-based (row, column): A2, A3, B3, C3


@pytest.mark.parametrize("spaced", [False, True], ids=["as Excel writes it", "with spaces between tags"])
def test_formula_cells_without_a_value_are_found_in_the_sheet_xml(spaced):
    cells = CELLS.replace(b"><c ", b">\n  <c ") if spaced else CELLS
    assert sorted(FormulaCells(sheet_with_cells(cells))("Rencana Aksi")) == MISSING


def test_formula_cells_with_a_namespace_prefix_are_found():
    cells = CELLS.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>").replace(b"<f", b"<x:f").replace(
        b"</f>", b"</x:f>").replace(b"<v>", b"<x:v>").replace(b"</v>", b"</x:v>")
    assert sorted(FormulaCells(sheet_with_cells(cells))("Rencana Aksi")) == MISSING


def test_a_sheet_without_formulas_has_no_formula_cells():
    assert FormulaCells(xlsx(template_rows([action()])))("Rencana Aksi") == set()


# ---------------------------------------------------------------- merged data cells


def merged_sheet(actions: list[dict], merges: list[str]) -> bytes:
    return xlsx(SheetSpec("Rencana Aksi", template_rows(actions), merges=merges))


def test_merged_agency_program_and_pillar_cells_are_carried_to_the_rows_they_cover():
    # Rows 2-4: one OPD (Diskominfo), one programme and one pillar, each merged over the three rows;
    # openpyxl, like Excel, keeps the value in the top cell only. All three actions get them.
    actions = [action("M-1", pillar="Kolaborasi", agency="Diskominfo", program="Program SPBE"),
               action("M-2", pillar=None, agency=None, program=None),
               action("M-3", pillar=None, agency=None, program=None)]
    result = ingest(merged_sheet(actions, ["B2:B4", "C2:C4", "D2:D4"]))
    assert not result.rejected
    values = by_code(result)
    assert [values[c]["agency_code"] for c in ("M-1", "M-2", "M-3")] == ["DISKOMINFO"] * 3
    assert [values[c]["agency"] for c in ("M-1", "M-2", "M-3")] == ["Diskominfo"] * 3
    assert [values[c]["program"] for c in ("M-1", "M-2", "M-3")] == ["Program SPBE"] * 3
    assert [values[c]["pillar"] for c in ("M-1", "M-2", "M-3")] == ["collaboration"] * 3


def test_merged_dates_owner_and_activity_are_carried():
    # Two indicator rows of one activity: the activity, owner and due date are merged over both.
    actions = [action("M-1", activity="Pelatihan literasi digital", owner="Kabid IKP", due_date=date(2024, 9, 30),
                      indicator="Jumlah peserta"),
               action("M-2", activity=None, owner=None, due_date=None, indicator="Jumlah angkatan")]
    values = by_code(ingest(merged_sheet(actions, ["E2:E3", "Q2:Q3", "N2:N3"])))
    assert values["M-2"]["activity"] == "Pelatihan literasi digital"
    assert values["M-2"]["owner"] == "Kabid IKP"
    assert values["M-2"]["due_date"] == date(2024, 9, 30)
    assert values["M-2"]["indicator"] == "Jumlah angkatan"


def test_without_the_merge_a_row_missing_its_agency_is_still_rejected():
    # The same rows unmerged: M-2 names no agency and nothing above gives one.
    actions = [action("M-1"), action("M-2", agency=None)]
    [rejected] = ingest(merged_sheet(actions, [])).rejected
    assert keys(rejected.problems) == ["err.row.agency_missing"]


def test_a_merged_budget_counts_once_for_the_first_row_with_a_warning():
    # Pagu Rp 300.000.000 merged over rows 2-4 is one budget for the three actions. Carried down it would
    # add up to Rp 900.000.000; it counts once, for row 2: the loaded total is 300.000.000.
    actions = [action("M-1", budget=300_000_000, budget_spent=None),
               action("M-2", budget=None, budget_spent=None),
               action("M-3", budget=None, budget_spent=None)]
    result = ingest(merged_sheet(actions, ["K2:K4"]))
    values = by_code(result)
    assert [values[c]["budget"] for c in ("M-1", "M-2", "M-3")] == [300_000_000, None, None]
    assert sum(a.values["budget"] or 0 for a in result.actions) == 300_000_000
    [warning] = [w for w in result.warnings if w.key == "warn.cell.merged_number"]
    assert (warning.row, warning.column) == (2, "Pagu Anggaran")
    assert warning.message() == (
        "Sel Pagu Anggaran bernilai 300.000.000 digabung (merge) dari baris 2 sampai 4; nilainya dihitung sekali, "
        "untuk baris 2 saja, bukan untuk setiap baris. Bila setiap baris punya nilainya sendiri, pisahkan sel "
        "(unmerge) dan isi per baris.")


def test_a_merged_target_rejects_the_rows_below_with_the_reason():
    # Target 10 merged over rows 2-3: row 2 loads with 10; row 3 has no target of its own.
    actions = [action("M-1", target=10), action("M-2", target=None)]
    result = ingest(merged_sheet(actions, ["I2:I3"]))
    assert by_code(result)["M-1"]["target"] == 10
    [rejected] = result.rejected
    assert (rejected.row, keys(rejected.problems)) == (3, ["err.cell.merged_number"])
    assert rejected.problems[0].message() == (
        "Target baris ini kosong karena selnya digabung (merge) dengan baris 2; angka yang digabung hanya dihitung "
        "untuk baris 2. Pisahkan sel (unmerge) dan isi Target baris ini.")


def test_a_merged_code_is_not_carried():
    # A code names one action: the row under a merged code has none (rather than a duplicate).
    actions = [action("M-1"), action(None)]
    [rejected] = ingest(merged_sheet(actions, ["A2:A3"])).rejected
    assert rejected.row == 3
    assert keys(rejected.problems) == ["err.row.required"] and rejected.problems[0].column == "Kode"


def test_a_merge_reaching_into_a_blank_row_makes_no_action():
    # The OPD cell is merged over rows 2-3, but row 3 is otherwise empty: one action, no rejected row.
    rows = template_rows([action("M-1")]) + [[None] * 17]
    result = ingest(xlsx(SheetSpec("Rencana Aksi", rows, merges=["C2:C3"])))
    assert sorted(by_code(result)) == ["M-1"] and not result.rejected


def test_a_merged_value_below_a_total_row_is_not_carried():
    # A "JUMLAH" row whose notes cell is merged into the next action row: nothing is carried from a total.
    rows = template_rows([action("M-1", budget=100)])
    total = [None] * 17
    total[4], total[10], total[15] = "JUMLAH", 100, "dicek"
    rows.append(total)
    rows.append(template_rows([action("M-2", notes=None)])[1])
    values = by_code(ingest(xlsx(SheetSpec("Rencana Aksi", rows, merges=["P3:P4"]))))
    assert values["M-2"]["notes"] is None


# ---------------------------------------------------------------- the upload size limit


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(tmp_db, monkeypatch):
    import smartcity.pipeline as pipeline
    from smartcity.store import open_store

    monkeypatch.setenv("SMARTCITY_MAX_UPLOAD_MB", "1")

    def must_not_read(*args, **kwargs):
        raise AssertionError("a file over the limit must not be read")

    monkeypatch.setattr(pipeline, "ingest_isolated", must_not_read)
    content = b"x" * (3 * 1024 * 1024 // 2)  # 1,5 MB against a limit of 1 MB
    store = open_store(tmp_db)
    try:
        outcome = pipeline.load_file(store, content, "renaksi_besar.xlsx", date(2024, 9, 30))
        assert (outcome.status, outcome.rows_loaded, outcome.upload_id) == ("rejected", 0, None)
        [problem] = outcome.problems
        assert problem.key == "err.file_too_large"
        assert problem.located() == ("Berkas renaksi_besar.xlsx: Berkas renaksi_besar.xlsx berukuran 1.5 MB; "
                                     "batasnya 1 MB.")
        assert problem.message("en") == "File renaksi_besar.xlsx is 1.5 MB; the limit is 1 MB."
        assert store.query_one("SELECT count(*) FROM uploads")[0] == 0
    finally:
        store.close()
