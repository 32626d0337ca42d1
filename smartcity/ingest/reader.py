"""Turning the bytes of an uploaded file into sheets of cell values.

The format is sniffed from the content, never from the extension: agencies rename files,
and government systems export HTML or CSV with an .xls name. Workbooks are read with
python-calamine (fast, reads .xlsx/.xlsm/.xls/.ods and the cached values of formulas);
CSV with the standard library after guessing encoding and delimiter.

Every failure is raised as `Unreadable(key, **params)` for the caller to turn into a
file problem; nothing else escapes `read_sheets`.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from .bulk import BulkSource, SheetScan
from .numbers import BadCell

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMAT_LABELS = {"xlsx": "Excel (.xlsx)", "xlsm": "Excel (.xlsm)", "xls": "Excel 97-2003 (.xls)",
                 "ods": "OpenDocument (.ods)", "csv": "CSV"}


class Unreadable(BadCell):
    """The file is not a spreadsheet we can read; `key` names the message."""


@dataclass
class Sheet:
    """One sheet's cells as a list of rows, row 0 being spreadsheet row 1 and column 0 column A.

    `merges` are ((row, col), (last_row, last_col)) ranges, 0-based; `percent_cells`
    lazily gives the cells shown with a % number format, `formula_cells` the formula cells
    saved without a value (xlsx only, both (row, col) sets; None otherwise).
    """

    name: str
    rows: list[list]
    visible: bool = True
    merges: list = field(default_factory=list)
    percent_cells: object = None  # callable () -> set[tuple[int, int]], or None
    decimal: str | None = None  # "," or "." when the file shows which (CSV), else None
    formula_cells: object = None  # callable () -> set[tuple[int, int]], or None
    # A large sheet (smartcity.ingest.bulk): `rows` holds only its top rows, `bulk` reads the rest
    # into Arrow, `full` reads every row the ordinary way (load_full).
    bulk: object = None
    full: object = None
    has_formula: bool = True
    pending: object = None  # the guard's pass over the sheet, not taken yet (guard.PendingScan)

    def load_full(self) -> None:
        """Read every row the ordinary way (a large sheet the bulk path cannot read)."""
        if self.pending is not None:  # the guard's pass must end before calamine reads the whole sheet
            self.pending, pending = None, self.pending
            pending.result()
        if self.bulk is not None:
            self.bulk.wait()
        if self.full is not None:
            self.rows, self.merges = self.full()
        self.bulk = self.full = None


def sniff(content: bytes) -> str:
    """The format of `content`: "xlsx", "xlsm", "ods", "xls" or "csv"; raises Unreadable."""
    if not content or not content.strip(b" \t\r\n\x00"):
        raise Unreadable("err.file.empty")
    head = content[:1024]
    if head.startswith(b"%PDF"):
        raise Unreadable("err.file.pdf")
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(content)
    if head.startswith(OLE_MAGIC):
        return "xls"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in lowered[:200]:
        raise Unreadable("err.file.html")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" export
    if b"\x00" in head or _looks_binary(head):
        raise Unreadable("err.file.not_spreadsheet")
    return "csv"


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls > max(2, len(head) // 100)


def _sniff_zip(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if b"opendocument.spreadsheet" in _read_head(archive, "mimetype"):
                    return "ods"
            elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                types = _read_head(archive, "[Content_Types].xml")
                return "xlsm" if b"macroEnabled" in types else "xlsx"
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError, ValueError, EOFError, RuntimeError, NotImplementedError):
        raise Unreadable("err.file.damaged", format="ZIP") from None
    if "xl/workbook.bin" in names:
        raise Unreadable("err.file.xlsb")
    raise Unreadable("err.file.not_spreadsheet")


def _read_head(archive: zipfile.ZipFile, name: str, limit: int = 65536) -> bytes:
    """The first `limit` bytes of one member: enough to name the format, never a whole zip bomb."""
    with archive.open(name) as member:
        return member.read(limit)


def read_sheets(content: bytes, fmt: str, scans: dict | None = None) -> list[Sheet]:
    """All sheets of a workbook (or the one sheet of a CSV), in file order. `scans` are the guard's
    findings on the large sheets (smartcity.ingest.guard.check_before_parse), if it has run."""
    if fmt == "csv":
        return [read_csv(content)]
    return _read_workbook(content, fmt, scans)


def _read_workbook(content: bytes, fmt: str, scans: dict | None = None) -> list[Sheet]:
    import python_calamine as pc

    from .guard import MAX_SHEETS, check_sheet_size

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
        if len(book.sheets_metadata) > MAX_SHEETS:
            raise Unreadable("err.file.too_many_sheets", count=len(book.sheets_metadata), limit=MAX_SHEETS)
        sheets = []
        percent = _percent_finder(content) if fmt in ("xlsx", "xlsm") else None
        formulas = _formula_finder(content) if fmt in ("xlsx", "xlsm") else None
        large = _large_sheets(content) if fmt in ("xlsx", "xlsm") else {}

        def workbook():
            """calamine's workbook, opened again when a large sheet is read the ordinary way after all: it
            is let go once every sheet is listed (it holds a copy of the file, 10 MB at 100,000 rows,
            which the bulk reader of a large sheet never needs)."""
            nonlocal book
            if book is None:
                book = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
            return book

        for meta in book.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue  # chart sheets and macro sheets hold no table
            visible = str(meta.visible).rsplit(".", 1)[-1] == "Visible"
            finder = (lambda name=meta.name: percent(name)) if percent else None
            uncached = (lambda name=meta.name: formulas(name)) if formulas else None

            def full(name=meta.name):
                sheet = workbook().get_sheet_by_name(name)
                # Before turning cells into Python values (the costly part): a sheet too big to hold is refused.
                check_sheet_size(name, sheet.height, sheet.width)
                return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])

            peeked = (_peek(content, large[meta.name], (scans or {}).get(large[meta.name]))
                      if visible and meta.name in large else None)
            if peeked is not None:
                (rows, merges), scan = peeked
                pending = (scans or {}).get(large[meta.name])
                sheets.append(Sheet(meta.name, rows, visible, merges, finder, formula_cells=uncached,
                                    bulk=BulkSource(content, meta.name, large[meta.name]), full=full,
                                    has_formula=scan.has_formula,
                                    pending=pending if not isinstance(pending, SheetScan) else None))
                continue
            pending = (scans or {}).get(large.get(meta.name, ""))
            if pending is not None and not isinstance(pending, SheetScan):
                pending.result()  # the guard's pass must end before calamine reads the whole sheet
            rows, merges = full()
            sheets.append(Sheet(meta.name, rows, visible, merges, finder, formula_cells=uncached))
        book = None
        return sheets
    except Unreadable:
        raise
    except pc.PasswordError:
        raise Unreadable("err.file.password") from None
    except MemoryError:
        raise Unreadable("err.file.too_complex") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises many kinds for damaged files (a Rust panic is a
        # BaseException); all mean the same here
        raise Unreadable("err.file.damaged", format=FORMAT_LABELS[fmt], detail=str(exc)[:200]) from None


def _large_sheets(content: bytes) -> dict[str, str]:
    """Sheet name -> XML part of the sheets large enough for the bulk path (smartcity.ingest.bulk)."""
    from . import bulk
    from .xlsxfmt import sheet_paths

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: path for name, path in sheet_paths(archive).items() if bulk.is_large(archive, path)}


def _peek(content: bytes, path: str, scan=None):
    """((top rows, merged ranges), scan) of a large sheet, or None to read it the ordinary way. `scan`
    is the guard's (a SheetScan; a PendingScan not taken yet: then the top of the sheet is read here)."""
    from .bulk import NotBulk, head_scan, peek_rows, scan_sheet

    try:
        if not isinstance(scan, SheetScan):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                scan = head_scan(archive, path) if scan is not None else scan_sheet(archive, path)
        return peek_rows(content, path, scan), scan
    except NotBulk:
        return None
    except Exception:  # the peek is an optimisation: whatever goes wrong, read the sheet the ordinary way
        return None


def _percent_finder(content: bytes):
    from .xlsxfmt import PercentCells

    try:
        return PercentCells(content)
    except Exception:  # number formats are a refinement: without them values load unscaled
        return None


def _formula_finder(content: bytes):
    """Formula cells saved without a value (smartcity.ingest.xlsxfmt.FormulaCells). Unlike number
    formats this is not a refinement: a scan that fails is an error, never an empty set."""
    from .xlsxfmt import FormulaCells

    return FormulaCells(content)


# ---------------------------------------------------------------- CSV

def decode_text(content: bytes) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_csv(content: bytes) -> Sheet:
    """One sheet of string cells; the delimiter is the one that splits lines most evenly.
    NUL characters are dropped; a CSV over the sheet size limits (smartcity.ingest.guard) is refused."""
    from .guard import check_sheet_size, MAX_CELLS, MAX_ROWS

    text = decode_text(content).replace("\u00a0", " ").replace("\x00", "")
    delimiter = guess_delimiter(text)
    rows, cells, width = [], 0, 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            cells += len(row)
            width = max(width, len(row))
            if len(rows) > MAX_ROWS or cells > MAX_CELLS:
                check_sheet_size("", len(rows), max(width, cells // len(rows) + 1))
    except csv.Error as exc:  # a field over the csv module's limit (131,072 characters)
        raise Unreadable("err.file.damaged", format="CSV", detail=str(exc)[:200]) from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return Sheet("", rows, decimal=guess_decimal(rows))


def guess_delimiter(text: str) -> str:
    sample = text[:64_000].splitlines()[:60]
    best, best_score = ",", -1
    for delimiter in (";", ",", "\t", "|"):
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * (common > 1) * 1000 + common if common > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


# Numbers whose separators can only be read one way ("3,69", "1.250.000", "0.755");
# "1.250" and "1,250" are ambiguous and do not vote.
_COMMA_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$|^-?\d{1,3}(\.\d{3}){2,}$|^-?\d+,(\d{1,2}|\d{4,})$|^-?0,\d+$")
_DOT_DECIMAL = re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$|^-?\d{1,3}(,\d{3}){2,}$|^-?\d+\.(\d{1,2}|\d{4,})$|^-?0\.\d+$")


def guess_decimal(rows: list[list[str]]) -> str | None:
    """"," when the file's numbers are written 3,69 / 1.250.000; "." for 3.69 / 1,250,000."""
    comma = dot = 0
    for row in rows[:500]:
        for cell in row:
            cell = cell.strip()
            if not cell or not cell[-1].isdigit() or len(cell) > 20:
                continue
            if _COMMA_DECIMAL.match(cell):
                comma += 1
            elif _DOT_DECIMAL.match(cell):
                dot += 1
    if comma and not dot:
        return ","
    if dot and not comma:
        return "."
    return None
