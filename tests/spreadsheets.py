"""Spreadsheet fixtures built by code, in the shapes agencies really send.

Every test of smartcity.ingest builds its input here, in memory: an .xlsx (openpyxl, or
XlsxWriter when a formula needs a cached value), a .xls (xlwt), a minimal .ods (written by
hand: a zip with content.xml), or CSV bytes in a chosen delimiter and encoding.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import openpyxl

HEADERS_ID = ["Kode", "Pilar", "OPD", "Program", "Kegiatan", "Indikator", "Satuan", "Baseline", "Target",
              "Realisasi", "Pagu Anggaran", "Realisasi Anggaran", "Tanggal Mulai", "Tanggal Selesai", "Status",
              "Keterangan", "Penanggung Jawab"]
HEADERS_EN = ["Code", "Pillar", "Agency", "Program", "Activity", "Indicator", "Unit", "Baseline", "Target",
              "Actual", "Budget", "Budget Spent", "Start", "Due", "Status", "Notes", "Owner"]
FIELD_ORDER = ["code", "pillar", "agency", "program", "activity", "indicator", "unit", "baseline", "target",
               "actual", "budget", "budget_spent", "start_date", "due_date", "status", "notes", "owner"]


def action(code: str = "SC-01", **overrides) -> dict:
    """One action in the canonical template, with plausible values; override any field."""
    row = {"code": code, "pillar": "Integrasi", "agency": "Diskominfo", "program": "Program SPBE",
           "activity": "Integrasi data kependudukan", "indicator": "Jumlah layanan terintegrasi",
           "unit": "layanan", "baseline": 2, "target": 10, "actual": 6, "budget": 1_250_000_000,
           "budget_spent": 500_000_000, "start_date": dt.date(2024, 1, 15), "due_date": dt.date(2024, 12, 31),
           "status": "Sesuai jadwal", "notes": "", "owner": "Kabid Aptika"}
    row.update(overrides)
    return row


def template_rows(actions: list[dict], lang: str = "id") -> list[list]:
    """A header row in the canonical template (Indonesian or English) and one row per action."""
    header = HEADERS_ID if lang == "id" else HEADERS_EN
    return [list(header)] + [[a.get(f) for f in FIELD_ORDER] for a in actions]


@dataclass
class SheetSpec:
    """One sheet: rows of cell values, merged ranges ("G4:J4"), number formats by cell, hidden flag."""

    name: str
    rows: list[list]
    merges: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    hidden: bool = False


def _specs(sheets) -> list[SheetSpec]:
    if sheets and isinstance(sheets[0], SheetSpec):
        return list(sheets)
    return [SheetSpec("Rencana Aksi", list(sheets[0]))]


def xlsx(*sheets: SheetSpec | list[list]) -> bytes:
    """An .xlsx with the given sheets (or one sheet "Rencana Aksi" from a list of rows)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in _specs(sheets):
        ws = book.create_sheet(spec.name)
        for row in spec.rows:
            ws.append(list(row))
        for ref in spec.merges:
            ws.merge_cells(ref)
        for ref, number_format in spec.formats.items():
            ws[ref].number_format = number_format
        if spec.hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsm(*sheets: SheetSpec | list[list]) -> bytes:
    """The same workbook declared macro-enabled, as Excel saves an .xlsm."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(*sheets)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            target.writestr(item, data)
    return out.getvalue()


def xlsx_with_formulas(rows: list[list], formulas: dict[str, tuple[str, float]]) -> bytes:
    """An .xlsx whose cells in `formulas` hold a formula and the value Excel last computed."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("Rencana Aksi")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    for ref, (formula, cached) in formulas.items():
        ws.write_formula(ref, formula, None, cached)
    book.close()
    return out.getvalue()


def xls(*sheets: SheetSpec | list[list]) -> bytes:
    """An Excel 97-2003 .xls (xlwt); dates are written as date cells."""
    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for spec in _specs(sheets):
        ws = book.add_sheet(spec.name)
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write(r, c, value, date_style)
                elif value is not None:
                    ws.write(r, c, value)
        if spec.hidden:
            ws.visibility = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods(*sheets: SheetSpec | list[list]) -> bytes:
    """A minimal OpenDocument spreadsheet: numbers as float cells, dates as date cells, text as strings."""
    tables = []
    for spec in _specs(sheets):
        rows = []
        for row in spec.rows:
            cells = "".join(_ods_cell(v) for v in row)
            rows.append(f"<table:table-row>{cells or '<table:table-cell/>'}</table:table-row>")
        tables.append(f'<table:table table:name="{escape(spec.name)}">{"".join(rows)}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               f"</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    """CSV text of `rows` (None as empty), in `encoding`, optionally with a UTF-8 byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def registry():
    """The project's agency registry (data/agencies.yaml), loaded once."""
    global _REGISTRY
    if _REGISTRY is None:
        from smartcity.agencies import AgencyRegistry

        _REGISTRY = AgencyRegistry.load()
    return _REGISTRY


_REGISTRY = None


def ingest(content: bytes, file_name: str = "renaksi.xlsx", **kwargs):
    """smartcity.ingest.ingest_bytes with the project's registry."""
    from smartcity.ingest import ingest_bytes

    return ingest_bytes(content, file_name, registry(), **kwargs)
