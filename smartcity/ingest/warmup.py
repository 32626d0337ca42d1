"""A small workbook that a spare reading worker reads once before the file comes.

The first call of each reader costs more than the ones after it (fastexcel, calamine, the Arrow
compute kernels, the row reader's caches and regular expressions): ~0.3 s on a 100,000-row
upload. A spare worker (smartcity.ingest.isolate) reads `WORKBOOK` while nobody waits, by the
same paths as a large upload (the guard's pass beside the bulk read, the column rules) and as a
small one (calamine's rows), so that the upload itself pays none of it. Nothing read here is
kept: every file is still read by a fresh process.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from smartcity.domain import FIELDS_BY_NAME

_COLUMNS = ("code", "pillar", "dimension", "agency", "program", "activity", "indicator", "unit", "baseline",
            "target", "actual", "budget", "budget_spent", "start_date", "due_date", "status", "notes", "owner")
_ROWS = 60  # more than bulk.PEEK_ROWS, so that rows are left for the bulk read below the peeked top


def _cells(i: int) -> list:
    """One action row: texts, numbers and dates (day numbers, shown as dates) as agencies write them;
    the last row's negative target sends it through the row reader (a rejected row)."""
    return [f"WARM-{i:03d}", ("Integrasi", "Kolaborasi", "Keberlanjutan")[i % 3], "Smart Society",
            "Dinas Pemanasan", "Program Contoh", f"Kegiatan contoh {i}", "Jumlah aplikasi", "unit",
            float(i % 7), 10.0 + i if i != _ROWS - 1 else -1.0, 5.0 + i / 2, 1_000_000.0 * (i + 1), 500_000.0 * (i + 1),
            ("date", 45292 + i), ("date", 45500 + i), ("Sesuai jadwal", "Selesai", "Terlambat")[i % 3],
            "" if i % 4 else "catatan", "Petugas"]


def _workbook() -> bytes:
    strings: dict[str, int] = {}

    def cell(ref: str, value) -> str:
        if isinstance(value, tuple):
            return f'<c r="{ref}" s="1"><v>{value[1]}</v></c>'
        if isinstance(value, float):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        if value == "":
            return ""
        return f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>'

    def row(number: int, values: list) -> str:
        return f'<row r="{number}">' + "".join(cell(f"{chr(65 + j)}{number}", v) for j, v in enumerate(values)) + "</row>"

    rows = [row(1, ["RENCANA AKSI SMART CITY"]), row(3, [FIELDS_BY_NAME[c].label_id
                                                          for c in _COLUMNS])]
    rows += [row(4 + i, _cells(i)) for i in range(_ROWS)]
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(rows) + "</sheetData></worksheet>")
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
              f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in (("[Content_Types].xml", _TYPES), ("_rels/.rels", _RELS), ("xl/workbook.xml", _BOOK),
                           ("xl/_rels/workbook.xml.rels", _BOOK_RELS), ("xl/styles.xml", _STYLES),
                           ("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet1.xml", sheet)):
            book.writestr(name, text)
    return out.getvalue()


def warm_up() -> tuple:
    """Read the small workbook as a large upload is read (the bulk path, the guard's pass beside it)
    and as a small one is (calamine's rows); returns the two IngestResults."""
    from smartcity.agencies import Agency, AgencyRegistry

    from . import bulk, guard, ingest_bytes

    content = _workbook()
    registry = AgencyRegistry([Agency("WARM", "Dinas Pemanasan", "Pemanasan")])
    saved = bulk.BULK_MIN_BYTES, guard.PARSE_IN_WORKER
    try:
        bulk.BULK_MIN_BYTES, guard.PARSE_IN_WORKER = 0, True   # this small sheet read as a large one
        as_large = ingest_bytes(content, "warm-up.xlsx", registry)
        bulk.BULK_MIN_BYTES = saved[0]
        return as_large, ingest_bytes(content, "warm-up.xlsx", registry)
    finally:
        bulk.BULK_MIN_BYTES, guard.PARSE_IN_WORKER = saved


_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/styles.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
          '<Override PartName="/xl/sharedStrings.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
          '</Types>')
_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships {_NS}>'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         '<sheets><sheet name="Rencana Aksi" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships {_NS}>'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'worksheet" Target="worksheets/sheet1.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'styles" Target="styles.xml"/>'
              '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
           '<borders count="1"><border/></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
           '</styleSheet>')
