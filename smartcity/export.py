"""Tables as Excel workbooks, built on the server: the Rencana Aksi export and any table a page shows.

Text that came from agencies' spreadsheets is written as text, never as a formula: a cell
starting with = + - @ (or a tab or carriage return) gets a leading apostrophe so that a
spreadsheet program cannot run it (CSV/formula injection).

`actions_workbook` writes the full action export (EXPORT_COLUMNS); `table_workbook` writes any
DataFrame by a declared list of `Column`s, with rupiah, percentages and dates as real number
formats, so every table on screen can be downloaded as shown.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from smartcity.domain import FIELDS_BY_NAME, RAG_COLORS, STATUS_COLORS
from smartcity.i18n import t
from smartcity.store import Store
from smartcity.views import EXPORT_COLUMNS, Filters, actions_for_export

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PERCENT = ("achievement", "absorption")

# Headings of the columns that are not fields of the agencies' template.
_EXTRA_HEADINGS = {
    "action_code": "code", "agency_name": "agency", "achievement": None, "absorption": None,
    "reported_status": None, "obstacle": None, "follow_up": None, "as_of": None,
}


def safe_text(value: str) -> str:
    """`value` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def column_heading(column: str, lang: str = "id") -> str:
    """The heading of an export column: the template's label, or our own for computed columns."""
    field = _EXTRA_HEADINGS.get(column, column)
    if field in FIELDS_BY_NAME:
        f = FIELDS_BY_NAME[field]
        return f.label_en if lang == "en" else f.label_id
    heading = t(f"col.{column}", lang)
    return f"{heading} (%)" if column in _PERCENT else heading


def _new_workbook():
    """An in-memory workbook that writes text as text (never a formula, link or number), and its buffer.

    XlsxWriter is imported here, when a workbook is made: every page with a download button imports
    this module, and importing it took ~0.05 s of a page's first run (issue 7)."""
    import xlsxwriter

    buffer = io.BytesIO()
    return buffer, xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                                "strings_to_urls": False, "strings_to_numbers": False})


def actions_workbook(df: pd.DataFrame, lang: str = "id", sheet: str | None = None) -> bytes:
    """Write the export rows (EXPORT_COLUMNS) to an .xlsx file and return its bytes.

    Numbers stay numbers, dates are Excel dates, statuses and pillars are named in `lang`.
    """
    buffer, workbook = _new_workbook()
    ws = workbook.add_worksheet((sheet or t("page.actions", lang))[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True, "valign": "top"})
    money = workbook.add_format({"num_format": "#,##0"})
    number = workbook.add_format({"num_format": "#,##0.##"})
    percent = workbook.add_format({"num_format": "0.0"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    formats = {"budget": money, "budget_spent": money, "achievement": percent, "absorption": percent,
               "start_date": day, "due_date": day, "as_of": day}

    columns = [c for c in df.columns if c in EXPORT_COLUMNS]
    for j, column in enumerate(columns):
        ws.write_string(0, j, column_heading(column, lang), head)
        ws.set_column(j, j, 40 if column in ("activity", "indicator", "program", "notes") else 16)
    names = {"pillar": lambda v: t(f"pillar.{v}", lang), "status": lambda v: t(f"status.{v}", lang),
             "reported_status": lambda v: t(f"status.{v}", lang)}
    for i, row in enumerate(df[columns].itertuples(index=False), start=1):
        for j, (column, value) in enumerate(zip(columns, row)):
            _write(ws, i, j, value, formats.get(column, number), names.get(column))
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(len(df), 1), max(len(columns) - 1, 0))
    workbook.close()
    return buffer.getvalue()


def _write(ws, row: int, col: int, value, fmt, name=None) -> None:
    """One cell: blank, number, date or (safe) text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        ws.write_blank(row, col, None)
    elif isinstance(value, (datetime, date, pd.Timestamp)):
        ws.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        ws.write_number(row, col, float(value), fmt)
    else:
        text = str(value)
        if name is not None:
            try:
                text = name(text)
            except KeyError:
                pass  # a status or pillar we have no name for: show it as stored
        ws.write_string(row, col, safe_text(text), fmt)


def export_actions(store: Store, filters: Filters, lang: str = "id", *, status: tuple[str, ...] | None = None,
                   search: str | None = None) -> bytes:
    """The Rencana Aksi download: every action matching the filters, as .xlsx bytes."""
    return actions_workbook(actions_for_export(store, filters, status=status, search=search), lang)


# -- any table ---------------------------------------------------------------------------------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel number formats by column kind. Percentages are written as fractions (75.5 -> 0.755) in a
# percent format, so the cell is a real percentage; the separators follow the reader's Excel.
_NUMBER_FORMATS = {
    "rupiah": '"Rp "#,##0', "percent": "0.0%", "count": "#,##0", "number": "General",
    "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm",
}
# Names written in the reader's language (i18n prefix), and the colour their text takes.
_NAMED = {"status": "status", "pillar": "pillar", "rag": "rag"}
_NAMED_COLORS = {"status": {s.value: c for s, c in STATUS_COLORS.items()}, "rag": RAG_COLORS}
# kpi_value: the number format is chosen per row by the KPI's unit (the DataFrame's "unit" column).
_UNIT_KINDS = {"percent": "percent", "rupiah": "rupiah", "count": "count"}
TABLE_KINDS = frozenset({"text", "kpi_value", *_NUMBER_FORMATS, *_NAMED})


@dataclass(frozen=True)
class Column:
    """A column of an exported table: its DataFrame name, how to write it, and its heading.

    kind: text, number, count, rupiah, percent (values 0-100), date, datetime, status, pillar,
    rag (a KPI's traffic light) or kpi_value (a number in the unit named by the row's "unit").
    heading: the column's heading as shown; None takes `column_heading(name, lang)`.
    """

    name: str
    kind: str = "text"
    heading: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in TABLE_KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.name!r}")


def table_workbook(df: pd.DataFrame, columns: Sequence[Column], lang: str = "id", sheet: str | None = None) -> bytes:
    """Write `columns` of `df` to a one-sheet .xlsx file and return its bytes.

    Rupiah and percentages get their number formats, dates are Excel dates, statuses, pillars
    and traffic lights are named in `lang` (statuses and traffic lights in their colours), and
    every text cell is neutralised by `safe_text`.
    """
    buffer, workbook = _new_workbook()
    ws = workbook.add_worksheet(_sheet_name(sheet or "Data"))
    head = workbook.add_format({"bold": True, "bg_color": "#e8eef7", "border": 1, "text_wrap": True, "valign": "top"})
    number = {kind: workbook.add_format({"num_format": f}) for kind, f in _NUMBER_FORMATS.items()}
    coloured: dict[str, object] = {}

    def colour(hex_color: str):
        if hex_color not in coloured:
            coloured[hex_color] = workbook.add_format({"font_color": hex_color, "bold": True})
        return coloured[hex_color]

    for j, c in enumerate(columns):
        ws.write_string(0, j, safe_text(c.heading or _heading(c.name, lang)), head)
        ws.set_column(j, j, 14 if c.kind in _NUMBER_FORMATS else 36 if c.kind == "text" else 18)
    units = df["unit"].tolist() if "unit" in df.columns else [None] * len(df)
    for i, (row, unit) in enumerate(zip(df[[c.name for c in columns]].itertuples(index=False), units), start=1):
        for j, (c, value) in enumerate(zip(columns, row)):
            kind = _UNIT_KINDS.get(unit, "number") if c.kind == "kpi_value" else c.kind
            if kind == "percent" and _is_number(value):
                value = float(value) / 100
            fmt = number.get(kind)
            if kind in _NAMED and isinstance(value, str):
                hex_color = _NAMED_COLORS.get(kind, {}).get(value)
                fmt = colour(hex_color) if hex_color else None
            name = (lambda v, k=kind: t(f"{_NAMED[k]}.{v}", lang)) if kind in _NAMED else None
            _write(ws, i, j, value, fmt, name)
    ws.freeze_panes(1, 0)
    if columns:
        ws.autofilter(0, 0, max(len(df), 1), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()


def _heading(column: str, lang: str) -> str:
    """column_heading, or the column's own name when the catalogue has no heading for it."""
    try:
        return column_heading(column, lang)
    except KeyError:
        return column


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
            and not pd.isna(value))


def _sheet_name(name: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Data"
    return cleaned[:31]
