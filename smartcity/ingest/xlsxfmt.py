"""Which cells of an .xlsx are shown as percentages: the one thing calamine does not tell us.

An officer who types 75,5% into Excel stores 0.755 with a "0.0%" number format; calamine
gives 0.755. To load it as 75.5 percent points we need the cell's number format. openpyxl
would parse every cell's style (slow on 100,000 rows), so we read styles.xml once and, only
when some style is a percentage, scan that sheet's XML with one regular expression for the
cells carrying such a style.
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
