"""The domain's vocabulary: pillars, action statuses and the canonical action fields.

Everything here is data declared once; ingest, the store, the template export and the
pages all read it from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Pillar(str, Enum):
    """The three commitments of Kotim's Smart City programme."""

    INTEGRATION = "integration"
    COLLABORATION = "collaboration"
    SUSTAINABILITY = "sustainability"


# Words that name a pillar in a cell, a section row or a sheet name (lower case, no accents).
PILLAR_WORDS: dict[Pillar, tuple[str, ...]] = {
    Pillar.INTEGRATION: ("integrasi", "integration", "terintegrasi", "integrated"),
    Pillar.COLLABORATION: ("kolaborasi", "collaboration", "kolaboratif", "collaborative"),
    Pillar.SUSTAINABILITY: ("keberlanjutan", "sustainability", "berkelanjutan", "sustainable"),
}

PILLAR_COLORS: dict[Pillar, str] = {
    Pillar.INTEGRATION: "#1f5fa8",
    Pillar.COLLABORATION: "#7b3fa0",
    Pillar.SUSTAINABILITY: "#1b7f6b",
}


class Status(str, Enum):
    """Schedule status of an action on an as-of date (see smartcity.status)."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"


# One colour per status, used by every page and chart (green/amber/red the same everywhere).
STATUS_COLORS: dict[Status, str] = {
    Status.NOT_STARTED: "#9aa0a6",
    Status.ON_TRACK: "#2e9e44",
    Status.AT_RISK: "#f0a500",
    Status.LATE: "#d93025",
    Status.DONE: "#1a73e8",
}

# Colours for a KPI's traffic light.
RAG_COLORS = {"green": "#2e9e44", "amber": "#f0a500", "red": "#d93025", "none": "#9aa0a6"}

# Words an agency writes in its status column, mapped to our statuses.
STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("belum mulai", "belum dimulai", "belum", "not started", "rencana", "planned"),
    Status.ON_TRACK: ("sesuai jadwal", "on track", "berjalan", "proses", "dalam proses", "in progress", "on progress", "ongoing"),
    Status.AT_RISK: ("perlu perhatian", "at risk", "berisiko", "kendala", "terkendala"),
    Status.LATE: ("terlambat", "late", "tertunda", "delayed", "mundur"),
    Status.DONE: ("selesai", "done", "complete", "completed", "tuntas", "100%"),
}


@dataclass(frozen=True)
class Field:
    """One column of the canonical action-plan template.

    `aliases` are header spellings (lower case, spaces collapsed) that mean this field;
    `kind` says how its cells are parsed: text, code, number, money, percent, date, pillar, status.
    """

    name: str
    label_id: str
    label_en: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("code", "Kode", "Code", "code", True,
          ("kode", "kode aksi", "kode kegiatan", "kode rencana aksi", "no. kode", "code", "action code", "id")),
    Field("pillar", "Pilar", "Pillar", "pillar", False, ("pilar", "pillar", "pilar smart city")),
    Field("dimension", "Dimensi", "Dimension", "text", False,
          ("dimensi", "dimension", "dimensi smart city", "elemen smart city")),
    Field("agency", "OPD", "Agency", "text", False,
          ("opd", "perangkat daerah", "nama opd", "skpd", "unit kerja", "agency", "department",
           "opd pelaksana", "opd penanggung jawab", "perangkat daerah penanggung jawab", "instansi",
           "satuan kerja", "satker", "opd pengampu")),
    Field("program", "Program", "Program", "text", False, ("program", "nama program")),
    Field("activity", "Kegiatan", "Activity", "text", True,
          ("kegiatan", "rencana aksi", "nama kegiatan", "uraian kegiatan", "aksi", "activity", "action",
           "sub kegiatan", "nama rencana aksi", "uraian")),
    Field("indicator", "Indikator", "Indicator", "text", False,
          ("indikator", "indikator kinerja", "indikator keluaran", "indikator output", "indicator", "kpi")),
    Field("unit", "Satuan", "Unit", "text", False, ("satuan", "unit", "sat", "sat.")),
    Field("baseline", "Baseline", "Baseline", "number", False,
          ("baseline", "kondisi awal", "data dasar", "capaian awal", "nilai awal")),
    Field("target", "Target", "Target", "number", True,
          ("target", "target kinerja", "target tahun", "target akhir", "sasaran target")),
    Field("actual", "Realisasi", "Actual", "number", False,
          ("realisasi", "realisasi kinerja", "capaian", "realisasi fisik", "actual", "achievement", "progress")),
    Field("actual_q1", "Realisasi TW I", "Actual Q1", "number", False,
          ("realisasi tw i", "tw i", "tw 1", "triwulan i", "triwulan 1", "q1", "actual q1")),
    Field("actual_q2", "Realisasi TW II", "Actual Q2", "number", False,
          ("realisasi tw ii", "tw ii", "tw 2", "triwulan ii", "triwulan 2", "q2", "actual q2")),
    Field("actual_q3", "Realisasi TW III", "Actual Q3", "number", False,
          ("realisasi tw iii", "tw iii", "tw 3", "triwulan iii", "triwulan 3", "q3", "actual q3")),
    Field("actual_q4", "Realisasi TW IV", "Actual Q4", "number", False,
          ("realisasi tw iv", "tw iv", "tw 4", "triwulan iv", "triwulan 4", "q4", "actual q4")),
    # Budget spent per quarter (the Renja form's "Realisasi Triwulan I..IV Rp", a template's
    # "Realisasi Anggaran TW I"); "Rp" under "Triwulan I" is recognised in ingest.layout.
    *(Field(f"budget_spent_q{n}", f"Realisasi Anggaran TW {r}", f"Budget Spent Q{n}", "money", False,
            tuple(f"{money} {quarter}" for money in ("realisasi anggaran", "realisasi keuangan", "anggaran", "keuangan")
                  for quarter in (f"tw {r.lower()}", f"tw {n}", f"triwulan {r.lower()}", f"triwulan {n}"))
            + (f"budget spent q{n}",))
      for n, r in zip(range(1, 5), ("I", "II", "III", "IV"))),
    Field("budget", "Pagu Anggaran", "Budget", "money", False,
          ("pagu anggaran", "pagu", "anggaran", "pagu (rp)", "pagu anggaran (rp)", "budget", "alokasi anggaran",
           "pagu indikatif", "jumlah anggaran", "nilai anggaran", "total pagu")),
    Field("budget_spent", "Realisasi Anggaran", "Budget Spent", "money", False,
          ("realisasi anggaran", "realisasi keuangan", "realisasi anggaran (rp)", "serapan anggaran",
           "budget spent", "spending", "spent")),
    Field("start_date", "Tanggal Mulai", "Start", "date", False,
          ("tanggal mulai", "tgl mulai", "mulai", "waktu mulai", "start", "start date")),
    Field("due_date", "Tanggal Selesai", "Due", "date", False,
          ("tanggal selesai", "tgl selesai", "selesai", "target waktu", "batas waktu", "tenggat", "due",
           "due date", "end date", "deadline", "target penyelesaian")),
    Field("status", "Status", "Status", "status", False, ("status", "status pelaksanaan", "keadaan")),
    Field("notes", "Keterangan", "Notes", "text", False, ("keterangan", "ket", "ket.", "catatan", "notes", "remarks")),
    Field("owner", "Penanggung Jawab", "Owner", "text", False,
          ("penanggung jawab", "pj", "pic", "penanggungjawab", "owner", "responsible", "person in charge",
           "nama penanggung jawab", "pejabat penanggung jawab")),
    Field("obstacle", "Faktor Penghambat", "Obstacle", "text", False,
          ("faktor penghambat", "kendala", "hambatan", "permasalahan", "masalah", "obstacle", "obstacles",
           "issues", "kendala/hambatan")),
    Field("follow_up", "Tindak Lanjut", "Follow-up", "text", False,
          ("tindak lanjut", "rencana tindak lanjut", "solusi", "upaya", "follow up", "follow-up", "next steps",
           "tindaklanjut")),
    Field("direction", "Arah", "Direction", "text", False,
          ("arah", "polaritas", "arah indikator", "direction", "polarity", "polarisasi")),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
QUARTER_FIELDS = ("actual_q1", "actual_q2", "actual_q3", "actual_q4")
# Rupiah spent in each quarter; budget_spent is their sum when a file has no budget-spent column of its own.
SPENT_QUARTER_FIELDS = ("budget_spent_q1", "budget_spent_q2", "budget_spent_q3", "budget_spent_q4")
