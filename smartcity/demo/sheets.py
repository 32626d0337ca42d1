"""The shapes of the agencies' files: template headers, each agency's quirks, and the writers.

Real offices vary the template: English headers, "DINKES KOTIM" as the agency, Indonesian
number text in a semicolon CSV, one column per triwulan, a column-number row, section rows,
a JUMLAH row, a signature block, an instructions sheet. Each `AgencyStyle` says which.
"""
from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from smartcity.domain import Status

from .plan import BAD_ROW, SEED, DemoAction, person, progress, value_at

TITLE = "RENCANA AKSI SMART CITY KABUPATEN KOTAWARINGIN TIMUR TAHUN 2024"
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
PILLAR_LABELS = {"id": {"integrasi": "Integrasi", "kolaborasi": "Kolaborasi", "keberlanjutan": "Keberlanjutan"},
                 "en": {"integrasi": "Integration", "kolaborasi": "Collaboration", "keberlanjutan": "Sustainability"}}
QUARTER_ENDS = (date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31))
# Header text per canonical field. "id" is the template; "en" is what an English template says.
HEADERS = {
    "id": {"code": "Kode", "pillar": "Pilar", "dimension": "Dimensi", "agency": "OPD", "program": "Program",
           "activity": "Kegiatan", "indicator": "Indikator", "unit": "Satuan", "baseline": "Baseline",
           "target": "Target", "actual": "Realisasi", "actual_q1": "Realisasi TW I", "actual_q2": "Realisasi TW II",
           "actual_q3": "Realisasi TW III", "actual_q4": "Realisasi TW IV", "budget": "Pagu Anggaran",
           "budget_spent": "Realisasi Anggaran", "start_date": "Tanggal Mulai", "due_date": "Tanggal Selesai",
           "status": "Status", "notes": "Keterangan", "owner": "Penanggung Jawab"},
    "en": {"code": "Code", "pillar": "Pillar", "dimension": "Dimension", "agency": "Agency", "program": "Program",
           "activity": "Activity", "indicator": "Indicator", "unit": "Unit", "baseline": "Baseline",
           "target": "Target", "actual": "Actual", "budget": "Budget", "budget_spent": "Budget Spent",
           "start_date": "Start Date", "due_date": "Due Date", "status": "Status", "notes": "Notes",
           "owner": "Owner"},
}
STATUS_SETS = {
    "a": {Status.NOT_STARTED: "Belum mulai", Status.ON_TRACK: "Sesuai jadwal", Status.AT_RISK: "Perlu perhatian",
          Status.LATE: "Terlambat", Status.DONE: "Selesai"},
    "b": {Status.NOT_STARTED: "Belum dimulai", Status.ON_TRACK: "Berjalan", Status.AT_RISK: "Terkendala",
          Status.LATE: "Tertunda", Status.DONE: "Tuntas"},
    "en": {Status.NOT_STARTED: "Not started", Status.ON_TRACK: "On track", Status.AT_RISK: "At risk",
           Status.LATE: "Late", Status.DONE: "Done"},
}


@dataclass(frozen=True)
class AgencyStyle:
    """How one agency's spreadsheet differs from the template, the way real offices' do."""

    name: str                       # full name, for the title row and the signature block
    opd_text: str                   # what they write in the OPD column
    lang: str = "id"                # header language
    statuses: str = "a"             # which words they use for status
    headers: tuple = ()             # (field, header text) overrides
    fmt: str = "xlsx"               # "xlsx" or "csv"
    quarters: bool = False          # TW I..TW IV instead of one Realisasi column
    column_numbers: bool = False    # a row 1, 2, 3, ... under the header
    sections: bool = False          # "A. PILAR INTEGRASI" rows before each pillar's actions
    total_row: bool = False         # a JUMLAH row with SUM formulas under the table
    signature: bool = False         # "Sampit, <date> / Kepala ... / NIP" under the table
    instructions: bool = False      # a second sheet "Petunjuk" with filling instructions
    date_format: str = "dd/mm/yyyy"


STYLES: dict[str, AgencyStyle] = {
    "DISKOMINFO": AgencyStyle("Dinas Komunikasi dan Informatika", "Diskominfo", lang="en", statuses="en"),
    "DISDUKCAPIL": AgencyStyle("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil",
                               headers=(("budget", "Pagu Anggaran (Rp)"), ("budget_spent", "Realisasi Anggaran (Rp)"))),
    "DINKES": AgencyStyle("Dinas Kesehatan", "DINKES KOTIM", date_format="d mmmm yyyy"),
    "DLH": AgencyStyle("Dinas Lingkungan Hidup", "Dinas Lingkungan Hidup", sections=True,
                       headers=(("notes", "Ket."),)),
    "DPUPR": AgencyStyle("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", signature=True,
                         headers=(("start_date", "Tgl Mulai"), ("due_date", "Tgl Selesai"))),
    "DPMPTSP": AgencyStyle("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", instructions=True),
    "BPKAD": AgencyStyle("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", total_row=True),
    "RSUD": AgencyStyle("RSUD dr. Murjani Sampit", "RSUD dr. Murjani", quarters=True),
    "BAPELITBANGDA": AgencyStyle("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
                                 "Bapelitbangda", column_numbers=True, signature=True),
    "DISDIK": AgencyStyle("Dinas Pendidikan", "Dinas Pendidikan", headers=(("activity", "Rencana Aksi"),)),
    "DISHUB": AgencyStyle("Dinas Perhubungan", "Dishub", statuses="b"),
    "DPMD": AgencyStyle("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", fmt="csv", statuses="b"),
}


# ------------------------------------------------------------------ rows of one file

def _rows(agency: str, actions: list[DemoAction], as_of: date) -> list[dict]:
    """The table an agency sends on `as_of`: one dict per action, keyed by canonical field."""
    style = STYLES[agency]
    rows = []
    for a in actions:
        p = progress(a, as_of)
        row = {"code": a.code, "pillar": PILLAR_LABELS[style.lang][a.pillar], "dimension": a.dimension,
               "agency": style.opd_text, "program": a.program, "activity": a.activity, "indicator": a.indicator,
               "unit": a.unit, "baseline": a.baseline, "target": a.target, "budget": a.budget,
               "budget_spent": p.spent, "start_date": a.start, "due_date": a.due,
               "status": STATUS_SETS[style.statuses][p.status], "notes": p.note, "owner": a.owner}
        if style.quarters:
            row.update(_quarters(a, as_of))
        else:
            row["actual"] = p.actual
        rows.append(row)
    if (agency, as_of) == BAD_ROW[:2]:
        rows.append(_bad_row(style))
    return rows


def _quarters(action: DemoAction, as_of: date) -> dict:
    """Each triwulan's own realisation (the year's is their sum); future quarters left empty."""
    out, before = {}, 0.0
    for q, end in enumerate(QUARTER_ENDS, 1):
        start = QUARTER_ENDS[q - 2] if q > 1 else date(2023, 12, 31)
        if as_of <= start:
            out[f"actual_q{q}"] = None
            continue
        cumulative = value_at(action, min(end, as_of))
        out[f"actual_q{q}"] = cumulative - before
        before = cumulative
    return out


def _bad_row(style: AgencyStyle) -> dict:
    """A new action whose target is written as a word: the ingester must reject it and say why."""
    return {"code": BAD_ROW[2], "pillar": "Integrasi", "dimension": "Smart Living", "agency": style.opd_text,
            "program": "Program Penyelenggaraan Jalan", "activity": "Jembatan gantung desa terpencil terpantau sensor",
            "indicator": "Jumlah jembatan gantung terpantau", "unit": "unit", "baseline": 0.0,
            "target": "menyesuaikan", "actual": None, "budget": 450e6, "budget_spent": 0.0,
            "start_date": date(2024, 10, 1), "due_date": date(2024, 12, 20),
            "status": STATUS_SETS[style.statuses][Status.NOT_STARTED], "notes": "Target menunggu hasil DED",
            "owner": "Ir. Hendra Saputra, M.T."}


def _columns(style: AgencyStyle) -> list[tuple[str, str]]:
    """(field, header text) in the order the agency's sheet has them."""
    fields = ["code", "pillar", "dimension", "agency", "program", "activity", "indicator", "unit", "baseline",
              "target", "actual", "budget", "budget_spent", "start_date", "due_date", "status", "notes", "owner"]
    if style.quarters:
        i = fields.index("actual")
        fields[i:i + 1] = ["actual_q1", "actual_q2", "actual_q3", "actual_q4"]
    headers = {**HEADERS[style.lang], **dict(style.headers)}
    return [(f, headers[f]) for f in fields]


def long_date(day: date) -> str:
    """7 Oktober 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _title_lines(style: AgencyStyle, as_of: date) -> list[str]:
    return [TITLE, f"Perangkat Daerah: {style.name}", f"Keadaan per {long_date(as_of)}"]


def _signature(style: AgencyStyle, agency: str, as_of: date) -> list[str]:
    rng = random.Random(f"{SEED}-{agency}")  # the same head of agency every week
    head = person(rng, ("S.T., M.T.", "S.E., M.Si", "Ir. |, M.T.", "Dr. |, M.Si"))
    nip = f"NIP. 19{rng.randint(65, 80)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d} 199{rng.randint(0, 9)}03 1 00{rng.randint(1, 9)}"
    kind = "Kepala Badan" if style.name.startswith("Badan") else "Kepala Dinas"
    return [f"Sampit, {long_date(as_of)}", f"{kind} {style.name.removeprefix('Badan ').removeprefix('Dinas ')},",
            "", "", head, nip]


# ------------------------------------------------------------------ writers

def _write_xlsx(path: Path, style: AgencyStyle, agency: str, as_of: date, rows: list[dict]) -> None:
    import xlsxwriter

    columns = _columns(style)
    width = len(columns)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": TITLE, "author": style.opd_text, "company": "Pemerintah Kabupaten Kotawaringin Timur",
                         "created": datetime(as_of.year, as_of.month, as_of.day, 8, 0)})
    f = {"title": book.add_format({"bold": True, "font_size": 12}),
         "header": book.add_format({"bold": True, "border": 1, "bg_color": "#D9E1F2", "text_wrap": True,
                                    "align": "center", "valign": "vcenter"}),
         "number_row": book.add_format({"italic": True, "border": 1, "align": "center", "font_size": 8}),
         "text": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
         "number": book.add_format({"border": 1, "valign": "top", "num_format": "#,##0.##"}),
         "money": book.add_format({"border": 1, "valign": "top", "num_format": "#,##0"}),
         "date": book.add_format({"border": 1, "valign": "top", "num_format": style.date_format}),
         "section": book.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2"}),
         "total": book.add_format({"bold": True, "border": 1, "num_format": "#,##0"})}
    sheet = book.add_worksheet("Rencana Aksi")
    for i, line in enumerate(_title_lines(style, as_of)):
        if i == 0:
            sheet.merge_range(i, 0, i, width - 1, line, f["title"])
        else:
            sheet.write(i, 0, line, f["title"])
    header_row = 4
    for c, (field, text) in enumerate(columns):
        sheet.write(header_row, c, text, f["header"])
        sheet.set_column(c, c, 40 if field in ("program", "activity", "indicator") else 14)
    r = header_row + 1
    if style.column_numbers:
        for c in range(width):
            sheet.write_number(r, c, c + 1, f["number_row"])
        r += 1
    first_data, pillar = r, None
    for row in rows:
        if style.sections and row["pillar"] != pillar:
            pillar = row["pillar"]
            letter = "ABC"[list(PILLAR_LABELS[style.lang].values()).index(pillar)]
            sheet.merge_range(r, 0, r, width - 1, f"{letter}. PILAR {pillar.upper()}", f["section"])
            r += 1
        for c, (field, _) in enumerate(columns):
            _write_cell(sheet, r, c, field, row.get(field), f)
        r += 1
    if style.total_row:
        cols = {field: c for c, (field, _) in enumerate(columns)}
        sheet.merge_range(r, 0, r, cols["budget"] - 1, "JUMLAH", f["total"])
        for field in ("budget", "budget_spent"):
            c = cols[field]
            letter = xlsxwriter.utility.xl_col_to_name(c)
            total = sum(row[field] for row in rows if isinstance(row.get(field), float))
            sheet.write_formula(r, c, f"=SUM({letter}{first_data + 1}:{letter}{r})", f["total"], total)
        r += 1
    if style.signature:
        for i, line in enumerate(_signature(style, agency, as_of)):
            sheet.write(r + 2 + i, width - 4, line)
    sheet.freeze_panes(header_row + 1, 0)
    if style.instructions:
        help_sheet = book.add_worksheet("Petunjuk")
        for i, line in enumerate(("PETUNJUK PENGISIAN", "1. Isi satu baris untuk setiap rencana aksi.",
                                  "2. Realisasi diisi kumulatif sampai tanggal laporan.",
                                  "3. Anggaran dalam rupiah tanpa titik atau koma.",
                                  "4. Kirim berkas setiap hari Senin kepada Bapelitbangda.")):
            help_sheet.write(i, 0, line)
    book.close()


def _write_cell(sheet, r: int, c: int, field: str, value, f: dict) -> None:
    if value is None:
        sheet.write_blank(r, c, None, f["text"])
    elif isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), f["date"])
    elif isinstance(value, float):
        sheet.write_number(r, c, value, f["money"] if field in ("budget", "budget_spent") else f["number"])
    else:
        sheet.write_string(r, c, str(value), f["text"])


def _indonesian_number(value: float) -> str:
    """1250000000 -> "1.250.000.000"; 72.5 -> "72,5"."""
    whole, frac = f"{value:,.2f}".split(".")
    frac = frac.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def _write_csv(path: Path, style: AgencyStyle, agency: str, as_of: date, rows: list[dict]) -> None:
    """A semicolon CSV as Excel saves it on an Indonesian-locale PC: numbers and dates as text."""
    columns = _columns(style)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    pad = [""] * (len(columns) - 1)
    for line in _title_lines(style, as_of):
        writer.writerow([line, *pad])
    writer.writerow(["", *pad])
    writer.writerow([text for _, text in columns])
    for row in rows:
        cells = []
        for field, _ in columns:
            value = row.get(field)
            if value is None:
                cells.append("")
            elif isinstance(value, date):
                cells.append(value.strftime("%d/%m/%Y"))
            elif isinstance(value, float):
                cells.append(_indonesian_number(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    path.write_bytes(out.getvalue().encode("utf-8"))


def demo_file_name(agency: str, as_of: date) -> str:
    """2024-10-07_DINKES_rencana_aksi.xlsx (.csv for an agency that sends CSV)."""
    ext = "csv" if STYLES[agency].fmt == "csv" else "xlsx"
    return f"{as_of.isoformat()}_{agency}_rencana_aksi.{ext}"


def write_agency_file(path: Path, agency: str, actions: list[DemoAction], as_of: date) -> None:
    """Write `agency`'s report of `actions` on `as_of` in its own style."""
    style = STYLES[agency]
    writer = _write_csv if style.fmt == "csv" else _write_xlsx
    writer(path, style, agency, as_of, _rows(agency, actions, as_of))
