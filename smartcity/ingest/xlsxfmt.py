"""What calamine does not tell us about an .xlsx: which cells are shown as percentages, and
which formulas were saved without a value.

An officer who types 75,5% into Excel stores 0.755 with a "0.0%" number format; calamine
gives 0.755. To load it as 75.5 percent points we need the cell's number format. openpyxl
would parse every cell's style (slow on 100,000 rows), so we read styles.xml once and, only
when some style is a percentage, scan that sheet's XML with one regular expression for the
cells carrying such a style.

A formula cell holds the formula (<f>) and the value the program last computed (<v>). Excel
and LibreOffice always save that value; a file written by a tool that does not compute
formulas (openpyxl, a report generator) has the formula and no value, and calamine gives an
empty cell. `FormulaCells` finds those cells, so that they are reported instead of read as
empty.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile

from defusedxml import ElementTree

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BUILTIN_PERCENT = {9, 10}
_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]{1,3})(\d+)"([^>]*)>')
_STYLE = re.compile(rb'\ss="(\d+)"')


class PercentCells:
    """Callable per sheet name -> set of (row, col), 0-based, of cells with a % format."""

    def __init__(self, content: bytes):
        self._zip = zipfile.ZipFile(io.BytesIO(content))
        self._styles = self._percent_styles()
        self._paths = self._sheet_paths() if self._styles else {}
        self._cache: dict[str, set[tuple[int, int]]] = {}

    def __call__(self, sheet_name: str) -> set[tuple[int, int]]:
        if not self._styles or sheet_name not in self._paths:
            return set()
        if sheet_name not in self._cache:
            self._cache[sheet_name] = self._scan(self._paths[sheet_name])
        return self._cache[sheet_name]

    def _percent_styles(self) -> set[bytes]:
        try:
            root = ElementTree.fromstring(self._zip.read("xl/styles.xml"))
        except KeyError:
            return set()
        percent_ids = set(_BUILTIN_PERCENT)
        for fmt in root.iterfind("m:numFmts/m:numFmt", _NS):
            code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))  # a quoted "%" is literal text
            if "%" in code:
                percent_ids.add(int(fmt.get("numFmtId", "-1")))
        return {str(i).encode() for i, xf in enumerate(root.iterfind("m:cellXfs/m:xf", _NS))
                if int(xf.get("numFmtId", "0")) in percent_ids}

    def _sheet_paths(self) -> dict[str, str]:
        return sheet_paths(self._zip)

    def _scan(self, path: str) -> set[tuple[int, int]]:
        try:
            xml = self._zip.read(path)
        except KeyError:
            return set()
        found = set()
        styles = self._styles
        for match in _CELL.finditer(xml):
            style = _STYLE.search(match.group(3))
            if style and style.group(1) in styles:
                found.add((int(match.group(2)) - 1, column_index(match.group(1).decode())))
        return found


# A formula element (<f>...</f>, <f t="shared" si="0"/>) NOT followed by a <v> holding text: the
# formula of a cell saved without its value. A formula's text holds no "<" (XML escapes it as &lt;).
_UNCACHED = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>[^<]*</(?:\w+:)?f>)(?!\s*<(?:\w+:)?v>[^<])")
_TYPE = re.compile(rb'\st="(\w+)"')
_EMPTY_VALUE = re.compile(rb"\s*<(?:\w+:)?v(?:/>|></(?:\w+:)?v>)")
# The fast path, for XML as Excel, LibreOffice and openpyxl write it (no prefixes, no spaces between
# tags): a formula without a value ends in one of these markers, found by bytes.find (memchr speed)
# instead of trying a regex at every "<" of a 100,000-row sheet.
_MISSING_MARKERS = (b"</f></c>", b"</f><v></v>", b"</f><v/>", b"/></c>")
_PLAIN_SAMPLE = 65536
_CHUNK = 1 << 20
# An "f" ending a tag name: the regex engine finds the rare "f" fast; the "<" or "x:" before it is
# checked in Python (a lookbehind in the pattern would make the search ten times slower).
_F_CANDIDATE = re.compile(rb"f[\s>/]")
_PREFIX = re.compile(rb"<\w+:$")
_NOT_PLAIN = re.compile(rb">\s+<|</?\w+:\w")  # spaces between tags, or prefixed tags (<x:c>)


class FormulaCells:
    """Callable per sheet name -> set of (row, col), 0-based, of formula cells saved without a value.

    The sheet's XML is read once (its size is bounded by smartcity.ingest.guard before any
    parser runs) and searched as bytes; nothing is parsed as XML. A sheet without formulas
    costs one search. A text formula whose value is the empty text (t="str" and <v></v>, as
    Excel saves =IF(A1="";"";A1)) has a value and is not reported.
    """

    def __init__(self, content: bytes):
        self._zip = zipfile.ZipFile(io.BytesIO(content))
        self._paths: dict[str, str] | None = None
        self._cache: dict[str, set[tuple[int, int]]] = {}

    def __call__(self, sheet_name: str) -> set[tuple[int, int]]:
        if self._paths is None:
            self._paths = sheet_paths(self._zip)
        if sheet_name not in self._paths:
            return set()
        if sheet_name not in self._cache:
            self._cache[sheet_name] = self._scan(self._paths[sheet_name])
        return self._cache[sheet_name]

    def _scan(self, path: str) -> set[tuple[int, int]]:
        try:
            if not self._has_formula(path):
                return set()  # the common case, found without holding the sheet's XML
            xml = self._zip.read(path)
        except KeyError:
            return set()
        data = max(xml.find(b"sheetData") - 8, 0)
        if _NOT_PLAIN.search(xml, data, data + _PLAIN_SAMPLE):
            return _scan_any(xml)
        return _scan_plain(xml)

    def _has_formula(self, path: str) -> bool:
        """Whether the part holds a formula element, read in 1 MB pieces and stopping at the first."""
        tail = b""
        with self._zip.open(path) as part:
            while chunk := part.read(_CHUNK):
                piece = tail + chunk
                for match in _F_CANDIDATE.finditer(piece, 1):
                    at = match.start()
                    before = piece[at - 1]  # "<f" or "<x:f"
                    if before == 60 or (before == 58 and _PREFIX.search(piece, max(0, at - 24), at)):
                        return True
                tail = piece[-32:]
        return False


def _scan_plain(xml: bytes) -> set[tuple[int, int]]:
    found = set()
    for marker in _MISSING_MARKERS:
        at = xml.find(marker)
        while at >= 0:
            end = at + len(marker)
            start = xml.rfind(b"<c ", 0, at)
            cell = _CELL.match(xml, start) if start >= 0 else None
            # The marker must close a cell whose first child is the formula (f comes before v).
            if cell is not None and xml.startswith(b"<f", cell.end()) and xml.find(b"</c>", cell.end(), at) < 0:
                body = xml[cell.end():end]
                has_value = b"<v>" in body and b"<v></v>" not in body
                if not has_value and not (_is_text(cell) and b"<v" in body):
                    found.add(_where(cell))
            at = xml.find(marker, end)
    return found


def _scan_any(xml: bytes) -> set[tuple[int, int]]:
    """The same for any well-formed XML (namespace prefixes, spaces between tags): slower."""
    found = set()
    for match in _UNCACHED.finditer(xml):
        # <f> is the first child of its cell: the cell's start tag ends just before it
        # (attribute values hold no "<", so the last "<" before the formula opens that tag).
        start = xml.rfind(b"<", 0, match.start())
        cell = _CELL.match(xml, start) if start >= 0 else None
        if cell is None:
            continue
        if _is_text(cell) and _EMPTY_VALUE.match(xml, match.end()):
            continue
        found.add(_where(cell))
    return found


def _is_text(cell: re.Match) -> bool:
    """A text formula (t="str"): an empty <v></v> is its computed value "" (=IF(A1="";"";A1))."""
    kind = _TYPE.search(cell.group(3))
    return bool(kind) and kind.group(1) == b"str"


def _where(cell: re.Match) -> tuple[int, int]:
    return int(cell.group(2)) - 1, column_index(cell.group(1).decode())


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part in an .xlsx (sheet1.xml is not always the first sheet)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    paths = {}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(_REL_NS), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        paths[sheet.get("name")] = path
    return paths


def column_index(letters: str) -> int:
    """0-based index of a column letter: A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def column_letter(index: int) -> str:
    """Column letter of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
