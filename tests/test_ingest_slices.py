"""A large sheet read in slices (smartcity.ingest.slices) gives the very table one read of the whole
sheet gives: the same rows in the same places (rows the sheet does not write, between slices or at
the end, included), the same values, the same column types, and the same refusal of a column that
mixes numbers and text. Each sheet here is cut at many sizes, so that the cuts fall everywhere.
"""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pyarrow as pa
import pytest

import smartcity.ingest.slices as slices
from smartcity.ingest.bulk import NotBulk
from tests.spreadsheets import xlsx_with_formulas

PATH = "xl/worksheets/sheet1.xml"
SHEET = "Rencana Aksi"
SIZES = (150, 400, 900, 2500)   # bytes of sheet XML per slice


def workbook(rows: list[list], styled_below: int = 0) -> bytes:
    """An .xlsx of `rows` (a row of Nones is not written at all: a gap in the sheet's XML) and, when
    `styled_below`, formatting without a value on that many rows under them (as Excel leaves it)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    for row in rows:
        ws.append(row)
    for r in range(len(rows) + 1, len(rows) + 1 + styled_below):
        ws.cell(r, 1).number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_workbook(rows: list[list]) -> bytes:
    """The same rows written as Excel writes text: once in the shared strings, cells pointing there."""
    return xlsx_with_formulas(rows, {})


def read(content: bytes, monkeypatch, size: int, skip: int = 1, dtypes: dict | None = None):
    monkeypatch.setattr(slices, "_CHUNK", 64)
    monkeypatch.setattr(slices, "SHARED_SHARE", 0)   # slices however many shared strings there are
    return slices.read_in_slices(content, SHEET, PATH, skip, dtypes, size=size)


def whole(content: bytes, skip: int = 1, dtypes: dict | None = None) -> pa.Table:
    import fastexcel

    sheet = fastexcel.read_excel(content).load_sheet(SHEET, header_row=None, skip_rows=skip, dtypes=dtypes,
                                                     dtype_coercion="strict", schema_sample_rows=None)
    batch = sheet.to_arrow()
    return pa.table(batch.columns, names=[str(c.absolute_index) for c in sheet.available_columns()])


def assert_same_table(sliced: pa.Table, one: pa.Table) -> None:
    assert sliced.column_names == one.column_names
    assert sliced.schema == one.schema
    assert sliced.to_pydict() == one.to_pydict()


@pytest.mark.parametrize("size", SIZES)
def test_rows_the_sheet_does_not_write_stay_empty_rows_in_their_place(monkeypatch, size):
    rows = [["Kode", "Target", "Catatan"]]
    for i in range(61):
        # every 7th row not written at all, runs of three in a row at 30-32: cuts fall before, inside
        # and after such gaps at one size or another
        blank = i % 7 == 3 or 30 <= i <= 32
        rows.append([None, None, None] if blank else [f"A-{i:02d}", float(i), "catatan" if i % 2 else None])
    content = workbook(rows, styled_below=40)
    sliced = read(content, monkeypatch, size)
    assert sliced.num_rows == 61   # down to the last value (row 61 is not blank); the formatted rows below are not rows
    assert_same_table(sliced, whole(content))
    assert sliced.column("0")[3].as_py() is None and sliced.column("0")[4].as_py() == "A-04"


@pytest.mark.parametrize("size", SIZES)
def test_a_column_typed_differently_in_two_slices_is_typed_as_one_read_types_it(monkeypatch, size):
    rows = [["Target", "Mulai", "Kosong di tengah"]]
    for i in range(50):
        target = float(i) if i < 25 else i + 0.5              # whole numbers above, fractions below
        start = dt.datetime(2024, 1, 1 + i % 28, 0 if i < 25 else 9, 30 if i >= 25 else 0)
        middle = None if 15 <= i < 35 else float(i)            # nothing in the middle slices
        rows.append([target, start, middle])
    content = workbook(rows)
    assert_same_table(read(content, monkeypatch, size), whole(content))


def test_numbers_in_one_slice_and_text_in_another_are_refused_as_one_read_refuses_them(monkeypatch):
    rows = [["Target"]] + [[float(i)] for i in range(150)] + [["seratus lima puluh"]]
    content = workbook(rows)
    with pytest.raises(Exception):
        whole(content)
    for size in SIZES:
        with pytest.raises(NotBulk):
            read(content, monkeypatch, size)


@pytest.mark.parametrize("size", SIZES)
def test_forced_text_columns_and_a_late_header_read_the_same(monkeypatch, size):
    # The bulk reader forces the columns it does not map to text (dtypes) and starts below a header
    # found lower down (skip): both apply in every slice.
    rows = [["RENCANA AKSI"], [None], ["Kode", "Nilai", "Lain"]]
    rows += [[f"K{i}", float(i), i if i % 3 else f"teks {i}"] for i in range(45)]
    content = workbook(rows)
    dtypes = {2: "string"}
    assert_same_table(read(content, monkeypatch, size, skip=3, dtypes=dtypes), whole(content, skip=3, dtypes=dtypes))


@pytest.mark.parametrize("size", SIZES)
def test_text_kept_in_the_shared_strings_reads_the_same(monkeypatch, size):
    rows = [["Kode", "OPD", "Target"]] + [[f"A-{i:03d}", ["Diskominfo", "Dinkes"][i % 2], float(i)]
                                           for i in range(80)]
    content = shared_workbook(rows)
    assert_same_table(read(content, monkeypatch, size), whole(content))
    assert read(content, monkeypatch, size).column("1")[1].as_py() == "Dinkes"


def test_the_sheet_is_cut_at_the_size_asked_and_read_whole_with_many_shared_strings(monkeypatch):
    rows = [["Kode", "Target"]] + [[f"A-{i:03d}", float(i)] for i in range(200)]
    content = shared_workbook(rows)
    read_slices = []
    original = slices._read_slice
    monkeypatch.setattr(slices, "_read_slice", lambda *args: read_slices.append(args[5]) or original(*args))
    read(content, monkeypatch, 1000)
    assert len(read_slices) >= 5                      # ~12 KB of XML in slices of ~1 KB
    assert read_slices == sorted(set(read_slices))     # each from its own first row, in order
    # the 200 codes are shared strings (~4 KB): with them at more than 1/8 of a slice, one read
    monkeypatch.setattr(slices, "SHARED_SHARE", 8)
    with pytest.raises(slices.NoSlices):
        slices.read_in_slices(content, SHEET, PATH, 1, None, size=1000)


@pytest.mark.parametrize("size", SIZES)
def test_a_slice_from_the_second_row_keeps_that_row(monkeypatch, size):
    # Read from the first row (skip 0), the slice that starts at the second row would name the first
    # row as its header: fastexcel then took the slice's own first row as the header and lost it.
    rows = [["RENCANA AKSI SMART CITY"], ["PEMERINTAH KABUPATEN KOTAWARINGIN TIMUR"], ["Kode", "Target"]]
    rows += [[f"K{i}", f"sasaran {i}"] for i in range(30)]   # text only: the title rows are read too
    content = workbook(rows)
    sliced = read(content, monkeypatch, size, skip=0)
    assert_same_table(sliced, whole(content, skip=0))
    assert sliced.column("0")[1].as_py() == "PEMERINTAH KABUPATEN KOTAWARINGIN TIMUR"


@pytest.mark.parametrize("size", SIZES)
def test_a_slice_with_no_value_below_the_header_keeps_the_columns_of_the_rows_above(monkeypatch, size):
    # A header across four columns, formatted rows without values (the data below the header starts
    # at the 4th row, so the first slice has no value from there on), then one note in the first
    # column: one read has a (text) column for each of the four; the slices must too.
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(["Kode", "Nama", "Periode", "Nilai"])
    for r in range(2, 40):
        for c in range(1, 5):
            ws.cell(r, c).number_format = "@"
    ws.cell(40, 1, "keterangan: kolom periode dua digit")
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    asked = []
    original = slices._columns_only
    monkeypatch.setattr(slices, "_columns_only", lambda *args: asked.append(1) or original(*args))
    sliced = read(content, monkeypatch, size, skip=3)
    assert_same_table(sliced, whole(content, skip=3))
    assert sliced.column_names == ["0", "1", "2", "3"] and sliced.column("0")[-1].as_py().startswith("keterangan")
    assert asked   # a slice without a value from its first row on was met


def test_formatted_rows_without_values_between_the_data_stay_in_their_place(monkeypatch):
    # Runs of three rows that carry a format but no value, cut at every ~100 bytes from 100 to 3,000:
    # a slice may start on such a row, end on one, or hold nothing else.
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(["Kode", "Target"])
    for i in range(80):
        if i % 9 in (4, 5, 6):
            ws.cell(i + 2, 1).number_format = ws.cell(i + 2, 2).number_format = "0.00"
        else:
            ws.cell(i + 2, 1, f"A{i}")
            ws.cell(i + 2, 2, float(i))
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    one = whole(content)
    assert one.column("0")[4].as_py() is None and one.column("0")[7].as_py() == "A7"
    for size in range(100, 3000, 97):
        assert_same_table(read(content, monkeypatch, size), one)
