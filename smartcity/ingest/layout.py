"""Finding the table inside a sheet as people really lay it out.

- The header row is found by itself in the first 30 rows: every candidate block of one to
  three rows is scored by how many canonical fields its cells name (smartcity.domain.FIELDS
  aliases), with the required fields counting double.
- Two- or three-row headers are combined: a parent cell ("Realisasi", "Anggaran") is spread
  over the columns it is merged across (or, without merge information, over the empty cells
  to its right that have a child below), and parent + child text is mapped ("Realisasi" over
  "TW I" -> actual_q1, "Anggaran" over "Pagu" -> budget).
- Below the header: a row of column numbers (1, 2, 3 ... or "13 = 9+10+11+12") and a row of
  units ("Rp", "%") are skipped; `classify` tells data rows from blank, section ("A. PILAR
  INTEGRASI", "I. DINAS KESEHATAN"), total ("JUMLAH"), heading and signature rows.
- Cells merged over several data rows (`MergedData`): a text or date value is carried to the
  rows the merge covers; a number is not (it counts once, for the top row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from smartcity.domain import FIELDS, FIELDS_BY_NAME, QUARTER_FIELDS

from .xlsxfmt import column_letter

HEADER_SEARCH_ROWS = 30
REQUIRED = ("code", "activity", "target")
_REQUIRED_SET = frozenset(REQUIRED)
# Quarterly targets ("Target" over "TW I .. TW IV"): not template fields, but read so that the
# year's target can be derived from them by the quarter rule when no "Target" column exists.
TARGET_QUARTERS = ("target_q1", "target_q2", "target_q3", "target_q4")
EXTRA_LABELS = {f"target_q{n}": (f"Target TW {r}", f"Target Q{n}") for n, r in zip(range(1, 5), ("I", "II", "III", "IV"))}


def field_kind(name: str) -> str:
    """How a field's cells are parsed (FIELDS kind; quarterly targets are numbers)."""
    return "number" if name in EXTRA_LABELS else FIELDS_BY_NAME[name].kind


def _with_target(names: set[str]) -> set[str]:
    return names | {"target"} if names & set(TARGET_QUARTERS) else names


@lru_cache(maxsize=16384)
def norm_header(text: str) -> str:
    """Header text reduced for matching: lower case, no (parenthesis), years, Rp, %, or * : marks."""
    s = str(text).lower().replace("\n", " ").replace("_", " ").replace("\u00a0", " ")
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)
    s = re.sub(r"\b(19|20)\d{2}\b", " ", s)
    s = re.sub(r"(?<![\w.])(rp\.?|idr|%)(?![\w])", " ", s)
    s = re.sub(r"[*:]", " ", s)
    return re.sub(r"\s+", " ", s).strip(" .-/,")


_ALIASES: dict[str, str] = {}
for _f in FIELDS:
    for _a in (_f.name.replace("_", " "), *_f.aliases):
        _ALIASES.setdefault(norm_header(_a), _f.name)
# Prefix matching ("Target Kinerja 2024" -> target) only for aliases long enough not to misfire
# ("ID Indikator" is not a code column).
_PREFIXES = sorted((a for a in _ALIASES if len(a) >= 4), key=len, reverse=True)


@lru_cache(maxsize=8192)
def match_exact(label: str) -> str | None:
    return _ALIASES.get(label)


@lru_cache(maxsize=8192)
def match_prefix(label: str) -> str | None:
    """The field whose longest alias starts `label` at a word boundary ("Target Kinerja 2024")."""
    for alias in _PREFIXES:
        if label.startswith(alias) and (len(label) == len(alias) or not label[len(alias)].isalnum()):
            return _ALIASES[alias]
    return None


_QUARTER_WORD = re.compile(r"\b(?:triwulan|tw|trw)\s*[-.]?\s*(iv|iii|ii|i|[1-4])\b")
_QUARTER_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONEY_WORD = re.compile(r"\b(anggaran|keuangan|keu|rupiah)\b")
_PLAN_WORD = re.compile(r"\b(target|rencana|pagu|alokasi)\b")
# "K | % | Rp." under each quarter: K (kinerja, physical output) is the quarter's value itself.
_PERFORMANCE_UNIT = frozenset({"k", "kinerja", "fisik"})
_RP_CELL = re.compile(r"^\(?\s*rp\.?\s*\)?$", re.I)


def _spent_quarter(levels: tuple[str, ...]) -> str | None:
    """budget_spent_qN for money realised in a quarter: "Rp" (or Keuangan) under "Triwulan I",
    "Realisasi Anggaran" over "TW I"; not a quarter's planned money ("Target" over "TW I" over "Rp")."""
    joined = " ".join(levels)
    quarter = _QUARTER_WORD.search(joined)
    if quarter is None or not _MONEY_WORD.search(joined) or _PLAN_WORD.search(joined):
        return None
    return f"budget_spent_q{_QUARTER_NUMBER[quarter.group(1)]}"


@lru_cache(maxsize=8192)
def match_levels(levels: tuple[str, ...]) -> str | None:
    """The field named by a column's header levels, parent first (already normalised)."""
    if not levels:
        return None
    spent = _spent_quarter(levels)
    if spent:
        return spent
    if levels[-1] == "rupiah":  # any other "Rp" is read as if it were not written (as before)
        levels = levels[:-1]
        if not levels:
            return None
    if len(levels) > 1 and levels[-1] in _PERFORMANCE_UNIT:
        levels = levels[:-1]  # "K" (kinerja) under "TW I": the quarter's own value
    child, parent = levels[-1], levels[0]
    candidates = [" ".join(levels)]
    if len(levels) > 1:
        candidates += [" ".join(reversed(levels)), " ".join(levels[-2:]), " ".join(reversed(levels[-2:])), child, parent]
    for matcher in (match_exact, match_prefix):
        for label in candidates:
            found = matcher(label)
            if found is None:
                continue
            if found in QUARTER_FIELDS and len(levels) > 1:
                # "TW I" under "Target" is a quarterly target, not a realisation.
                other = match_exact(parent) or match_prefix(parent)
                if other == "target":
                    return TARGET_QUARTERS[QUARTER_FIELDS.index(found)]
                if other not in (None, "actual", *QUARTER_FIELDS):
                    return None
            return found
    return None


@dataclass
class Column:
    """One column of the found table: its header as written, and the field it maps to."""

    index: int
    header: str
    field: str | None
    letter: str
    scale: float = 1.0  # 1000 for a "Rp. (000)" money column


@dataclass
class Table:
    """Where the table is in a sheet; rows are 0-based, `data_start` the first row below the header."""

    header_top: int
    header_rows: int
    data_start: int
    columns: list[Column]
    fields: dict[str, Column] = field(default_factory=dict)

    def missing(self) -> list[str]:
        present = _with_target(set(self.fields))
        return [name for name in REQUIRED if name not in present]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()


def find_table(rows: list[list], merges: list | None = None) -> Table | None:
    """The best header block in the first 30 rows, or None when no row names enough fields."""
    merges = merges or []
    limit = min(HEADER_SEARCH_ROWS, len(rows))
    texts = [[cell_text(c) for c in rows[r]] for r in range(min(limit + 3, len(rows)))]
    best, best_key = None, (0,)
    for top in range(limit):
        if not any(texts[top]):
            continue
        for height in (1, 2, 3):
            if height > 1 and (top + height > len(texts) or not _header_like(rows[top + height - 1])):
                break
            fields = _map_block(texts, top, height, merges)
            names = _with_target(set(fields))
            if len(names) < 2 or not names & {"code", "activity", "target", "indicator"}:
                continue
            key = (len(names) + 2 * len(names & _REQUIRED_SET), -height, -top)
            if key > best_key:
                best, best_key = (top, height), key
    if best is None:
        return None
    top, height = best
    return _build_table(rows, texts, top, height, merges)


def _map_block(texts, top, height, merges) -> dict[str, int]:
    fields: dict[str, int] = {}
    for index, levels in enumerate(_levels(_grid(texts, top, height, merges))):
        name = match_levels(levels)
        if name and name not in fields:
            fields[name] = index
    return fields


def _grid(texts, top, height, merges) -> list[list[str]]:
    """The header block's texts with each parent spread over the columns it spans."""
    width = max(len(texts[r]) for r in range(top, top + height))
    grid = [[(texts[r][c] if c < len(texts[r]) else "") for c in range(width)] for r in range(top, top + height)]
    for level in range(height - 1):
        _spread_parent(grid[level], grid[level + 1], top + level, merges)
    return grid


def _levels(grid: list[list[str]]) -> list[tuple[str, ...]]:
    """Per column, the normalised header text of each level, parent first, repeats dropped."""
    out = []
    for c in range(len(grid[0])):
        levels: list[str] = []
        for row in grid:
            text = norm_header(row[c]) if row[c] else ""
            if not text and row[c] and _RP_CELL.match(row[c].strip()):
                text = "rupiah"  # norm_header drops "Rp"; under "Triwulan I" it names the quarter's money
            if text and (not levels or levels[-1] != text):
                levels.append(text)
        out.append(tuple(levels))
    return out


def _spread_parent(parent: list[str], child: list[str], row: int, merges) -> None:
    """Copy a parent header over the columns it spans (merged, or empty with a child below)."""
    for (r0, c0), (r1, c1) in merges:
        if r0 == row and c1 > c0 and c0 < len(parent):
            for c in range(c0 + 1, min(c1 + 1, len(parent))):
                parent[c] = parent[c] or parent[c0]
    carry = ""
    for c in range(len(parent)):
        if parent[c]:
            carry = parent[c] if child[c] else ""
        elif child[c] and carry:
            parent[c] = carry
        else:
            carry = ""


def _build_table(rows, texts, top, height, merges) -> Table:
    grid = _grid(texts, top, height, merges)
    columns, fields = [], {}
    for c, levels in enumerate(_levels(grid)):
        shown: list[str] = []
        for row in grid:
            text = " ".join(row[c].split())
            if text and text not in shown:
                shown.append(text)
        name = match_levels(levels)
        if name in fields:
            name = None  # a field's first column wins; the later one stays raw data
        column = Column(c, " / ".join(shown) or column_letter(c), name, column_letter(c))
        if name and field_kind(name) == "money":
            column.scale = money_scale(" ".join(shown))
        if name:
            fields[name] = column
        columns.append(column)
    start = top + height
    while start < min(len(rows), top + height + 3) and (is_column_numbers(rows[start]) or _unit_row(rows[start])):
        start += 1
    return Table(top, height, start, columns, fields)


def money_scale(header: str) -> float:
    """1000 for "Pagu (Rp. 000)" / "Rp. (000)" / "dalam ribuan", 1e6 for "juta", else 1."""
    low = header.lower()
    if re.search(r"\(\s*(rp\.?\s*)?000\s*\)|rp\.?\s*000\b|ribu", low):
        return 1000.0
    if re.search(r"\bjuta\b|\(\s*(rp\.?\s*)?000\.000\s*\)", low):
        return 1e6
    if re.search(r"\bmilia?y?ar\b", low):
        return 1e9
    return 1.0


# ---------------------------------------------------------------- merged data cells

NUMERIC_KINDS = frozenset({"number", "money", "percent"})
# Values a merged cell is carried down for: the attributes rows share (pillar, agency, programme,
# activity, unit, owner, dates, status, notes). Not the code: it names one action, and two rows
# cannot share it. Not numbers: a budget merged over three rows is one budget, not three.
_NOT_CARRIED = frozenset({"code"})
_CARRY_FROM = frozenset({"data", "section", "heading"})  # not from a total row or the signature block


class MergedData:
    """Cells merged vertically below the header of a table.

    Spreadsheet programs keep a merged cell's value in its top-left cell only; the rows below it
    read empty. An OPD, Program or Pilar cell merged over three action rows means all three rows
    have that value, so `fill` carries the value of a merged text or date column down to each
    covered row that has cells of its own (a merge reaching into blank rows makes no row of them),
    when the top row is an action, section or heading row. Numeric columns (target, actual,
    quarters, budget) are not carried: `numbers` maps each of their merged cells (row, col) to
    (top row, last row), and smartcity.ingest.rows counts the value once, on the top row, with a
    warning there (a merged Rp 300.000.000 over three rows is one budget: carried down it would
    count three times). Horizontal merges are not spread: the value stays in its own column.
    """

    def __init__(self, table: Table, merges: list):
        self.carried: dict[int, list[tuple[int, int]]] = {}   # covered row -> [(col, top row)]
        self.numbers: dict[tuple[int, int], tuple[int, int]] = {}
        self.kinds: dict[int, str] = {}   # top row -> its kind, recorded as the rows are read
        by_index = {c.index: c for c in table.columns if c.field}
        for (r0, c0), (r1, _c1) in merges or ():
            column = by_index.get(c0)
            if r1 <= r0 or r0 < table.data_start or column is None or column.field in _NOT_CARRIED:
                continue
            if field_kind(column.field) in NUMERIC_KINDS:
                for r in range(r0, r1 + 1):
                    self.numbers[(r, c0)] = (r0, r1)
            else:
                for r in range(r0 + 1, r1 + 1):
                    self.carried.setdefault(r, []).append((c0, r0))
                self.kinds.setdefault(r0, "")

    def __bool__(self) -> bool:
        return bool(self.carried or self.numbers)

    def note(self, r: int, kind: str) -> None:
        """Record what row `r` was read as, if a merge starts there."""
        if r in self.kinds:
            self.kinds[r] = kind

    def fill(self, r: int, row: list, rows: list[list]) -> list:
        """Row `r` with the values of the merged cells covering it (a copy when anything changed)."""
        covering = self.carried.get(r)
        if not covering or not any(v is not None and v != "" for v in row):
            return row
        filled = None
        for c, top in covering:
            if self.kinds.get(top) not in _CARRY_FROM or c >= len(rows[top]):
                continue
            if c < len(row) and row[c] not in (None, ""):
                continue  # a value of its own (a merge drawn over filled cells keeps them)
            if filled is None:
                filled = list(row)
            if c >= len(filled):
                filled += [None] * (c + 1 - len(filled))
            filled[c] = rows[top][c]
        return row if filled is None else filled


_NUMERIC_TEXT = re.compile(r"^[-+(]?\s*(rp\.?\s*)?[\d.,]*\d[\d.,]*\s*%?\)?$", re.I)  # "Rp." alone is a unit, not a number


def _header_like(row: list) -> bool:
    """A row that can continue a header: some text, and no number, date or numeric text."""
    seen = False
    for value in row:
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return False
        if _NUMERIC_TEXT.match(value.strip()):
            return False
        seen = seen or bool(value.strip())
    return seen


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?(\s*=\s*[\d\s+\-x*/().]+)?$")


def is_column_numbers(row: list) -> bool:
    """A row like 1 | 2 | 3 ... or (1) | (2) | "13 = 9+10+11+12" under a header."""
    numbers, count, matched = [], 0, 0
    for value in row:
        if value is None or value == "":
            continue
        count += 1
        if isinstance(value, float) and value.is_integer() or isinstance(value, int) and not isinstance(value, bool):
            numbers.append(int(value))
            matched += 1
        elif isinstance(value, str) and _COLUMN_NUMBER.match(value.strip()):
            head = re.match(r"\(?(\d+)", value.strip())
            numbers.append(int(head.group(1)))
            matched += 1
    return count >= 2 and matched >= 0.8 * count and all(b > a for a, b in zip(numbers, numbers[1:]))


_UNIT_TOKENS = frozenset({"rp", "rp.", "(rp)", "%", "(%)", "rupiah", "persen", "fisik", "keu", "keuangan",
                          "vol", "volume", "sat", "satuan", "kinerja", "target", "realisasi", "capaian"})


def _unit_row(row: list) -> bool:
    """A row of units below the header ("Rp | % | %"): no data, only unit words."""
    cells = [str(v).strip().lower() for v in row if v is not None and v != ""]
    return bool(cells) and all(isinstance(v, str) for v in row if v not in (None, "")) and all(
        c in _UNIT_TOKENS for c in cells)
