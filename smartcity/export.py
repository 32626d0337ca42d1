"""The Rencana Aksi table as an Excel workbook, built on the server from the filtered query.

Text that came from agencies' spreadsheets is written as text, never as a formula: a cell
starting with = + - @ (or a tab or carriage return) gets a leading apostrophe so that a
spreadsheet program cannot run it (CSV/formula injection).
"""
from __future__ import annotations

import io
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlsxwriter

from smartcity.domain import FIELDS_BY_NAME
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


def actions_workbook(df: pd.DataFrame, lang: str = "id", sheet: str | None = None) -> bytes:
    """Write the export rows (EXPORT_COLUMNS) to an .xlsx file and return its bytes.

    Numbers stay numbers, dates are Excel dates, statuses and pillars are named in `lang`.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
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
        ws.write_string(row, col, safe_text(text))


def export_actions(store: Store, filters: Filters, lang: str = "id", *, status: tuple[str, ...] | None = None,
                   search: str | None = None) -> bytes:
    """The Rencana Aksi download: every action matching the filters, as .xlsx bytes."""
    return actions_workbook(actions_for_export(store, filters, status=status, search=search), lang)
