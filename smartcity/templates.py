"""Spreadsheets we give back to agencies: the blank template, a template pre-filled with an
agency's current actions, and the rejected rows of an upload with the reason beside each.

Dropdowns (pillar, agency, status) come from a hidden list sheet; an instructions sheet
explains each column. The ingester reads these files back as they are.
"""
from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
import xlsxwriter

from smartcity.domain import FIELDS, QUARTER_FIELDS, SPENT_QUARTER_FIELDS, Pillar, Status
from smartcity.export import safe_text
from smartcity.i18n import t
from smartcity.store import Store

# The template's columns: every canonical field but the per-quarter ones (one Realisasi column).
TEMPLATE_FIELDS = [f for f in FIELDS if f.name not in (*QUARTER_FIELDS, *SPENT_QUARTER_FIELDS)]
_WIDE = {"activity", "indicator", "program", "notes", "owner"}
_MAX_ROWS = 1000


def _formats(wb) -> dict:
    return {
        "title": wb.add_format({"bold": True, "font_size": 13}),
        "head": wb.add_format({"bold": True, "bg_color": "#dbe5f1", "border": 1, "text_wrap": True, "valign": "top"}),
        "money": wb.add_format({"num_format": "#,##0"}),
        "number": wb.add_format({"num_format": "#,##0.##"}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({"bold": True}),
    }


def _workbook() -> tuple[io.BytesIO, xlsxwriter.Workbook]:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False})
    return buffer, wb


def _lists_sheet(wb, store: Store, lang: str) -> dict[str, str]:
    """A hidden sheet with the dropdown values; returns field -> range reference."""
    ws = wb.add_worksheet("Daftar")
    agencies = [r[0] for r in store.cursor().execute("SELECT name FROM agencies ORDER BY name").fetchall()]
    columns = {
        "pillar": [t(f"pillar.{p.value}", lang) for p in Pillar],
        "agency": agencies,
        "status": [t(f"status.{s.value}", lang) for s in Status],
        "direction": ["naik", "turun"] if lang != "en" else ["higher", "lower"],
    }
    refs = {}
    for j, (name, values) in enumerate(columns.items()):
        ws.write_string(0, j, name)
        for i, value in enumerate(values, start=1):
            ws.write_string(i, j, value)
        col = xlsxwriter.utility.xl_col_to_name(j)
        refs[name] = f"=Daftar!${col}$2:${col}${len(values) + 1}"
    ws.hide()
    return refs


def _instructions(wb, fmt, lang: str) -> None:
    ws = wb.add_worksheet(t("tpl.instructions_sheet", lang))
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 90)
    ws.write_string(0, 0, t("tpl.instructions_title", lang), fmt["title"])
    ws.write_string(1, 0, t("tpl.instructions_intro", lang), fmt["wrap"])
    row = 3
    for f in TEMPLATE_FIELDS:
        label = f.label_en if lang == "en" else f.label_id
        required = t("tpl.required", lang) if f.required else t("tpl.optional", lang)
        ws.write_string(row, 0, label, fmt["bold"])
        ws.write_string(row, 1, f"{required}. {t(f'tpl.help.{f.kind}', lang)}", fmt["wrap"])
        row += 1


def _action_sheet(wb, fmt, refs: dict[str, str], lang: str, title: str, rows: list[dict]) -> None:
    ws = wb.add_worksheet(t("tpl.data_sheet", lang))
    ws.write_string(0, 0, title, fmt["title"])
    header_row = 2
    for j, f in enumerate(TEMPLATE_FIELDS):
        ws.write_string(header_row, j, f.label_en if lang == "en" else f.label_id, fmt["head"])
        ws.set_column(j, j, 40 if f.name in _WIDE else 15)
        first, last = header_row + 1, header_row + _MAX_ROWS
        if f.name in refs:
            ws.data_validation(first, j, last, j, {"validate": "list", "source": refs[f.name],
                                                   "error_title": f.label_id, "error_message": t("tpl.pick_from_list", lang)})
        elif f.kind in ("number", "money"):
            ws.data_validation(first, j, last, j, {"validate": "decimal", "criteria": ">=", "value": 0,
                                                   "error_message": t("tpl.enter_number", lang)})
        elif f.kind == "date":
            ws.data_validation(first, j, last, j, {"validate": "date", "criteria": ">=", "value": date(2000, 1, 1),
                                                   "error_message": t("tpl.enter_date", lang)})
    for i, values in enumerate(rows, start=header_row + 1):
        for j, f in enumerate(TEMPLATE_FIELDS):
            value = values.get(f.name)
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if f.kind == "date":
                ws.write_datetime(i, j, pd.Timestamp(value).to_pydatetime(), fmt["date"])
            elif f.kind in ("number", "money") and isinstance(value, (int, float)):
                ws.write_number(i, j, float(value), fmt["money" if f.kind == "money" else "number"])
            else:
                ws.write_string(i, j, safe_text(str(value)))
    ws.freeze_panes(header_row + 1, 2)


def blank_template(store: Store, lang: str = "id") -> bytes:
    """The empty action-plan template with dropdowns and an instructions sheet."""
    buffer, wb = _workbook()
    fmt = _formats(wb)
    _instructions(wb, fmt, lang)
    refs = _lists_sheet(wb, store, lang)
    _action_sheet(wb, fmt, refs, lang, t("tpl.title", lang, year=date.today().year), [])
    wb.worksheets_objs.insert(0, wb.worksheets_objs.pop(2))   # data sheet first
    wb.worksheets_objs[0].activate()
    wb.close()
    return buffer.getvalue()


def prefilled_template(store: Store, agency_code: str, as_of: date, lang: str = "id") -> bytes:
    """The template filled with `agency_code`'s actions as they stand on `as_of`, ready to update."""
    df = store.query_df(
        "SELECT * FROM action_state(?::DATE) WHERE agency_code = ? ORDER BY action_code", [as_of, agency_code])
    rows = []
    for r in df.to_dict("records"):
        values = {f.name: r.get(f.name) for f in TEMPLATE_FIELDS}
        values.update(code=r["action_code"], agency=r["agency_name"], pillar=t(f"pillar.{r['pillar']}", lang),
                      status=t(f"status.{r['reported_status']}", lang) if r.get("reported_status") else None,
                      direction=("turun" if lang != "en" else "lower") if r["direction"] == "lower" else None)
        rows.append(values)
    name = store.registry().name(agency_code)
    buffer, wb = _workbook()
    fmt = _formats(wb)
    _instructions(wb, fmt, lang)
    refs = _lists_sheet(wb, store, lang)
    _action_sheet(wb, fmt, refs, lang, t("tpl.title_agency", lang, agency=name, date=as_of.strftime("%d/%m/%Y")), rows)
    wb.worksheets_objs.insert(0, wb.worksheets_objs.pop(2))
    wb.worksheets_objs[0].activate()
    wb.close()
    return buffer.getvalue()


def rejected_rows_workbook(store: Store, upload_id: int, lang: str = "id") -> bytes:
    """The rejected rows of an upload: the original columns as sent, plus sheet, row and reason."""
    df = store.query_df(
        "SELECT sheet, row_number, raw, reasons_id, reasons_en FROM rejected_rows WHERE upload_id = ? ORDER BY sheet, row_number",
        [upload_id])
    raws = [json.loads(r) for r in df["raw"]]
    headers: list[str] = []
    for raw in raws:
        headers += [h for h in raw if h not in headers]
    buffer, wb = _workbook()
    fmt = _formats(wb)
    ws = wb.add_worksheet(t("tpl.rejected_sheet", lang))
    fixed = [t("tpl.col_sheet", lang), t("tpl.col_row", lang), t("tpl.col_reason", lang)]
    for j, h in enumerate([*fixed, *headers]):
        ws.write_string(0, j, safe_text(str(h)), fmt["head"])
    ws.set_column(2, 2, 60)
    for i, (rec, raw) in enumerate(zip(df.to_dict("records"), raws), start=1):
        ws.write_string(i, 0, safe_text(str(rec["sheet"] or "")))
        if rec["row_number"] is not None and not pd.isna(rec["row_number"]):
            ws.write_number(i, 1, int(rec["row_number"]))
        ws.write_string(i, 2, safe_text(rec["reasons_en"] if lang == "en" else rec["reasons_id"]), fmt["wrap"])
        for j, h in enumerate(headers, start=3):
            value = raw.get(h)
            if value not in (None, ""):
                ws.write_string(i, j, safe_text(str(value)))
    ws.freeze_panes(1, 3)
    wb.close()
    return buffer.getvalue()
