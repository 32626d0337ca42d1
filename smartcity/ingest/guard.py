"""Refusing hostile files before a parser sees them, and sheets too big to hold.

A spreadsheet is a zip of XML parts (xlsx, xlsm, ods) or an OLE compound file (xls). Both can
be made to blow up a reader that trusts them: a few kilobytes that unpack to gigabytes (a zip
bomb), XML entities that expand to gigabytes (the "billion laughs") or reach outside the file
(XXE), or one value in cell XFD1048576 so that calamine allocates the whole 17-billion-cell
range (the process aborts; there is no exception to catch). `check_before_parse` looks at the
bytes without trusting them and raises `Unreadable` with a message naming what was refused:

- zip: more than MAX_MEMBERS parts; more than MAX_UNCOMPRESSED_MB unpacked in total; a part
  over 1 MB that unpacks more than MAX_RATIO times its packed size;
- every XML part (streamed, never held whole, and never unpacked past its declared size):
  an <!ENTITY declaration or a DOCTYPE with an internal subset, which no spreadsheet program
  writes;
- worksheets (xlsx) and tables (ods): the last cell that holds a value, found by scanning the
  XML, must lie within MAX_ROWS rows, MAX_COLUMNS columns and MAX_CELLS cells (rows x columns);
  empty formatted cells far down do not count (calamine skips them too);
- more than MAX_SHEETS sheets;
- an OLE file holding an EncryptionInfo stream: an Office file protected by a password.

`check_sheet_size` applies the same size limits to a sheet a parser has already read (xls,
CSV, and what the scan cannot see). Time and memory are bounded separately, by running the
parse in a worker process (smartcity.ingest.isolate).
"""
from __future__ import annotations

import io
import operator
import re
import threading
import zipfile

from .bytesearch import BytePattern
from .reader import FORMAT_LABELS, Unreadable
from .xlsxfmt import column_letter, sheet_paths
from .zipparts import unpacked

MAX_UNCOMPRESSED_MB = 200
MAX_RATIO = 100
MAX_MEMBERS = 10_000
MAX_SHEETS = 250
MAX_ROWS = 1_000_000
MAX_COLUMNS = 16_384
MAX_CELLS = 5_000_000

_MB = 1024 * 1024
_CHUNK = 1 << 20
_TAIL = 512  # bytes kept between chunks so that a tag cut in two is still seen (counting twice is harmless)
# Entity declarations are what both attacks need (expansion, or a SYSTEM entity reaching outside);
# a DOCTYPE with an internal subset ("<!DOCTYPE x [") is refused too. A bare DOCTYPE naming a DTD
# is allowed: OpenOffice 2 and 3 write one in META-INF/manifest.xml, and no parser here fetches it.
_ENTITY = tuple("<!ENTITY".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))
_DOCTYPE_UTF16 = tuple("<!DOCTYPE".encode(enc) for enc in ("utf-16-le", "utf-16-be"))
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[")
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
# A cell that can hold a value: `r="XFD1048576"` (or r='...') in a start tag that is not
# self-closing (a `<c r="..." s="3"/>` is formatting only). Only cells carry such an r attribute.
_XLSX_CELL = re.compile(rb"""r=["']([A-Z]{1,4})([0-9]{1,9})["'](?:[^>]*[^/>])?>""")
# The cheap bound: cell references in rows from 100,000 on, or in columns past Z. A sheet with neither
# has at most 99,999 x 26 cells, within the limits; only a sheet with such cells is scanned exactly
# (these also match formatting-only cells, which can only make the bound larger).
_FAR_CELL = re.compile(rb"""r=["'](?:([A-Z])([0-9]{6,9})|([A-Z]{2,4})([0-9]{1,9}))""")
_ANY_FAR_CELL = BytePattern(r"""r=["'][A-Z](?:[0-9]{6}|[A-Z]{1,3}[0-9])""")  # whether _FAR_CELL finds any
_SMALL_ROWS = 99_999
_XLSX_SHEET = re.compile(rb"<(?:[A-Za-z]\w*:)?sheet\s")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


# True in the reading worker (smartcity.ingest.isolate.serve): a parse that a hostile sheet makes
# allocate without end then ends that process, not the app's, so the bulk reader may read a large
# sheet while the guard's pass over it still runs (check_before_parse(overlap=True)).
PARSE_IN_WORKER = False


def check_before_parse(content: bytes, fmt: str, *, overlap: bool = False) -> dict:
    """Raise Unreadable when `content`, sniffed as `fmt`, must not reach a parser. Returns what the
    pass over a large worksheet found for the bulk reader ({part path: smartcity.ingest.bulk.SheetScan};
    the parts are unpacked once for both).

    With `overlap`, the pass over each large worksheet runs in a thread (a PendingScan in its place)
    while the bulk reader reads that sheet: the caller must take every PendingScan's result() before
    it uses what it read (smartcity.ingest.ingest_bytes does). Everything else is checked first."""
    try:
        if fmt in ("xlsx", "xlsm", "ods"):
            return _check_zip(content, fmt, overlap)
        if fmt == "xls":
            _check_ole(content)
        return {}
    except Unreadable:
        raise
    except MemoryError:
        raise Unreadable("err.file.too_complex") from None
    except Exception as exc:  # a damaged zip or a part that does not unpack: the file is damaged
        raise Unreadable("err.file.damaged", format=FORMAT_LABELS[fmt], detail=str(exc)[:200]) from None


def check_sheet_size(name: str, rows: int, columns: int) -> None:
    """Raise Unreadable when a sheet of `rows` x `columns` is over the limits."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise Unreadable("err.file.sheet_too_large", sheet=name or "-", rows=f"{rows:,}".replace(",", "."),
                         columns=f"{columns:,}".replace(",", "."), last_cell=f"{column_letter(max(columns, 1) - 1)}{rows}",
                         max_rows=f"{MAX_ROWS:,}".replace(",", "."), max_cells=f"{MAX_CELLS:,}".replace(",", "."))


def _check_ole(content: bytes) -> None:
    # An encrypted .xlsx/.xls saved by Excel is an OLE file with these two streams; their names
    # are stored in UTF-16 in the directory, so a plain search finds them without an OLE parser.
    if all(name in content for name in _ENCRYPTION_STREAMS):
        raise Unreadable("err.file.password")


def _check_zip(content: bytes, fmt: str, overlap: bool = False) -> dict:
    from .bulk import is_large

    scans = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Unreadable("err.file.zip_members", count=len(infos), limit=MAX_MEMBERS)
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_MB * _MB:
            raise Unreadable("err.file.zip_bomb", size_mb=f"{total / _MB:,.0f}".replace(",", "."),
                             limit_mb=MAX_UNCOMPRESSED_MB)
        for info in infos:
            if info.file_size > _MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise Unreadable("err.file.zip_ratio", part=info.filename[:100],
                                 ratio=info.file_size // max(info.compress_size, 1), limit=MAX_RATIO)
        if fmt != "ods":
            _check_xlsx_sheet_count(archive)  # first: cheap, and it spares scanning 2,000 sheets
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")) and not info.is_dir():
                if overlap and fmt != "ods" and _WORKSHEET.match(info.filename) and is_large(archive, info.filename):
                    scans[info.filename] = PendingScan(content, info.filename, fmt)
                    continue
                scan = _scan_part(content, archive, info, fmt)
                if scan is not None:
                    scans[info.filename] = scan
        if fmt == "ods":
            _check_ods(archive)
    return scans


class PendingScan:
    """The guard's pass over one large worksheet, taken while the bulk reader reads the sheet.

    The reader unpacks the part anyway to cut it into slices (smartcity.ingest.slices): it `ride`s,
    feeding each piece it unpacks to the pass's checks before it cuts rows from it, so the part is
    unpacked once and no row reaches a parser before the checks have seen it. When nobody rides, or a
    rider stops early (the sheet is read whole after all), `result()` runs the pass itself, in the
    caller's thread: as before, beside the reader's work. Unpacking the part twice, in a thread of
    its own, cost a 100,000-row load ~0.4 s (bench/results.md).

    `result()` waits for the pass: the SheetScan (None: the bulk reader cannot use it), or raises what
    the pass refused."""

    def __init__(self, content: bytes, part: str, fmt: str):
        self.part = part
        self._content, self._fmt = content, fmt
        self._lock = threading.Lock()
        self._own = threading.Lock()       # the pass run by result() itself: once, whoever asks
        self._rider: PartCheck | None = None
        self._rode = threading.Event()     # the rider has ended: finished or dropped
        self._out: tuple | None = None     # ("scan", SheetScan | None) or ("error", Unreadable)

    def ride(self) -> "PartCheck | None":
        """The checks for a reader about to unpack the whole part: it feeds them every piece in order,
        then calls `finish` (or `drop` when it stops early). None when the pass is taken already."""
        with self._lock:
            if self._rider is not None or self._out is not None:
                return None
            self._rider = _check_for(self._content, self.part, self._fmt, self._ended)
            return self._rider

    def _ended(self, out: tuple | None) -> None:
        with self._lock:
            if out is not None and self._out is None:
                self._out = out
            self._rode.set()

    def result(self):
        with self._lock:
            if self._rider is None and self._out is None:
                self._rider = _DONE   # nobody rides from now on: the pass runs here
                self._rode.set()
        self._rode.wait()
        with self._own:
            if self._out is None:  # no rider, or it stopped early: the pass of its own, once
                self._out = _guarded_pass(self._content, self.part, self._fmt)
        kind, value = self._out
        if kind == "error":
            raise value
        return value


def _guarded_pass(content: bytes, part: str, fmt: str) -> tuple:
    """The pass over one part as ("scan", its SheetScan or None) or ("error", the Unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "scan", _scan_part(content, archive, archive.getinfo(part), fmt)
    except Unreadable as bad:
        return "error", bad
    except MemoryError:
        return "error", Unreadable("err.file.too_complex")
    except Exception as exc:  # noqa: BLE001 - as check_before_parse: the file is damaged
        return "error", Unreadable("err.file.damaged", format=FORMAT_LABELS[fmt], detail=str(exc)[:200])


def settle(scans: dict) -> None:
    """Wait for every PendingScan among `scans`; raises Unreadable for the first that refused its part."""
    for scan in scans.values():
        if isinstance(scan, PendingScan):
            scan.result()


def _scan_part(content: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo, fmt: str):
    """Refuse entity declarations; for a worksheet, bound the sheet's size (cheaply, exactly when the
    cheap bound is over the limits) and, when it is large, feed the bulk reader's scanner."""
    check = PartCheck(content, info.filename, fmt, archive)
    for chunk in unpacked(content, archive, info, _CHUNK):  # never past the declared size; the CRC checked
        check.feed(chunk)
    return check.finish()


class PartCheck:
    """The checks of one XML part, fed the part piece by piece in order (by `_scan_part`, or by the
    bulk reader that unpacks a large worksheet anyway: PendingScan.ride). `feed` raises Unreadable at
    the first piece it refuses; `finish` ends the pass and returns the bulk reader's SheetScan of a
    large worksheet (None otherwise)."""

    def __init__(self, content: bytes, name: str, fmt: str, archive: zipfile.ZipFile, done=None):
        from .bulk import SheetScanner, is_large

        self.content, self.name, self.archive, self._done = content, name, archive, done
        self.cells = fmt != "ods" and bool(_WORKSHEET.match(name))
        self.scanner = SheetScanner() if self.cells and is_large(archive, name) else None
        self.utf16 = None
        self.big_rows, self.wide = 0, False
        self.tail = b""  # the end of the piece before, so that a tag cut in two is still seen

    def feed(self, chunk: bytes) -> None:
        if self.utf16 is None:  # an XML part in UTF-16 starts so (a BOM, or "<" and a NUL); otherwise it is not
            self.utf16 = chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]
        try:
            # A tag cut between two pieces is looked for in the seam (the end of the piece before and the
            # start of this one); the piece itself is searched as it is, not copied.
            if self.tail:
                self._look(self.tail + chunk[:_TAIL])
            self._look(chunk)
        except Unreadable as bad:
            self._end(("error", bad))
            raise
        self.tail = chunk[-_TAIL:]
        if self.scanner is not None:
            self.scanner.feed(chunk)

    def _look(self, block: bytes) -> None:
        # Both declarations start with "<!" (in UTF-16 too, the "!" is a byte 0x21): a block without a "!",
        # found at memchr speed, has neither (a 63 MB sheet: 0.07 -> 0.01 s). Then the long words are found
        # faster than a bare "<!", which every comment would match anyway.
        if b"!" in block:
            if _ENTITY[0] in block or (b"<!DOCTYPE" in block and _INTERNAL_SUBSET.search(block)):
                raise Unreadable("err.file.xml_entities", part=self.name[:100])
            if self.utf16 and (any(word in block for word in _ENTITY[1:]) or any(word in block for word in _DOCTYPE_UTF16)):
                raise Unreadable("err.file.xml_entities", part=self.name[:100])
        if self.cells and _ANY_FAR_CELL.found(block):  # most blocks have none: the search stops at the first
            for found in _FAR_CELL.finditer(block):
                letter, tall, letters, row = found.groups()
                if letters:
                    self.wide = True
                    row, columns = int(row), _column_number(letters)
                else:
                    row, columns = int(tall), _column_number(letter)
                    self.big_rows = max(self.big_rows, row)
                if (row > MAX_ROWS or columns > MAX_COLUMNS or row * columns > MAX_CELLS) \
                        and _XLSX_CELL.match(block, found.start()):
                    # One cell that can hold a value is alone past the limits: refused now, before a
                    # reader fed by this pass (PendingScan.ride) cuts the rows that hold it.
                    check_sheet_size(_xlsx_sheet_name(self.archive, self.name), row, columns)

    def finish(self):
        """The end of the part: the exact bound where the cheap one is over the limits (raises
        Unreadable), then the SheetScan of a large worksheet, or None."""
        from .bulk import NotBulk

        try:
            if self.cells and (self.wide or max(self.big_rows, _SMALL_ROWS) * 26 > MAX_CELLS or self.big_rows > MAX_ROWS):
                _check_cells(self.content, self.archive, self.archive.getinfo(self.name))  # the last cell, exactly
        except Unreadable as bad:
            self._end(("error", bad))
            raise
        scan = None
        if self.scanner is not None:
            try:
                scan = self.scanner.result()
            except NotBulk:  # read the ordinary way
                scan = None
        self._end(("scan", scan))
        return scan

    def drop(self) -> None:
        """The feeder stops before the end of the part: PendingScan.result runs the pass itself."""
        self._end(None)

    def _end(self, out: tuple | None) -> None:
        done, self._done = self._done, None
        if done is not None:
            done(out)


_DONE = object()  # PendingScan's rider once result() has taken the pass


def _check_for(content: bytes, part: str, fmt: str, done) -> PartCheck:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return PartCheck(content, part, fmt, archive, done)


def _check_cells(content: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    rows = columns = 0
    tail = b""
    for chunk in unpacked(content, archive, info, _CHUNK):
        block, tail = tail + chunk, chunk[-_TAIL:]   # a cell reference cut between two pieces is still seen
        found = _XLSX_CELL.findall(block)
        if found:  # map and set run in C: a 100,000-row sheet has two million cells
            rows = max(rows, max(map(int, map(_SECOND, found))))
            columns = max(columns, _column_number(max(set(map(_FIRST, found)), key=lambda x: (len(x), x))))
    if rows:
        check_sheet_size(_xlsx_sheet_name(archive, info.filename), rows, columns)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _xlsx_sheet_count(archive: zipfile.ZipFile) -> int:
    try:
        info = archive.getinfo("xl/workbook.xml")
    except KeyError:
        return 0
    with archive.open(info) as part:  # the first 20 MB hold the <sheets> list (a lower bound is enough)
        return len(_XLSX_SHEET.findall(part.read(20 * _MB)))


def _check_xlsx_sheet_count(archive: zipfile.ZipFile) -> None:
    count = _xlsx_sheet_count(archive)
    if count > MAX_SHEETS:
        raise Unreadable("err.file.too_many_sheets", count=count, limit=MAX_SHEETS)


def _xlsx_sheet_name(archive: zipfile.ZipFile, path: str) -> str:
    """The sheet's name as the user sees it, for the message (the part's path when unknown)."""
    try:
        return next((name for name, part in sheet_paths(archive).items() if part == path), path)
    except Exception:  # names are for the message only
        return path


# ---------------------------------------------------------------- OpenDocument

_ODS_TABLE = re.compile(rb'<table:table[\s>]')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)", re.S)
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _check_ods(archive: zipfile.ZipFile) -> None:
    """Sheets and the extent of their values in content.xml, where one row or cell element can stand
    for a million (table:number-rows-repeated): LibreOffice writes that for empty trailing rows,
    which do not count; a repeated row or cell with a value does."""
    try:
        content = archive.read("content.xml")
    except KeyError:
        return
    starts = [m.start() for m in _ODS_TABLE.finditer(content)]
    if len(starts) > MAX_SHEETS:
        raise Unreadable("err.file.too_many_sheets", count=len(starts), limit=MAX_SHEETS)
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(content)
        table = content[start:end]
        name = _ODS_NAME.search(table[:2000])
        rows, columns = _ods_extent(table)
        if rows:
            check_sheet_size(name.group(1).decode("utf-8", "replace") if name else "", rows, columns)


def _ods_extent(table: bytes) -> tuple[int, int]:
    row = last_row = last_column = 0
    for match in _ODS_ROW.finditer(table):
        repeat = _repeat(_ROWS_REPEATED, match.group(1))
        body = match.group(2)
        if body and (b"office:value-type" in body or b"<text:" in body):
            column = filled = 0
            for cell in _ODS_CELL.finditer(body):
                width = _repeat(_COLUMNS_REPEATED, cell.group(1))
                inner = cell.group(2)
                if b"office:value-type" in cell.group(1) or (inner and b"<text:" in inner):
                    filled = column + width
                column += width
            if filled:
                last_row, last_column = row + repeat, max(last_column, filled)
        row += repeat
    return last_row, last_column


def _repeat(pattern: re.Pattern, attributes: bytes) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1
