"""Column mapping: when a file's headers are not recognised, the user says which column is which.

The mapping step of the upload page, in three calls:

    sheets = inspect_columns(content, "laporan_dinas.xlsx")
    # each SheetColumns: sheet, header_row (1-based), signature, columns; each ColumnInfo:
    # index (0-based), header_text (as shown, "Realisasi / TW I" for a two-row header),
    # sample_values (up to 5 values below the header), suggested_field (our field, or None)
    mapping = {"code": "No. Urut", "activity": "Uraian", "target": "Sasaran 2024"}  # field -> header_text
    smartcity.mappings.save_profile(store, actor, "Format Dinas X", mapping, sheets[0].signature)
    ingest_bytes(content, name, registry, profile={"columns": mapping})

A header's *signature* is the list of its normalised header texts (lower case, years,
parentheses, Rp and % removed: "Target 2024" and "Target 2025" are the same) hashed; a later
file with the same header gets the same signature, so the pipeline applies the saved profile
by itself (`profile["saved_profiles"]`). Header texts in a mapping are matched the same
normalised way, so next year's file still matches.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from smartcity.domain import FIELDS_BY_NAME

from .layout import EXTRA_LABELS, HEADER_SEARCH_ROWS, Table, _build_table, _header_like, cell_text, field_kind, find_table, money_scale, norm_header
from .reader import Sheet, Unreadable, read_sheets, sniff
from .result import Problem

MAPPABLE_FIELDS = tuple(FIELDS_BY_NAME) + tuple(EXTRA_LABELS)
SAMPLES = 5


@dataclass
class ColumnInfo:
    """One column of a file's table as the mapping step shows it."""

    index: int                      # 0-based; the column letter is smartcity.ingest.xlsxfmt.column_letter(index)
    header_text: str                # as written ("Realisasi / TW I" for a two-row header; the letter when blank)
    sample_values: list[str]        # up to 5 non-empty values below the header, as text
    suggested_field: str | None     # the field we recognise it as, or None


@dataclass
class SheetColumns:
    """The header of one sheet: where it is and its columns."""

    sheet: str                      # "" for a CSV
    header_row: int                 # 1-based row of the header's first row
    signature: str                  # pass to save_profile / find_profile
    columns: list[ColumnInfo] = field(default_factory=list)


def inspect_columns(content: bytes, file_name: str) -> list[SheetColumns]:
    """The header and columns of every sheet that has any text, for the user to map.

    Raises smartcity.ingest.reader.Unreadable (with `.key` and `.params` for a message) when
    the file cannot be read at all; ingest_bytes reports the same as a file problem.
    """
    from .guard import check_before_parse

    fmt = sniff(bytes(content or b""))
    scans = check_before_parse(content, fmt)
    out = []
    for sheet in read_sheets(content, fmt, scans):  # a large sheet: its top rows only, enough here
        table = header_table(sheet)
        if table is None:
            continue
        columns = [ColumnInfo(c.index, c.header, _samples(sheet.rows, table.data_start, c.index), c.field)
                   for c in table.columns]
        out.append(SheetColumns(sheet.name, table.header_top + 1, signature(table), columns))
    return out


def header_key(text: str) -> str:
    """A header text reduced for matching a mapping or a signature ("Target (2024)" -> "target")."""
    return " / ".join(norm_header(part) for part in str(text).split(" / "))


def signature(table: Table) -> str:
    """A short stable id of a header: its normalised texts in order, hashed."""
    texts = [header_key(c.header) for c in table.columns if c.header != c.letter]
    return hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()[:20]


def header_table(sheet: Sheet, found: Table | None = None) -> Table | None:
    """The sheet's header as a Table: the one find_table recognises (or `found`, already looked up),
    else the row (in the first 30) with the most text cells, with the row below when it continues it."""
    found = found or find_table(sheet.rows, sheet.merges)
    if found is not None:
        return found
    guess = _guess_header(sheet.rows)
    return _table_at(sheet, *guess) if guess else None


def table_with_mapping(sheet: Sheet, mapping: dict[str, str]) -> Table | None:
    """The sheet's table with columns named by `mapping` ({field: header text}); fields the mapping
    does not name keep what we recognised by ourselves, unless the mapping gave their column away.
    The header is the block (in the first 30 rows) whose texts match most of the mapping."""
    wanted = {header_key(text): name for name, text in mapping.items() if name in MAPPABLE_FIELDS and text}
    if not wanted:
        return header_table(sheet)
    best, best_hits = header_table(sheet), -1
    if best is not None:
        best_hits = _hits(best, wanted)
    if best_hits < len(wanted):
        for top in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
            for height in (1, 2, 3):
                if top + height > len(sheet.rows):
                    break
                candidate = _table_at(sheet, top, height)
                hits = _hits(candidate, wanted)
                if hits > best_hits:
                    best, best_hits = candidate, hits
    if best is None or best_hits <= 0:
        return best
    return _apply(best, wanted)


def choose_table(sheet: Sheet, profile: dict, file: str) -> tuple[Table | None, Problem | None]:
    """The table of a sheet under the upload's profile, and a warning naming a profile applied.

    profile["columns"] (an explicit mapping) wins; else a saved profile whose signature matches
    the sheet's header (profile["saved_profiles"]: {signature: {"name": ..., "columns": {...}}});
    else what find_table recognises.
    """
    where = sheet.name or None
    explicit = profile.get("columns")
    if explicit:
        name = profile.get("columns_name") or "-"
        return table_with_mapping(sheet, explicit), Problem("warn.sheet.profile_applied", {"name": name}, file, where)
    found = find_table(sheet.rows, sheet.merges)
    saved = profile.get("saved_profiles") or {}
    if saved:
        header = header_table(sheet, found)
        match = saved.get(signature(header)) if header is not None else None
        if match:
            return (table_with_mapping(sheet, match["columns"]),
                    Problem("warn.sheet.profile_applied", {"name": match["name"]}, file, where))
    return found, None


def _table_at(sheet: Sheet, top: int, height: int) -> Table:
    rows = sheet.rows
    texts = [[cell_text(c) for c in rows[r]] for r in range(min(top + height + 3, len(rows)))]
    return _build_table(rows, texts, top, height, sheet.merges or [])


def _guess_header(rows: list[list]) -> tuple[int, int] | None:
    """(top, height) of the row with the most text cells in the first 30 rows, plus the row below
    when it continues the header (only text, under a parent that spans columns)."""
    best, best_count = None, 1
    for r in range(min(HEADER_SEARCH_ROWS, len(rows))):
        count = sum(1 for v in rows[r] if isinstance(v, str) and v.strip() and not _numeric(v))
        if count > best_count:
            best, best_count = r, count
    if best is None:
        return None
    below = best + 1
    if below < len(rows) and _header_like(rows[below]) and _continues(rows[best], rows[below]):
        return best, 2
    return best, 1


def _continues(parent: list, child: list) -> bool:
    """The row below names sub-columns: it has text under an empty parent cell (one that a merged
    parent spans) and fewer filled cells than the parent row has columns."""
    filled = [i for i, v in enumerate(child) if isinstance(v, str) and v.strip()]
    return any(i < len(parent) and parent[i] in (None, "") for i in filled) and len(filled) < len(parent)


_NUMBER = re.compile(r"^[-+(]?\s*(rp\.?\s*)?[\d.,]+\s*%?\)?$", re.I)


def _numeric(value: str) -> bool:
    return bool(_NUMBER.match(value.strip()))


def _hits(table: Table | None, wanted: dict[str, str]) -> int:
    if table is None:
        return -1
    return len({header_key(c.header) for c in table.columns} & set(wanted))


def _apply(table: Table, wanted: dict[str, str]) -> Table:
    """The table with the mapped fields on the mapped columns (the first column of a header wins)."""
    mapped = set(wanted.values())
    taken: set[str] = set()
    fields = {}
    for column in table.columns:
        name = wanted.get(header_key(column.header))
        if name is None and column.field not in mapped:
            name = column.field
        if name in taken:
            name = None
        column.field = name
        column.scale = money_scale(column.header) if name and field_kind(name) == "money" else 1.0
        if name:
            taken.add(name)
            fields[name] = column
    table.fields = fields
    return table


def _samples(rows: list[list], start: int, index: int) -> list[str]:
    out = []
    for row in rows[start:start + 200]:
        value = row[index] if index < len(row) else None
        text = cell_text(value.isoformat() if hasattr(value, "isoformat") else value)
        if text:
            out.append(text[:100])
            if len(out) == SAMPLES:
                break
    return out


__all__ = ["ColumnInfo", "SheetColumns", "inspect_columns", "signature", "header_key", "choose_table",
           "table_with_mapping", "header_table", "MAPPABLE_FIELDS", "Unreadable"]
