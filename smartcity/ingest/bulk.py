"""Reading a large .xlsx sheet without turning every cell into a Python object.

python-calamine's `to_python` builds one Python object per cell: on a 100,000-row sheet that
is most of the time an ingest takes. For a sheet whose XML is large (BULK_MIN_BYTES unpacked),
the reader instead:

1. streams the sheet's XML once (`scan_sheet`): keeps the part up to row PEEK_ROWS, the merged
   ranges (they sit after the cells) and whether any formula is present;
2. reads those top rows with calamine from a small workbook made of that part, the styles and
   the shared strings the top rows use (`peek_rows`): the same cells, dates and numbers as a
   full read, for the header search and the title rows;
3. reads the rows below the header with fastexcel into Arrow columns (`BulkSource.load`), each
   column's type found from all its cells, in slices of rows read on two threads where the sheet
   allows it (smartcity.ingest.slices); smartcity.ingest.bulkrows validates them column by
   column and hands the rows it cannot settle alone to the ordinary row reader.

Whenever one of these steps cannot give exactly what a full read gives (namespace prefixes,
rows without numbers, a column mixing numbers and text, merged or formula cells without a
value below the header...), the sheet is read the ordinary way (`Sheet.load_full`): the bulk
path is an optimisation, never a second set of rules.
"""
from __future__ import annotations

import io
import os
import re
import threading
import zipfile
from dataclasses import dataclass

from .bytesearch import BytePattern

PEEK_ROWS = 40                 # the header search looks at the first 30 rows (layout.HEADER_SEARCH_ROWS) + 3
BULK_MIN_BYTES = int(os.environ.get("SMARTCITY_BULK_MIN_BYTES", 4_000_000))  # unpacked sheet XML (~10,000 rows) from which the bulk path is worth it
_CHUNK = 1 << 20
_ROW = re.compile(rb"<row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_NOT_PLAIN = re.compile(rb"</?\w+:(?:row|c|v|f|sheetData)\b")  # prefixed tags (<x:c>): not for the fast path
_SHARED = re.compile(rb'<c\b[^>]*\st="s"[^>]*>\s*<v>(\d+)</v>')
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_FORMULA = BytePattern(r"<f[\s>/]")  # RE2 on large pieces (smartcity.ingest.bytesearch)
_SPARE_COLUMNS = 1024  # columns beyond the header's width still read as text (more: read the ordinary way)
_KEEP = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


class NotBulk(Exception):
    """This sheet is read the ordinary way."""


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found."""

    head: bytes            # from the start up to (not including) the first row after PEEK_ROWS
    merges: bytes          # the <mergeCells> element, or b""
    has_formula: bool


def is_large(archive: zipfile.ZipFile, path: str, min_bytes: int | None = None) -> bool:
    try:
        size = archive.getinfo(path).file_size
    except KeyError:
        return False
    return size >= (BULK_MIN_BYTES if min_bytes is None else min_bytes)


def scan_sheet(archive: zipfile.ZipFile, path: str) -> SheetScan:
    """One streamed pass over the sheet part (smartcity.ingest.guard does the same pass while it
    checks the part); raises NotBulk for XML the fast path does not read."""
    scanner = SheetScanner()
    with archive.open(path) as part:
        while chunk := part.read(_CHUNK):
            scanner.feed(chunk)
    return scanner.result()


def head_scan(archive: zipfile.ZipFile, path: str) -> SheetScan:
    """The top of the sheet only (read until row PEEK_ROWS + 1 begins): for the peek while the guard's
    pass over the whole part is pending (guard.PendingScan). Merged ranges and formulas are not known
    yet: none, and "maybe" (the caller takes them from the pass when it ends)."""
    scanner = SheetScanner()
    with archive.open(path) as part:
        while scanner.head is None and not scanner.refused and (chunk := part.read(_CHUNK)):
            scanner.feed(chunk)
    scan = scanner.result()
    return SheetScan(scan.head, b"", True)


class SheetScanner:
    """Fed the sheet's XML piece by piece; `result()` is the SheetScan, or raises NotBulk."""

    def __init__(self):
        self.buffer, self.head, self.merges, self.has_formula = b"", None, b"", False
        self.tail, self.refused = b"", None

    def feed(self, chunk: bytes) -> None:
        if self.refused:
            return
        # What a tag cut between two pieces would hide is looked for in the seam (the end of the piece
        # before and the start of this one): the piece itself is searched as it is, not copied.
        seam = self.tail + chunk[:64]
        try:
            if self.head is None:
                self.buffer += chunk
                self.head = _cut_head(self.buffer)
                if self.head is not None:
                    self.buffer = b""
                    if _NOT_PLAIN.search(self.head):
                        raise NotBulk("prefixed tags")
        except NotBulk as why:
            self.refused = str(why)
            return
        # "<f>", "<f .../>" or "<f/>" opens a formula (a regex: faster here than a search for the bytes "<f",
        # whose "<" starts every tag). A false alarm only costs the exact scan (smartcity.ingest.xlsxfmt).
        if not self.has_formula and (_FORMULA.found(seam) or _FORMULA.found(chunk)):
            self.has_formula = True
        if self.merges:
            self.merges += chunk
        elif (at := seam.find(b"<mergeCells", 0, len(self.tail))) >= 0:  # begun in the piece before
            self.merges = self.tail[at:] + chunk
        elif (at := chunk.find(b"<mergeCells")) >= 0:
            self.merges = chunk[at:]
        self.tail = chunk[-64:]

    def result(self) -> SheetScan:
        if self.refused:
            raise NotBulk(self.refused)
        if self.head is None:
            raise NotBulk("no rows after the header area")
        merges = self.merges
        if merges:
            end = merges.find(b"</mergeCells>")
            merges = merges[:end + len(b"</mergeCells>")] if end >= 0 else b""
        return SheetScan(self.head, merges, self.has_formula)


def _cut_head(xml: bytes) -> bytes | None:
    """The XML before the first row numbered above PEEK_ROWS, once the buffer reaches it."""
    start = xml.find(b"<sheetData")
    if start < 0:
        return None
    for match in _ROW.finditer(xml, start):
        number = _ROW_NUMBER.search(match.group(1))
        if number is None:
            raise NotBulk("a row without its number")
        if int(number.group(1)) > PEEK_ROWS:
            return _DIMENSION.sub(b"", xml[:match.start()])
    if b"</sheetData>" in xml:
        raise NotBulk("the whole sheet fits in the header area")
    return None


def peek_rows(content: bytes, path: str, scan: SheetScan) -> tuple[list[list], list]:
    """(rows, merged ranges) of the top of the sheet, as calamine reads them from the whole file."""
    import python_calamine as pc

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        shared = _shared_strings(archive, scan.head)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as small:
            for name in _KEEP:
                try:
                    small.writestr(name, archive.read(name))
                except KeyError:
                    if name != "xl/styles.xml":
                        raise NotBulk(f"{name} missing") from None
            if shared is not None:
                small.writestr("xl/sharedStrings.xml", shared)
            small.writestr(path, scan.head + b"</sheetData>" + scan.merges + b"</worksheet>")
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    target = _sheet_name(book, path, content)
    sheet = book.get_sheet_by_name(target)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


def _sheet_name(book, path: str, content: bytes) -> str:
    from .xlsxfmt import sheet_paths

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name, part in sheet_paths(archive).items():
            if part == path:
                return name
    raise NotBulk("sheet not found")


def _shared_strings(archive: zipfile.ZipFile, head: bytes) -> bytes | None:
    """sharedStrings.xml cut after the last string the top rows use (strings are numbered in file order)."""
    try:
        info = archive.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return None
    used = [int(m.group(1)) for m in _SHARED.finditer(head)]
    needed = max(used) + 1 if used else 0
    buffer = b""
    count = 0
    searched = 0
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            buffer += chunk
            while count < needed:
                at = buffer.find(b"</si>", searched)
                if at < 0:
                    break
                count += 1
                searched = at + 5
            if count >= needed:
                break
    if count < needed:
        raise NotBulk("shared strings missing")
    start = buffer.find(b"<si")
    if _NOT_PLAIN.search(buffer[:200]) or (needed and start < 0):
        raise NotBulk("shared strings not plain")
    opening = buffer[:start] if start >= 0 else buffer[:buffer.find(b">", buffer.find(b"<sst")) + 1]
    return opening + (buffer[start:searched] if needed else b"") + b"</sst>"


class BulkSource:
    """The rows below the header of one large sheet, read into Arrow by fastexcel."""

    def __init__(self, content: bytes, name: str, path: str = ""):
        self.content, self.name, self.path = content, name, path
        self._started: tuple | None = None   # (key, thread, outcome) of a read begun early (start)

    def start(self, data_start: int, kinds: dict[int, str], width: int, guard=None) -> None:
        """Begin `load` in a thread (fastexcel leaves the interpreter free); `load` with the same
        arguments then takes its result. Used while the guard's pass over the sheet is pending
        (`guard`, a guard.PendingScan): the read takes the pass along when it cuts the sheet."""
        outcome: dict = {}
        check = guard.ride() if guard is not None else None

        def run():
            try:
                outcome["table"] = self._read(data_start, kinds, width, check)
            except BaseException as exc:  # noqa: BLE001 - handed to load()
                outcome["error"] = exc
            finally:
                if check is not None:
                    check.drop()  # nothing once it has finished

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self._started = ((data_start, tuple(sorted(kinds.items())), width), thread, outcome)

    def wait(self) -> None:
        """Let a read begun by `start` finish (its memory is given back before another read)."""
        if self._started:
            self._started[1].join()

    def load(self, data_start: int, kinds: dict[int, str], width: int):
        """A pyarrow Table with one column per sheet column (named by its 0-based index) for rows
        data_start.. of the sheet. `kinds` maps the columns of our fields to "text", "number" or
        "date"; their types are guessed from every cell, strictly (a column mixing numbers and text
        raises NotBulk); the other columns come as text (their cells are shown in rejected rows)."""
        started, self._started = self._started, None
        if started:
            key, thread, outcome = started
            thread.join()
            if key == (data_start, tuple(sorted(kinds.items())), width):
                if "error" in outcome:
                    raise outcome["error"]
                return outcome["table"]
        return self._read(data_start, kinds, width)

    def _read(self, data_start: int, kinds: dict[int, str], width: int, check=None):
        import fastexcel
        import pyarrow as pa

        from .reader import Unreadable
        from .slices import read_in_slices

        # dtypes are keyed by the sheet's column index (A = 0); keys of absent columns are ignored
        dtypes = {i: "string" for i in range(width + _SPARE_COLUMNS) if i not in kinds}
        if self.path:
            try:
                return read_in_slices(self.content, self.name, self.path, data_start, dtypes, check=check)
            except (NotBulk, MemoryError, Unreadable):  # Unreadable: the guard's pass refused the sheet
                raise
            except Exception:  # NoSlices, or XML the cutting does not expect: one read of the whole sheet
                pass
        try:
            reader = fastexcel.read_excel(self.content)
            sheet = reader.load_sheet(self.name, header_row=None, skip_rows=data_start, dtypes=dtypes or None,
                                      dtype_coercion="strict", schema_sample_rows=None)
            batch = sheet.to_arrow()
        except NotBulk:
            raise
        except Exception as exc:  # a mixed column, or anything fastexcel does not read like calamine
            raise NotBulk(str(exc)[:200]) from None
        infos = sheet.available_columns()
        arrays, names = [], []
        for info, array in zip(infos, batch.columns):
            arrays.append(array)
            names.append(str(info.absolute_index))
        return pa.table(arrays, names=names)
