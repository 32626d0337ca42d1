"""Reading a large sheet's rows in slices: a bounded share of memory, and both cores.

fastexcel reads a sheet in one call and holds every cell of it until it hands over the Arrow
columns (~150 MB for 100,000 rows of 18 columns). `read_in_slices` instead streams the sheet's XML
and cuts it at a row's start every `size` bytes. Each slice becomes a small workbook of its own (the
workbook's parts, the styles, the shared strings, the sheet's XML up to <sheetData>, the slice's
rows) that fastexcel reads on one of READERS threads while the next slice is unpacked; at most
READERS + 1 slices are held at once.

The slices' columns are put end to end, with empty rows where the sheet writes none between two
slices, so that the table is row for row the one a read of the whole sheet gives. fastexcel numbers
rows from the sheet's first row in every slice (the `r` of each row and cell is kept): the first
slice skips the rows above the data, and a later one names the row before its own as its header row
(absent from its XML), so that fastexcel gives its rows and holds no empty cells for the rows above
it. A slice with no value from its first row on is empty. A column's type is found per slice; slices
that disagree are reconciled as one read would type the column (whole numbers and fractions:
numbers; dates and dates with times: dates with times), and a column that holds text in one slice
and numbers in another is what the strict whole read refuses too (NotBulk). What cannot be cut
exactly (a row without its number, rows out of order) is read whole: NoSlices.
tests/test_ingest_slices.py compares the slices with one read at many cut sizes;
tests/test_ingest_bulk.py reads every large sheet in tiny slices, in one slice and the ordinary way,
and compares.
"""
from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from .bulk import _DIMENSION, _KEEP, _ROW, _ROW_NUMBER, NotBulk
from .zipparts import unpacked

SLICE_BYTES = int(os.environ.get("SMARTCITY_BULK_SLICE_BYTES", 2_000_000))  # unpacked XML, ~2,000 rows of 18 columns
READERS = 2
SHARED_SHARE = 8          # slices only where the shared strings are under 1/8 of a slice
_CHUNK = 1 << 20
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*>")
_ROW_END = (b" ", b">", b"\t", b"\n", b"\r")
# A slice whose part of a column is empty is typed as text by fastexcel, which says so each time:
# expected here (_common_type leaves such a part out), so not worth a line in the log per slice.
logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)


class NoSlices(Exception):
    """This sheet's XML is not cut: it is read whole."""


def read_in_slices(content: bytes, name: str, path: str, skip: int, dtypes: dict | None,
                   size: int | None = None, check=None):
    """A pyarrow Table of the sheet's rows from 0-based row `skip`, one column per sheet column
    (named by its 0-based index), as `fastexcel.load_sheet(name, header_row=None, skip_rows=skip,
    dtypes=dtypes, dtype_coercion="strict")` gives it for the whole sheet. Raises NotBulk as that
    read would (a column mixing numbers and text), NoSlices when the XML cannot be cut exactly.

    `check` (the guard's pass over the part, guard.PartCheck) is fed every piece of the part as it is
    unpacked, before any row of it is cut, and finished at its end: what it refuses is raised here
    (Unreadable). It is dropped when the part is not read to its end."""
    try:
        return _read_in_slices(content, name, path, skip, dtypes, SLICE_BYTES if size is None else size, check)
    finally:
        if check is not None:
            check.drop()  # nothing once it has finished


def _read_in_slices(content: bytes, name: str, path: str, skip: int, dtypes: dict | None, size: int, check):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {}
        for part in (*_KEEP, "xl/sharedStrings.xml"):
            try:
                parts[part] = archive.read(part)
            except KeyError:
                if part not in ("xl/styles.xml", "xl/sharedStrings.xml"):
                    raise NoSlices(f"{part} missing") from None
        # Every slice's workbook has the shared strings, and fastexcel reads them all for each slice:
        # with many (measured: 8 MB of them beside a 63 MB sheet), slices of any size were slower and
        # needed more memory than one read. Sheets written with inline strings, as streaming writers
        # (Apache POI's SXSSF, XlsxWriter's constant_memory) write large exports, have none.
        if len(parts.get("xl/sharedStrings.xml", b"")) * SHARED_SHARE > size:
            raise NoSlices("many shared strings")
        if size >= archive.getinfo(path).file_size:
            raise NoSlices("one slice")
        pieces = _read_all(_cut(content, archive, path, skip, size, check), parts, path, name, skip, dtypes)
    return _join(pieces)


def _read_all(slices, parts: dict, path: str, name: str, start: int, dtypes: dict | None) -> list[tuple[int, dict, int]]:
    """[(first row, {column name: array}, row count)] of every slice, in order."""
    out, running = [], deque()
    with ThreadPoolExecutor(READERS, thread_name_prefix="slice") as pool:
        try:
            for first, prefix, rows in slices:
                if len(running) > READERS:
                    out.append(running.popleft().result())
                running.append(pool.submit(_read_slice, parts, path, prefix, rows, name, first, start, dtypes))
            while running:
                out.append(running.popleft().result())
        finally:
            for future in running:
                future.cancel()
    return out


def _cut(content: bytes, archive: zipfile.ZipFile, path: str, skip: int, size: int, check=None):
    """(first 0-based row the slice gives, the sheet's XML up to and with <sheetData>, the slice's rows)."""
    prefix, first = None, skip
    chunks, held = [], 0
    for chunk in unpacked(content, archive, archive.getinfo(path), _CHUNK):
        if check is not None:
            check.feed(chunk)
        chunks.append(chunk)
        held += len(chunk)
        if held < size:
            continue
        data = b"".join(chunks)
        if prefix is None:
            prefix, data = _split_prefix(data)
            if prefix is None:
                chunks, held = [data], len(data)
                continue
        at, row = _cut_point(data)
        if at is None or row - 1 <= first:
            chunks, held = [data], len(data)
            continue
        yield first, prefix, data[:at]
        first, data = row - 1, data[at:]
        chunks, held = [data], len(data)
    if check is not None:
        check.finish()
    data = b"".join(chunks)
    if prefix is None:
        prefix, data = _split_prefix(data)
        if prefix is None:
            raise NoSlices("no <sheetData>")
    end = data.find(b"</sheetData>")
    if end < 0:
        raise NoSlices("no </sheetData>")
    yield first, prefix, data[:end]


def _split_prefix(data: bytes) -> tuple[bytes | None, bytes]:
    """(the XML up to and with the <sheetData> tag, without <dimension>; the rest), or (None, data)."""
    found = _SHEET_DATA.search(data)
    if found is None:
        return None, data
    if found.group().endswith(b"/>"):
        raise NoSlices("empty <sheetData/>")
    return _DIMENSION.sub(b"", data[:found.end()]), data[found.end():]


def _cut_point(data: bytes) -> tuple[int | None, int]:
    """(where the last row that starts in `data` before </sheetData> begins, its 1-based number)."""
    end = data.find(b"</sheetData>")
    at = data.rfind(b"<row", 0, end if end >= 0 else len(data))
    while at > 0 and data[at + 4:at + 5] not in _ROW_END:
        at = data.rfind(b"<row", 0, at)
    if at <= 0:
        return None, 0
    tag = _ROW.match(data, at)
    if tag is None and data.find(b">", at) < 0:  # the tag goes on in the next chunk: cut at the row before
        return _cut_point(data[:at])
    number = _ROW_NUMBER.search(tag.group(1)) if tag else None
    if number is None:
        raise NoSlices("a row without its number")
    return at, int(number.group(1))


def _read_slice(parts: dict, path: str, prefix: bytes, rows: bytes, name: str, first: int, start: int, dtypes):
    import fastexcel

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as book:
        for part, data in parts.items():
            book.writestr(part, data)
        with book.open(path, "w") as sheet_xml:
            sheet_xml.write(prefix)
            sheet_xml.write(rows)
            sheet_xml.write(b"</sheetData></worksheet>")
    del rows
    try:
        reader = fastexcel.read_excel(out.getvalue())
        del out
        # A later slice names the row before its first as the header (absent from its XML: no names):
        # fastexcel then holds cells from there on, not the empty rows above, as skip_rows would. Not
        # row 0: fastexcel then takes the first row that has a value as the header (measured).
        place = {"header_row": first - 1} if first != start and first >= 2 else {"header_row": None, "skip_rows": first}
        sheet = reader.load_sheet(name, **place, dtypes=dtypes or None, dtype_coercion="strict",
                                  schema_sample_rows=None)
        batch = sheet.to_arrow()
    except Exception as exc:  # a mixed column, or anything fastexcel does not read like calamine
        if "rows skipped" in str(exc):  # no value from `first` on ("Too many rows skipped"): an empty slice
            return first, _columns_only(reader, name), 0
        raise NotBulk(str(exc)[:200]) from None
    columns = {str(info.absolute_index): array for info, array in zip(sheet.available_columns(), batch.columns)}
    return first, columns, batch.num_rows


def _columns_only(reader, name: str) -> dict:
    """The columns of an empty slice, without rows: one read of the whole sheet has a column for every
    column that holds a value in any row, the skipped rows above the data too."""
    import pyarrow as pa

    try:
        sheet = reader.load_sheet(name, header_row=None, dtypes="string", schema_sample_rows=None)
    except Exception as exc:  # noqa: BLE001 - what fastexcel refuses here is read the ordinary way
        raise NotBulk(str(exc)[:200]) from None
    return {str(info.absolute_index): pa.nulls(0) for info in sheet.available_columns()}


def _join(pieces: list[tuple[int, dict, int]]):
    """The slices end to end, with the sheet's unwritten rows between them as empty rows."""
    import pyarrow as pa

    filled = [k for k, (_first, _columns, n) in enumerate(pieces) if n]
    if not filled:
        raise NoSlices("no rows below the header")
    pieces = pieces[:filled[-1] + 1]
    spans = [pieces[k + 1][0] - pieces[k][0] for k in range(len(pieces) - 1)] + [pieces[-1][2]]
    if any(n > span for (_first, _columns, n), span in zip(pieces, spans)):
        raise NoSlices("rows out of order")
    names = sorted({column for _first, columns, _n in pieces for column in columns}, key=int)
    table = {}
    for column in names:  # one array per column (the rules read each whole): each slice's part let go as it is copied
        target = _common_type([columns[column] for _first, columns, n in pieces if n and column in columns])
        chunks = []
        for (_first, columns, n), span in zip(pieces, spans):
            array = columns.pop(column, None)
            if n and array is not None:
                chunks.append(array if array.type == target else array.cast(target))
                n_rows = n
            else:
                n_rows = 0
            if span > n_rows:
                chunks.append(pa.nulls(span - n_rows, target))
        table[column] = pa.concat_arrays(chunks) if len(chunks) > 1 else chunks[0]
    return pa.table(table)


def _common_type(arrays: list):
    """The type one read of the whole column gives, from its slices (a slice with no value in the
    column has no say: fastexcel types it as it likes)."""
    import pyarrow as pa

    found = {a.type for a in arrays if a.null_count < len(a) and not pa.types.is_null(a.type)}
    if not found:  # no value in any slice: text, as fastexcel types a column without values
        return arrays[0].type if arrays else pa.string()
    if len(found) == 1:
        return found.pop()
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in found):
        return pa.float64()
    if all(pa.types.is_date(t) or pa.types.is_timestamp(t) for t in found):
        stamps = [t for t in found if pa.types.is_timestamp(t)]
        return stamps[0] if len(set(stamps)) == 1 else pa.timestamp("ms")
    if all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in found):
        return pa.large_string()
    raise NotBulk("a column holds different kinds of values in different parts of the sheet")
