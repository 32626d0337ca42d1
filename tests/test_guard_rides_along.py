"""The guard's pass over a large sheet rides along with the reader that cuts the sheet into slices
(smartcity.ingest.guard.PendingScan, smartcity.ingest.slices): the sheet's XML is unpacked once,
and every piece of it is checked before any row in it reaches a parser. When the sheet is read
whole after all, the pass runs on its own, as before. Large pieces are searched by RE2 rather than
Python's `re` (smartcity.ingest.bytesearch): the two must agree.
"""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import smartcity.ingest.bulk as bulk
import smartcity.ingest.guard as guard
import smartcity.ingest.slices as slices
from smartcity.ingest.bytesearch import LARGE, BytePattern
from smartcity.ingest.xlsxfmt import column_letter
from tests.spreadsheets import action, ingest, template_rows, xlsx

SHEET = "xl/worksheets/sheet1.xml"


def large_sheet_setup(monkeypatch, slice_bytes: int = 600) -> None:
    """As in the reading worker (the pass pending while the bulk reader reads), with every sheet
    counting as large and cut every few rows (as tests/test_ingest_bulk.py does)."""
    monkeypatch.setattr(bulk, "BULK_MIN_BYTES", 0)
    monkeypatch.setattr(guard, "PARSE_IN_WORKER", True)
    monkeypatch.setattr(slices, "_CHUNK", 256)
    monkeypatch.setattr(slices, "SLICE_BYTES", slice_bytes)


def eighty_actions() -> bytes:
    return xlsx(template_rows([action(f"RA-{i:03d}", target=10.0, actual=float(i % 9)) for i in range(80)]))


def with_row(content: bytes, row_xml: bytes) -> bytes:
    """`content` with one more row at the end of its first sheet's data."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == SHEET:
                data = data.replace(b"</sheetData>", row_xml + b"</sheetData>")
            target.writestr(info.filename, data)
    return out.getvalue()


def spy_on_slices(monkeypatch) -> list[bytes]:
    """The rows of every slice handed to fastexcel."""
    seen = []
    original = slices._read_slice

    def spy(parts, path, prefix, rows, *args):
        seen.append(bytes(rows))
        return original(parts, path, prefix, rows, *args)

    monkeypatch.setattr(slices, "_read_slice", spy)
    return seen


def count_own_passes(monkeypatch) -> list[str]:
    """The parts whose pass PendingScan ran on its own (unpacking the part a second time)."""
    runs = []
    original = guard._guarded_pass

    def spy(content, part, fmt):
        runs.append(part)
        return original(content, part, fmt)

    monkeypatch.setattr(guard, "_guarded_pass", spy)
    return runs


def test_a_large_sheet_is_read_with_its_guard_pass_riding_along(monkeypatch):
    large_sheet_setup(monkeypatch)
    sliced, own = spy_on_slices(monkeypatch), count_own_passes(monkeypatch)
    result = ingest(eighty_actions())
    assert len(result.actions) == 80 and not result.file_problems
    assert len(sliced) > 10          # read in many slices ...
    assert own == []                 # ... and the sheet unpacked once: the pass rode along


def test_a_cell_past_the_limits_is_refused_before_the_slice_holding_it_is_read(monkeypatch):
    # One value at row 500, column 12,000: 500 x 12,000 = 6 million cells, over MAX_CELLS (5 million).
    large_sheet_setup(monkeypatch)
    sliced = spy_on_slices(monkeypatch)
    far = f"{column_letter(11_999)}500".encode()
    content = with_row(eighty_actions(), b'<row r="500"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % far)
    result = ingest(content)
    assert [p.key for p in result.file_problems] == ["err.file.sheet_too_large"]
    assert result.actions == [] and result.rejected == []
    assert sliced, "the rows above it were being read"
    assert not any(far in rows for rows in sliced)   # the slice with the far cell never reached fastexcel


def test_formatting_alone_past_the_limits_is_not_refused_by_the_riding_pass(monkeypatch):
    # A styled empty cell far out (<c r=".." s="1"/>) holds no value: calamine skips it, so do the limits.
    large_sheet_setup(monkeypatch)
    far = f"{column_letter(11_999)}500".encode()
    result = ingest(with_row(eighty_actions(), b'<row r="500"><c r="%s" s="1"/></row>' % far))
    assert not result.file_problems and len(result.actions) == 80


def test_a_sheet_read_whole_after_all_still_gets_its_guard_pass(monkeypatch):
    # One slice would hold the whole sheet: it is read whole (smartcity.ingest.slices.NoSlices), the
    # reader drops the pass, and the pass runs on its own: the far cell is still refused.
    large_sheet_setup(monkeypatch, slice_bytes=10**12)
    own = count_own_passes(monkeypatch)
    far = f"{column_letter(11_999)}500".encode()
    content = with_row(eighty_actions(), b'<row r="500"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % far)
    result = ingest(content)
    assert [p.key for p in result.file_problems] == ["err.file.sheet_too_large"]
    assert own == [SHEET]


def test_a_pending_pass_is_taken_by_one_rider_or_run_once_on_its_own(monkeypatch):
    content = eighty_actions()
    own = count_own_passes(monkeypatch)
    monkeypatch.setattr(bulk, "BULK_MIN_BYTES", 0)

    def fed_to_the_end(pending):
        rider = pending.ride()
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(SHEET) as part:
            while chunk := part.read(300):
                rider.feed(chunk)
        rider.finish()

    ridden = guard.PendingScan(content, SHEET, "xlsx")
    fed_to_the_end(ridden)
    assert ridden.ride() is None                      # one rider only
    assert b"RA-000" in ridden.result().head and own == []

    dropped = guard.PendingScan(content, SHEET, "xlsx")
    dropped.ride().drop()                             # the reader stopped early
    assert b"RA-000" in dropped.result().head and own == [SHEET]
    assert dropped.result().head == ridden.result().head and own == [SHEET]   # the pass ran once

    unridden = guard.PendingScan(content, SHEET, "xlsx")
    assert unridden.result() is not None and own == [SHEET, SHEET]
    assert unridden.ride() is None                    # too late to ride: the pass has run


FRAGMENTS = [b'r="', b"r='", b"A", b"Z", b"AB", b"XFD", b"1", b"9", b"12345", b"123456", b"<f", b"<f>", b"<f/", b"<f ",
             b"<fo", b">", b'"', b" ", b"\n", b"/", b"<c ", b"\x00", b"\xc3\xa9"]
FAR_CELL = BytePattern(guard._ANY_FAR_CELL.pattern)
FORMULA = BytePattern(bulk._FORMULA.pattern)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30), st.integers(0, 2))
@example([b'r="', b"A", b"12345", b'"'], 1)        # row 12345: near, as is A1
@example([b'r="', b"A", b"123456", b'"'], 1)       # row 123456: far
@example([b"r='", b"AB", b"1", b"'"], 0)           # column AB: far, in single quotes
@example([b'r="', b"XFD", b"12345", b'"'], 2)
@example([b"<f", b">"], 1)                         # a formula
@example([b"<fo", b">"], 1)                        # another tag
@example([b"<f", b"\n"], 0)
def test_re2_and_python_agree_on_the_guards_patterns(fragments, where):
    # The same text searched small (Python's re) and inside a large piece (RE2): the same answer.
    text = b"".join(fragments)
    filler = b'<c r="B7" t="n"><v>1</v></c>' * (LARGE // 20)
    large = [text + filler, filler + text, filler + text + filler][where]
    assert len(large) >= LARGE
    for pattern in (FAR_CELL, FORMULA):
        assert pattern.found(large) == (pattern.compiled.search(text) is not None), (pattern.pattern, text)


@pytest.mark.parametrize("in_worker", [True, False])
def test_two_cells_each_within_the_limits_that_span_too_many_cells_are_refused(monkeypatch, in_worker):
    # Column ZZ (702) on row 60 and row 200,000 in column A: each alone is allowed, together the sheet spans
    # 200,000 x 702 cells, over MAX_CELLS. Only the exact count at the end of the pass sees it (before the
    # last rows, which a reader riding along cuts after that count).
    large_sheet_setup(monkeypatch)
    monkeypatch.setattr(guard, "PARSE_IN_WORKER", in_worker)
    content = with_row(eighty_actions(), b'<row r="200000"><c r="A200000" t="inlineStr"><is><t>x</t></is></c></row>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == SHEET:   # one more cell at the end of row 60
                end = data.index(b"</row>", data.index(b'<row r="60"'))
                data = data[:end] + b'<c r="ZZ60" t="inlineStr"><is><t>z</t></is></c>' + data[end:]
            target.writestr(info.filename, data)
    result = ingest(out.getvalue())
    assert [p.key for p in result.file_problems] == ["err.file.sheet_too_large"]
    assert result.actions == []
