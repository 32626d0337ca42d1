"""One data row -> an ActionRow with canonical values, or a RejectedRow with every reason.

Values are parsed by the column's field kind (smartcity.domain.FIELDS): codes stay text
("001", "1.02.01"), numbers and rupiah become floats, dates datetime.date, text is stripped.
A row is rejected when any cell cannot be read or a rule is broken (a required value
missing, a negative target or budget, an unknown pillar or agency, a code used earlier in
the file); all its problems are listed, not only the first. Doubtful but loadable values
(budget spent above the budget, actual above twice the target) only give warnings.

Quarter rule: when a row has no actual of its own but has quarter (TW I..TW IV) values, the
actual is derived from them. A level - unit "%", persen, indeks, nilai, skor, rasio; with no
unit, an indicator named "Persentase ...", "Indeks ...", "Rasio ...", "Tingkat ..."; or a unit
or indicator marked kumulatif / cumulative / s.d. - takes the latest quarter reported
("latest"); a count or amount is the sum of the quarters ("sum"), as in the Renja form
"13 = 9+10+11+12". The profile can set one rule for the whole file. Rupiah spent per quarter
(budget_spent_q1..q4: "Realisasi Anggaran TW I", "Rp" under "Triwulan I") are kept as written;
without a budget-spent column of its own the row's budget_spent is their sum. Quarterly targets
("Target" over "TW I .. TW IV") are read as target_q1..target_q4 and, when there is no
"Target" column of its own, give the year's target by the same rule ("target_source").

Nothing written: in number and date columns "-", "n/a", "NA", "null" and an empty cell mean
no value (smartcity.ingest.numbers.BLANKS); so do they in the pillar, status and direction
columns, which take one of a few known words. In a free-text column (activity, agency,
programme, indicator, notes, owner, code) "NA" is text - a name or an abbreviation - and stays;
"-", "n/a" and the other marks still mean nothing there (TEXT_BLANKS).

Formulas saved without a value (smartcity.ingest.xlsxfmt.FormulaCells): the cell cannot be
read, and is never taken as empty. In a column the row cannot do without - code, activity,
agency, target, actual, or a quarter the year's actual or target would be derived from - it
rejects the row (err.cell.formula_no_value); elsewhere (budget, dates, notes, a quarter beside
an actual of its own) the row loads without that value, with a warning naming the cell.

Merged numeric cells (smartcity.ingest.layout.MergedData): the value counts for the top row
only, with a warning there; a covered row whose target is thereby empty is rejected with a
message saying so, not a bare "Target is required".
"""
from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from itertools import repeat
from functools import lru_cache

from smartcity.domain import FIELDS_BY_NAME, QUARTER_FIELDS, SPENT_QUARTER_FIELDS, STATUS_WORDS, Pillar, Status

from .layout import EXTRA_LABELS, REQUIRED, TARGET_QUARTERS, Column, Table, cell_text, field_kind
from .numbers import BLANKS, BadCell, parse_date, parse_number
from .result import ActionRow, Problem, RejectedRow
from .xlsxfmt import column_letter
from .sections import pillar_in_cell

NON_NEGATIVE = ("target", "budget", "budget_spent", *SPENT_QUARTER_FIELDS)
SUGGESTED_NAMES = 100      # unknown agency names per sheet whose messages suggest the closest known ones
MAX_TEXT = 32_767   # Excel's own limit for one cell; a longer text (made by a program) is cut, with a warning
MAX_SHOWN = 200     # characters of a cell's value repeated in a message
_LEADING_CODE = re.compile(r"^\d+(?:\.\d+)+\.?\s+")
# In free text "NA" is a word (a name, an abbreviation); every other "nothing" mark still means nothing.
TEXT_BLANKS = BLANKS - {"na"}
_CHOICE_KINDS = ("pillar", "status")
# A formula without a value in these columns rejects the row (see the module docstring).
NEEDS_VALUE = frozenset({"code", "activity", "agency", "target", "actual"})
PILLAR_NAMES = "Integrasi, Kolaborasi, Keberlanjutan"
STATUS_NAMES = "belum mulai, sesuai jadwal, perlu perhatian, terlambat, selesai"


@dataclass
class Context:
    """What the rows of a sheet inherit: from a section row, the title, the sheet name or the profile."""

    pillar: Pillar | None = None
    agency_name: str | None = None
    agency_code: str | None = None


def field_label(name: str) -> dict[str, str]:
    """Message params naming a field in both languages: {field_id: "Target", field_en: "Target"}."""
    if name in EXTRA_LABELS:
        return {"field_id": EXTRA_LABELS[name][0], "field_en": EXTRA_LABELS[name][1]}
    f = FIELDS_BY_NAME[name]
    return {"field_id": f.label_id, "field_en": f.label_en}


class SeenCodes(MutableMapping):
    """The action codes seen so far in a file: code -> (sheet, 1-based row) of its first row.

    The rows a large sheet settles in bulk (smartcity.ingest.bulkrows) are added as blocks (an Arrow
    array of codes and the row number of its first) and become entries only when the mapping is
    read: a clean 100,000-row sheet never makes its 100,000 entries (~20 MB and ~0.05 s)."""

    def __init__(self, entries: dict | None = None):
        self._entries: dict = dict(entries or {})
        self._blocks: list = []

    def add_block(self, codes, sheet: str, first_row: int) -> None:
        """Codes of consecutive rows from `first_row` (1-based), none of them seen before."""
        if len(codes):
            self._blocks.append((codes, sheet, first_row))

    def code_array(self):
        """Every code seen, as one Arrow string array (blocks not made into entries)."""
        import pyarrow as pa

        parts = [codes.cast(pa.string()) for codes, _sheet, _first in self._blocks]
        parts.append(pa.array(list(self._entries), pa.string()))
        return pa.concat_arrays(parts)

    def _settled(self) -> dict:
        while self._blocks:
            codes, sheet, first = self._blocks.pop(0)
            self._entries.update(zip(codes.to_pylist(), zip(repeat(sheet), range(first, first + len(codes)))))
        return self._entries

    def __getitem__(self, code):
        return self._settled()[code]

    def __setitem__(self, code, where) -> None:
        self._settled()[code] = where

    def __delitem__(self, code) -> None:
        del self._settled()[code]

    def __iter__(self):
        return iter(self._settled())

    def __len__(self) -> int:
        return len(self._entries) + sum(len(codes) for codes, _sheet, _first in self._blocks)

    def __contains__(self, code) -> bool:
        return code in self._settled()

    def get(self, code, default=None):
        return self._settled().get(code, default)

    def setdefault(self, code, where=None):
        return self._settled().setdefault(code, where)

    def clear(self) -> None:
        self._entries.clear()
        self._blocks.clear()


class RowReader:
    """Reads the data rows of one table; keeps the codes seen across the whole file."""

    def __init__(self, table: Table, registry, *, file_name: str, sheet: str, decimal: str | None,
                 percent_cells: set, seen_codes: MutableMapping, quarter_rule: str | None = None,
                 formula_cells: set | None = None, merged_numbers: dict | None = None):
        self.table, self.registry, self.file, self.sheet = table, registry, file_name, sheet
        self.problem_sheet = sheet or None  # a CSV has no sheet to name
        self.decimal, self.percent, self.seen = decimal, percent_cells, seen_codes
        self.quarter_rule = quarter_rule
        self.formulas = formula_cells or set()     # (row, col) of formulas saved without a value
        self.merged = merged_numbers or {}         # (row, col) of a merged number -> (top row, last row)
        self.parsers = [(c.field, c.index, self._cell_parser(c, field_kind(c.field)), c)
                        for c in table.columns if c.field]
        self.target_quarters = any(q in table.fields for q in TARGET_QUARTERS)
        self.raw_keys = _unique_headers(table.columns)
        self._agencies: dict[str, str | None] = {}
        self._suggested: set[str] = set()   # unknown agency names whose message names the closest agencies

    def read(self, r: int, row: list, ctx: Context) -> tuple[ActionRow | RejectedRow, list[Problem]]:
        """Row `r` (0-based) as an ActionRow plus its warnings, or a RejectedRow."""
        values: dict = {}
        problems: list[Problem] = []
        width = len(row)
        warnings: list[Problem] = []
        uncached: list[tuple[str, Column]] = []
        for name, index, parse, column in self.parsers:
            value = row[index] if index < width else None
            if value is None or value == "":
                values[name] = None
                if self.formulas and (r, index) in self.formulas:
                    uncached.append((name, column))
                elif self.merged and (r, index) in self.merged:
                    self._merged_below(r, name, column, problems)
                continue
            if self.merged and (r, index) in self.merged:
                self._merged_top(r, name, column, value, warnings)
            try:
                parsed = values[name] = parse(value, r)
            except BadCell as bad:
                money = field_kind(name) == "money" and bad.key == "err.cell.number"
                problems.append(self._problem("err.cell.money" if money else bad.key, r, column, **bad.params,
                                              **field_label(name)))
                values[name] = None
                continue
            if type(parsed) is str and len(parsed) > MAX_TEXT:
                values[name] = parsed[:MAX_TEXT]
                warnings.append(self._problem("warn.cell.too_long", r, column, length=len(parsed), limit=MAX_TEXT,
                                              **field_label(name)))
        if uncached:
            self._uncached(r, uncached, values, problems, warnings)
        self._pillar(r, values, ctx, problems)
        self._agency(r, values, ctx, problems)
        self._status_direction(r, values, warnings)
        self._quarters(values)
        self._rules(r, values, problems)
        if problems:
            return RejectedRow(self.sheet, r + 1, self._raw(row), problems), []
        self._warnings(r, values, warnings)
        return ActionRow(self.sheet, r + 1, values), warnings

    def _cell_parser(self, column: Column, kind: str):
        """A function (value, row) -> parsed value for one column, chosen once per table (speed)."""
        decimal, percent, index = self.decimal, self.percent, column.index
        if kind in ("number", "money", "percent"):
            scale = column.scale if kind == "money" else 1.0

            def number(value, r):
                parsed = value if type(value) is float else parse_number(value, decimal=decimal)
                if parsed is None:
                    return None
                if scale != 1.0:
                    return parsed * scale
                if percent and (r, index) in percent:  # 0.755 shown as 75,5% is 75.5 percent points
                    return parsed * 100
                return parsed
            return number
        if kind == "date":
            end = column.field == "due_date"
            return lambda value, r: parse_date(value, end=end)
        if kind in _CHOICE_KINDS or column.field == "direction":
            return _choice
        return _text

    def _problem(self, key: str, r: int, column: Column | None, **params) -> Problem:
        for name, value in params.items():  # a 32,767-character cell must not make a 32,767-character message
            if type(value) is str and (len(value) > MAX_SHOWN or "\x00" in value):
                params[name] = value.replace("\x00", "")[:MAX_SHOWN] + ("\u2026" if len(value) > MAX_SHOWN else "")
        return Problem(key, params, self.file, self.problem_sheet, r + 1, column.header if column else None)

    def _uncached(self, r, uncached, values, problems, warnings) -> None:
        """Formulas saved without a value: a row problem where the row needs the value, else a warning."""
        for name, column in uncached:
            needed = (name in NEEDS_VALUE or (name in QUARTER_FIELDS and values.get("actual") is None)
                      or (name in TARGET_QUARTERS and values.get("target") is None))
            key = "err.cell.formula_no_value" if needed else "warn.cell.formula_no_value"
            (problems if needed else warnings).append(
                self._problem(key, r, column, cell=f"{column.letter}{r + 1}", **field_label(name)))

    def _merged_top(self, r, name, column, value, warnings) -> None:
        top, last = self.merged[(r, column.index)]
        if r == top:
            shown = _show(value) if type(value) in (int, float) else cell_text(value)
            warnings.append(self._problem("warn.cell.merged_number", r, column, value=shown,
                                          first_row=top + 1, last_row=last + 1, **field_label(name)))

    def _merged_below(self, r, name, column, problems) -> None:
        top, _last = self.merged[(r, column.index)]
        if r != top and name in REQUIRED:
            problems.append(self._problem("err.cell.merged_number", r, column, first_row=top + 1,
                                          **field_label(name)))

    def _column(self, name: str) -> Column | None:
        return self.table.fields.get(name)

    def _pillar(self, r, values, ctx, problems) -> None:
        written = values.get("pillar")
        pillar = ctx.pillar
        if written:
            pillar = pillar_in_cell(written)
            if pillar is None:
                problems.append(self._problem("err.cell.pillar", r, self._column("pillar"), value=written,
                                              expected=PILLAR_NAMES))
        values["pillar"] = pillar.value if pillar else None

    def _agency(self, r, values, ctx, problems) -> None:
        written = values.get("agency")
        name, code, column = written, None, self._column("agency")
        if written:
            code = self._resolve(written)
        elif ctx.agency_name:
            name, code, column = ctx.agency_name, ctx.agency_code, None
        values["agency"], values["agency_code"] = name, code
        if code:
            return
        if not name:
            if column is None or all(p.column != column.header for p in problems):  # not again after a formula problem
                problems.append(self._problem("err.row.agency_missing", r, column))
            return
        # Suggestions for the first SUGGESTED_NAMES names only: a column that holds something else than
        # agencies names thousands, each compared with every known name (2,000 names: 3 s of a read).
        if name in self._suggested or len(self._suggested) < SUGGESTED_NAMES:
            self._suggested.add(name)
            suggestions = self.registry.suggest(name)
        else:
            suggestions = []
        if suggestions:
            problems.append(self._problem("err.row.agency_unknown", r, column, value=name,
                                          suggestions=", ".join(suggestions)))
        else:
            problems.append(self._problem("err.row.agency_unknown_nosuggest", r, column, value=name))

    def _resolve(self, name: str) -> str | None:
        """The agency code for a cell; "Dinas A; Dinas B" resolves to the first (the lead agency)."""
        if name not in self._agencies:
            code = self.registry.resolve(name)
            if code is None and _LEADING_CODE.match(name):  # SIPD: "1.02.0.00.0.00.01.0000 Dinas Kesehatan"
                code = self.registry.resolve(_LEADING_CODE.sub("", name))
            if code is None:
                parts = [p for p in re.split(r"[;,/\n]|\s+dan\s+|\s*&\s*", name) if p.strip()]
                code = self.registry.resolve(parts[0]) if len(parts) > 1 else None
            self._agencies[name] = code
        return self._agencies[name]

    def _status_direction(self, r, values, warnings) -> None:
        written = values.get("status")
        status = match_status(written) if written else None
        if written and status is None:
            warnings.append(self._problem("warn.cell.status", r, self._column("status"), value=written,
                                          expected=STATUS_NAMES))
        values["status"] = status.value if status else None
        written = values.get("direction")
        direction = match_direction(written) if written else "higher"
        if direction is None:
            warnings.append(self._problem("warn.cell.direction", r, self._column("direction"), value=written))
        values["direction"] = direction or "higher"

    def _rules(self, r, values, problems) -> None:
        failed = {p.column for p in problems} if problems else ()
        for name in ("code", "activity", "target"):
            if values.get(name) is not None:
                continue
            column = self._column(name)
            if column is None or column.header not in failed:
                problems.append(self._problem("err.row.required", r, column, **field_label(name)))
        for name in NON_NEGATIVE:
            number = values.get(name)
            if number is not None and number < 0:
                problems.append(self._problem("err.cell.negative", r, self._column(name), value=_show(number),
                                              **field_label(name)))
        code = values.get("code")
        if code is not None:
            first = self.seen.setdefault(code, (self.sheet, r + 1))
            if first != (self.sheet, r + 1):
                key = "err.row.duplicate_code" if first[0] == self.sheet else "err.row.duplicate_code_sheet"
                problems.append(self._problem(key, r, self._column("code"), code=code, first_row=first[1],
                                              first_sheet=first[0]))

    def _quarters(self, values) -> None:
        rule = self.quarter_rule or quarter_rule(values.get("unit") or "", values.get("indicator") or "")
        values["quarter_rule"] = rule
        values["actual_source"] = "column" if values.get("actual") is not None else None
        if values.get("actual") is None:
            reported = [values[q] for q in QUARTER_FIELDS if values.get(q) is not None]
            values["actual"] = _by_rule(reported, rule)
            values["actual_source"] = "quarters" if reported else None
        if values.get("budget_spent") is None:  # rupiah are spent, not levels: the year so far is the sum
            spent = [values[q] for q in SPENT_QUARTER_FIELDS if values.get(q) is not None]
            if spent:
                values["budget_spent"] = sum(spent)
        if self.target_quarters:
            values["target_source"] = "column" if values.get("target") is not None else None
            if values.get("target") is None:
                planned = [values[q] for q in TARGET_QUARTERS if values.get(q) is not None]
                values["target"] = _by_rule(planned, rule)
                values["target_source"] = "quarters" if planned else None

    def _warnings(self, r, values, warnings) -> None:
        budget, spent = values.get("budget"), values.get("budget_spent")
        if budget is not None and spent is not None and spent > budget:
            warnings.append(self._problem("warn.row.spent_over_budget", r, self._column("budget_spent"),
                                          spent=_show(spent), budget=_show(budget)))
        target, actual = values.get("target"), values.get("actual")
        if target and actual is not None and target > 0 and actual > 2 * target:
            column = self._column("actual") or self._column("actual_q4")
            warnings.append(self._problem("warn.row.actual_over_target", r, column, actual=_show(actual),
                                          target=_show(target)))

    def _raw(self, row: list) -> dict[str, str]:
        """Every cell of the row as text, under its header (or its column letter beyond the header)."""
        raw = {}
        for column, key in zip(self.table.columns, self.raw_keys):
            value = row[column.index] if column.index < len(row) else None
            raw[key] = cell_text(value.isoformat() if hasattr(value, "isoformat") else value)
        for index in range(len(self.table.columns), len(row)):
            if row[index] not in (None, ""):
                raw[column_letter(index)] = cell_text(row[index])
        return raw


def _choice(value, r=None) -> str | None:
    """A cell of a column with a few known words (pillar, status, direction): as `_text`, and "NA" is nothing."""
    text = _text(value)
    return None if text is not None and text.lower() == "na" else text


def _text(value, r=None) -> str | None:
    """A text cell stripped; numbers without a trailing .0, dates as ISO; "-" and "n/a" as nothing, "NA" kept."""
    if type(value) is str:
        text = value.strip()
        if "\x00" in text:  # NUL has no place in text (and breaks exports); the rest of the text stays
            text = text.replace("\x00", "").strip()
        if text[:1] == "'":  # '001 typed to keep Excel from reading a number; our export's =/- guard
            text = text[1:].strip()
    else:
        text = cell_text(value.isoformat() if hasattr(value, "isoformat") else value)
    if not text or (len(text) <= 14 and text.lower() in TEXT_BLANKS):
        return None
    return text


def _by_rule(quarters: list[float], rule: str) -> float | None:
    """The year's figure from its quarters: the latest reported, or their sum."""
    if not quarters:
        return None
    return quarters[-1] if rule == "latest" else sum(quarters)


def _unique_headers(columns: list[Column]) -> list[str]:
    counts: dict[str, int] = {}
    for c in columns:
        counts[c.header] = counts.get(c.header, 0) + 1
    return [c.header if counts[c.header] == 1 else f"{c.header} ({c.letter})" for c in columns]


def _show(number: float) -> str:
    """A number for a message, written the Indonesian way: 1250000.0 -> "1.250.000"."""
    from .numbers import format_id

    return format_id(number, 0 if float(number).is_integer() else 2)


_STATUS_PHRASES = sorted(((w, s) for s, words in STATUS_WORDS.items() for w in words), key=lambda p: -len(p[0]))


@lru_cache(maxsize=1024)
def match_status(text: str) -> Status | None:
    """The status an agency wrote: exact words first, then the longest known phrase inside."""
    low = " " + " ".join(text.lower().split()) + " "
    for phrase, status in _STATUS_PHRASES:
        if low.strip() == phrase:
            return status
    for phrase, status in _STATUS_PHRASES:
        if f" {phrase} " in low:
            return status
    return None


_LOWER = re.compile(r"\b(turun|menurun|negatif|negative|lower|down|kecil|rendah|minimi[sz]e|min|decrease|"
                    r"berkurang)\b|^-$|^\u2193$")
_HIGHER = re.compile(r"\b(naik|meningkat|positif|positive|higher|up|besar|tinggi|maksimal|maximi[sz]e|max|"
                     r"increase|bertambah)\b|^\+$|^\u2191$")


@lru_cache(maxsize=256)
def match_direction(text: str) -> str | None:
    """"lower" for turun / negatif / semakin kecil semakin baik, "higher" for naik / positif, else None."""
    low = text.lower().strip()
    if _LOWER.search(low):
        return "lower"
    if _HIGHER.search(low):
        return "higher"
    return None


_LEVEL_UNIT = re.compile(r"%|\bpersen|\bindeks|\bindex|\bnilai\b|\bskor|\bscore|\brasio|\bratio|\bpredikat|"
                         r"\bperingkat|\blevel|\bskala|\bpoin|\bpercent")
_LEVEL_INDICATOR = re.compile(r"^(persentase|prosentase|presentase|indeks|index|rasio|ratio|tingkat|prevalensi|"
                              r"percentage|proporsi|proportion)\b")
_CUMULATIVE = re.compile(r"kumulatif|cumulative|\bs\.?\s?d\.?(?=\s|$)|sampai dengan")


@lru_cache(maxsize=4096)
def quarter_rule(unit: str, indicator: str) -> str:
    """"latest" for levels (%, indeks, nilai, skor, rasio, "Persentase ...", cumulative), else "sum"."""
    unit, indicator = unit.lower(), indicator.lower().strip()
    if _LEVEL_UNIT.search(unit) or _CUMULATIVE.search(unit) or _CUMULATIVE.search(indicator):
        return "latest"
    if not unit and _LEVEL_INDICATOR.match(indicator):
        return "latest"
    return "sum"


def message_fields(names: list[str]) -> dict[str, str]:
    """Params listing fields in both languages: {"fields_id": "Kode, Target", "fields_en": "Code, Target"}."""
    return {"fields_id": ", ".join(FIELDS_BY_NAME[n].label_id for n in names),
            "fields_en": ", ".join(FIELDS_BY_NAME[n].label_en for n in names)}

