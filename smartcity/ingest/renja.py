"""The Renja evaluation form (Permendagri 86/2017, form E.81) read as a known layout.

The form every agency fills each quarter ("Evaluasi terhadap Hasil Renja Perangkat Daerah"):

    No | Sasaran | Kode | Program/Kegiatan/Sub Kegiatan | Indikator Kinerja | Satuan |
    Target Renstra (K, Rp) | Realisasi s.d. Renja tahun lalu (K, Rp) | Target Renja tahun berjalan (K, Rp) |
    Realisasi Kinerja pada Triwulan I, II, III, IV (K, Rp each) | Realisasi capaian Renja yang dievaluasi (K, Rp) |
    Realisasi Renstra s.d. tahun berjalan (K, Rp) | Tingkat capaian (%) | Perangkat Daerah penanggung jawab | Keterangan

with the header over two or three rows (the K | Rp row last), often a row of column numbers
("13 = 9+10+11+12") under it, and rows for programmes, activities and sub-activities with
hierarchical codes (2.16.03, 2.16.03.2.02, 2.16.03.2.02.0005). How it is read:

- the sub-activity rows are the actions (more exactly: the rows no other row's code extends, so
  an older form whose lowest level is the kegiatan works too); programme and activity rows
  carry only sums and are not loaded; a row with only another indicator under an action is
  one more action with the code suffixed "-2", "-3";
- K columns: Target tahun berjalan K -> target, Triwulan I..IV K -> actual_q1..q4 (the year's
  actual then follows the indicator's quarter rule); the "realisasi capaian" K column is used
  only when no quarter is filled;
- Rp columns: Target tahun berjalan Rp -> budget; Triwulan I..IV Rp -> budget_spent_q1..q4 (kept
  per quarter, for the trend inside the year) and budget_spent = their sum (or the "realisasi
  capaian" Rp column when no quarter is filled);
- Target Renstra, realisation up to last year, Renstra up to this year and Tingkat capaian
  are the form's own arithmetic and are not loaded (they stay in a rejected row's raw cells);
- the code comes from the code column (several code columns are joined with dots, a code
  written before the name is split off), else it is generated from the hierarchy ("1", "1.2",
  "1.2.3") by the Program/Kegiatan/Sub Kegiatan labels or the dotted numbers in the No column;
- the "Perangkat Daerah penanggung jawab" cell names the agency when it is one; when it names
  a unit ("Bidang Aplikasi Informatika") and the title names the agency, it is the owner;
- the form names no pillar (a "Pilar" column, when an agency adds one, is read): the pipeline
  assigns it from the code (smartcity.mappings).

`read_renja(sheet, registry)` returns a RenjaSheet whose `sheet` and `table` go through the
ordinary row reader (numbers, validation, agency, quarter rule); the derived values sit in
columns appended after the file's own, so every problem still names the spreadsheet row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Column, Table, cell_text, money_scale
from .reader import Sheet
from .renja_header import RenjaColumns, find_renja
from .sections import is_footer, is_total, strip_numbering, title_context
from .xlsxfmt import column_letter

_LABEL = re.compile(r"^(sub\s*-?\s*kegiatan|kegiatan|program)\b\s*[:.\-]?\s*", re.I)
_LEADING_CODE = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+(\S.*)$")
_NUMBER_PATH = re.compile(r"^\d+(?:\.\d+)*\.?$")


@dataclass
class RenjaSheet:
    """The form turned into a sheet and table for the row reader, and each action's programme code."""

    sheet: Sheet
    table: Table
    program_codes: dict[int, str]   # 1-based row -> code of the action's programme (when the file has codes)


def read_renja(sheet: Sheet, registry) -> RenjaSheet | None:
    """The sheet read as an E.81 form, or None when it is not one (no K | Rp header row with
    the year's target and at least one quarter)."""
    cols = find_renja(sheet.rows, sheet.merges or [])
    if cols is None:
        return None
    return _Builder(sheet, cols, registry).build()


@dataclass
class _Entry:
    r: int
    name: str
    code: str
    hint: str | None        # program | kegiatan | sub, from the label before the name
    depth: int = 1
    action: bool = False
    generated: bool = False


class _Builder:
    """Turns the form's rows into rows of the original cells plus derived cells, and a Table."""

    def __init__(self, sheet: Sheet, cols: RenjaColumns, registry):
        self.sheet, self.cols, self.registry = sheet, cols, registry
        self.width = max([len(cols.headers)] + [len(r) for r in sheet.rows[cols.data_start:cols.data_start + 5000]])
        _, _, title_code = title_context(sheet.rows[:cols.header_top], registry)
        self.title_agency = bool(title_code or (sheet.name and registry.resolve(sheet.name)))

    def build(self) -> RenjaSheet:
        rows, cols = self.sheet.rows, self.cols
        entries, keep, continuations = self._entries()
        self._hierarchy(entries)
        out = [list(r) for r in rows[:cols.data_start]]
        by_row = {e.r: e for e in entries}
        programs = self._programs(entries)
        last_action, suffix = None, 1
        program_codes: dict[int, str] = {}
        for r in range(cols.data_start, len(rows)):
            entry = by_row.get(r)
            if entry is not None and entry.action:
                last_action, suffix = entry, 1
                program, program_code = programs.get(r, (None, None))
                out.append(self._action_row(rows[r], entry.code, _activity(entry.name), program, entry.generated))
                if program_code:
                    program_codes[r + 1] = program_code
            elif r in continuations and last_action is not None:
                suffix += 1
                program, program_code = programs.get(last_action.r, (None, None))
                out.append(self._action_row(rows[r], f"{last_action.code}-{suffix}", _activity(last_action.name),
                                            program, last_action.generated))
                if program_code:
                    program_codes[r + 1] = program_code
            else:
                if entry is not None:
                    last_action = None  # another indicator under a programme row is a sum too
                out.append(list(rows[r]) if r in keep else [])
        new = Sheet(self.sheet.name, out, self.sheet.visible, self.sheet.merges, self.sheet.percent_cells,
                    self.sheet.decimal)
        return RenjaSheet(new, self._table(), program_codes)

    def _entries(self):
        """Named rows (programme, activity, sub-activity), rows kept as they are (totals and the
        signature block), and rows that add an indicator to the action above."""
        rows, cols = self.sheet.rows, self.cols
        entries, keep, continuations = [], set(), set()
        in_footer = False
        for r in range(cols.data_start, len(rows)):
            row = rows[r]
            first = next((cell_text(v) for v in row if isinstance(v, str) and cell_text(v)), "")
            if in_footer or (first and is_footer(first)):
                in_footer = True
                keep.add(r)
                continue
            name = _cell(row, cols.name)
            code = ".".join(p for p in (_cell(row, c).rstrip(".") for c in cols.code) if p)
            if not name and not code:
                if first and is_total(first):
                    keep.add(r)
                elif any(_cell(row, c) for c in (cols.indicator, cols.target_k, *cols.quarter_k.values()) if c is not None):
                    continuations.add(r)
                continue
            if is_total(name) or is_total(code):
                keep.add(r)
                continue
            leading = _LEADING_CODE.match(name)
            if leading and not code:
                code, name = leading.group(1), leading.group(2).strip()
            label = _LABEL.match(name)
            hint = None
            if label:
                word = label.group(1).lower().replace(" ", "").replace("-", "")
                hint = {"subkegiatan": "sub", "kegiatan": "kegiatan", "program": "program"}[word]
            entries.append(_Entry(r, name, code, hint))
        return entries, keep, continuations

    def _hierarchy(self, entries: list[_Entry]) -> None:
        """Mark the actions and give every entry a code."""
        coded = [e for e in entries if e.code]
        if coded and len(coded) * 2 >= len(entries):
            prefixes = {".".join(e.code.split(".")[:n]) for e in coded for n in range(1, e.code.count(".") + 1)}
            extended = {e.code for e in coded} & prefixes
            parent, count = "", 0
            for e in entries:
                if e.code:
                    e.action = e.code not in extended and e.hint != "program"
                    if not e.action:
                        parent, count = e.code, 0
                elif e.hint in ("program", "kegiatan"):
                    count += 1
                    e.code, e.generated = f"{parent or 'X'}.{count}", True
                    parent, count = e.code, 0
                else:
                    count += 1
                    e.code, e.generated, e.action = f"{parent or 'X'}.{count}", True, True
            return
        numbers = [self._number(e.r) for e in entries]
        for e, number in zip(entries, numbers):
            if e.hint:
                e.depth = {"program": 1, "kegiatan": 2, "sub": 3}[e.hint]
            elif number and _NUMBER_PATH.match(number) and any("." in (n or "").strip(".") for n in numbers):
                e.depth = number.strip(".").count(".") + 1
        counters: list[int] = []
        for i, e in enumerate(entries):
            counters = (counters + [0] * e.depth)[:e.depth]
            counters[-1] += 1
            e.code, e.generated = ".".join(map(str, counters)), True
            following = entries[i + 1].depth if i + 1 < len(entries) else 0
            e.action = following <= e.depth and e.hint != "program"

    def _number(self, r: int) -> str:
        return _cell(self.sheet.rows[r], self.cols.number) if self.cols.number is not None else ""

    def _programs(self, entries: list[_Entry]) -> dict[int, tuple[str | None, str | None]]:
        """Each action's programme (name, code when the file gave one): the nearest entry above
        labelled Program, else its shallowest ancestor."""
        out, ancestors = {}, []
        for e in entries:
            ancestors = [a for a in ancestors if _contains(a, e)]
            if not e.action:
                ancestors.append(e)
                continue
            labelled = [a for a in ancestors if a.hint == "program"]
            top = labelled[-1] if labelled else (ancestors[0] if ancestors else None)
            if top is not None:
                out[e.r] = (top.name, None if top.generated else top.code)
        return out

    def _action_row(self, row: list, code: str, activity: str, program: str | None, generated: bool) -> list:
        cols = self.cols
        cells = list(row) + [None] * (self.width - len(row))
        quarters_k = [row[c] if c < len(row) else None for c in cols.quarter_k.values()]
        actual = None if any(cell_text(v) for v in quarters_k) else _at(row, cols.year_k)
        agency, owner = self._agency(_cell(row, cols.responsible))
        return cells + [code, program, activity, actual, self._spent(row), agency, owner]

    def _agency(self, written: str) -> tuple[str | None, str | None]:
        if not written:
            return None, None
        if self.registry.resolve(written) or self.registry.resolve(strip_numbering(written)):
            return written, None
        return (None, written) if self.title_agency else (written, None)

    def _spent(self, row: list):
        """The year's Rp cell, only when no quarterly Rp cell is filled: the quarters themselves are
        read as budget_spent_q1..q4 and the row reader sums them (and rejects a row naming a quarter
        cell that is not a number)."""
        for c in self.cols.quarter_rp.values():
            if c < len(row) and cell_text(row[c]):
                return None
        return _at(row, self.cols.year_rp)

    def _table(self) -> Table:
        cols, width = self.cols, self.width
        headers = cols.headers + [column_letter(c) for c in range(len(cols.headers), width)]
        mapped = {cols.indicator: "indicator", cols.unit: "unit", cols.target_k: "target", cols.target_rp: "budget",
                  cols.notes: "notes", cols.pillar: "pillar", **{c: f"actual_q{q}" for q, c in cols.quarter_k.items()},
                  **{c: f"budget_spent_q{q}" for q, c in cols.quarter_rp.items()}}
        columns = []
        for c in range(width):
            name = mapped.get(c)
            column = Column(c, headers[c], name, column_letter(c))
            if name == "budget" or name and name.startswith("budget_spent_q"):
                column.scale = money_scale(headers[c])
            columns.append(column)
        code_header = headers[cols.code[0]] if cols.code else "Kode"
        year_k = headers[cols.year_k] if cols.year_k is not None else "Realisasi"
        responsible = headers[cols.responsible] if cols.responsible is not None else "Perangkat Daerah"
        derived = [(code_header, "code"), ("Program", "program"), (headers[cols.name], "activity"), (year_k, "actual"),
                   ("Realisasi Anggaran (jumlah Rp TW I-IV)", "budget_spent"), (responsible, "agency"),
                   ("Penanggung Jawab", "owner")]
        for offset, (header, name) in enumerate(derived):
            columns.append(Column(width + offset, header, name, column_letter(width + offset)))
        fields = {c.field: c for c in columns if c.field}
        return Table(cols.header_top, cols.kr_row - cols.header_top + 1, cols.data_start, columns, fields)


def _contains(ancestor: _Entry, entry: _Entry) -> bool:
    """Codes, given or generated, are paths: 2.16.03 holds 2.16.03.2.02 and 1.2 holds 1.2.3."""
    return entry.code.startswith(ancestor.code + ".")


def _activity(name: str) -> str:
    return _LABEL.sub("", name, count=1).strip() or name


def _cell(row: list, index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return cell_text(row[index])


def _at(row: list, index: int | None):
    if index is None or index >= len(row):
        return None
    return row[index]
