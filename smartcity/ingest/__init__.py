"""Reading the spreadsheets agencies send into canonical action rows.

    result = ingest_bytes(content, "renaksi_dinkes.xlsx", AgencyRegistry.load())
    result = ingest_path("data/demo/renaksi_dinkes.xlsx", registry)

Neither raises for bad input: an unreadable file, or one with no action table, comes back
with `result.file_problems` (rejected whole); a bad row comes back in `result.rejected` with
its raw cells and every reason; doubtful values in `result.warnings`. See
smartcity.ingest.result for the shapes, and the modules for the rules:
reader (formats), layout (header), sections (section/total/signature rows),
rows (values and validation), numbers (Indonesian numbers and dates).

`profile` (optional) sets defaults for one upload:
    {"agency": "DINKES"}          agency for rows that name none (code or any known name)
    {"pillar": "collaboration"}   pillar for rows that name none
    {"quarter_rule": "latest"}    one quarter rule for the whole file ("sum" or "latest")
    {"decimal": ","}              force how text numbers are read ("," Indonesian, "." English)
    {"columns": {"code": "No. Urut", "activity": "Uraian", "target": "Sasaran 2024"}}
                                  which column is which ({field: header text as written, see
                                  smartcity.ingest.columns.inspect_columns}); every sheet is read
                                  with it ("columns_name" names it in the warning that says so)
    {"saved_profiles": {signature: {"name": "Format Dinas X", "columns": {...}}}}
                                  saved mappings (smartcity.mappings.saved_profiles): a sheet whose
                                  header signature matches is read with that mapping

Merged cells below the header: a text or date cell (OPD, Program, Pilar, dates) merged over
several action rows gives each of them its value; a merged number (target, budget) counts once,
for the first row, with a warning (smartcity.ingest.layout.MergedData). A formula saved without
its value (a file written by a program that does not compute formulas) is reported, never read
as empty (smartcity.ingest.rows.RowReader).

Known layouts: the Renja evaluation form (Permendagri 86/2017, E.81) is recognised by its
K | Rp header row and read by smartcity.ingest.renja (sub-activities are the actions).
Hostile files (zip and XML bombs, huge sheets, encrypted or .xlsb workbooks) are refused by
smartcity.ingest.guard before any parser sees them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

from smartcity.domain import FIELDS, QUARTER_FIELDS, SPENT_QUARTER_FIELDS, Pillar

from .columns import choose_table
from . import guard
from .guard import check_before_parse, settle
from .layout import MergedData, Table
from .numbers import BadCell, format_id, parse_number
from .reader import Sheet, Unreadable, read_sheets, sniff
from .renja import find_renja, read_renja
from .bulk import NotBulk
from .result import ActionRow, ActionTable, IngestResult, Problem, RejectedRow, loose_rows
from .rows import Context, RowReader, SeenCodes, message_fields
from .sections import classify, is_reference_sheet, pillar_in_cell, pillar_section, title_context

__all__ = ["ingest_bytes", "ingest_path", "IngestResult", "ActionRow", "RejectedRow", "Problem"]

log = logging.getLogger(__name__)
_LISTED = [f.name for f in FIELDS if f.name not in (*QUARTER_FIELDS, *SPENT_QUARTER_FIELDS) and f.name != "direction"]
EXPECTED = message_fields(_LISTED)
EXPECTED = {"expected_id": EXPECTED["fields_id"], "expected_en": EXPECTED["fields_en"]}


def ingest_path(path: str | Path, registry, *, profile: dict | None = None) -> IngestResult:
    """Read a file from disk; see `ingest_bytes`. A missing file is a file problem, not an exception."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        result = IngestResult(path.name, hashlib.sha256(b"").hexdigest(), 0)
        result.file_problems.append(Problem("err.file.unreadable_path", {"detail": str(exc)}, file=path.name))
        return result
    return ingest_bytes(content, path.name, registry, profile=profile)


def ingest_bytes(content: bytes, file_name: str, registry, *, profile: dict | None = None,
                 sha256: str | None = None) -> IngestResult:
    """Read one uploaded file (xlsx, xlsm, xls, ods or csv, sniffed by content) into an IngestResult.

    `registry` is a smartcity.agencies.AgencyRegistry; every row must resolve to one of its
    agencies. sha256 and size always describe `content`: `sha256` is the hex digest of `content`
    when the caller has computed it already (smartcity.pipeline). Never raises for bad input.
    """
    content = bytes(content or b"")
    result = IngestResult(file_name, sha256 or hashlib.sha256(content).hexdigest(), len(content))
    try:
        result.format = sniff(content)
        scans = check_before_parse(content, result.format, overlap=guard.PARSE_IN_WORKER)
        sheets = read_sheets(content, result.format, scans)
    except Unreadable as bad:
        result.file_problems.append(Problem(bad.key, dict(bad.params), file=file_name))
        return result
    try:
        _ingest_sheets(sheets, result, registry, profile or {})
        settle(scans)  # the guard's passes still pending (large sheets): a refusal rejects the file
    except Unreadable as bad:  # a large sheet read in full after all (smartcity.ingest.bulk)
        result.actions, result.rejected = [], []
        result.file_problems.append(Problem(bad.key, dict(bad.params), file=file_name))
    except MemoryError:
        result.actions, result.rejected = [], []
        result.file_problems.append(Problem("err.file.too_complex", {}, file=file_name))
    except Exception as exc:  # a bug must not lose the upload: report it as a file problem
        log.exception("ingest failed for %s", file_name)
        result.actions, result.rejected = [], []
        result.file_problems.append(Problem("err.file.internal", {"detail": f"{type(exc).__name__}: {exc}"},
                                            file=file_name))
    return result


def _ingest_sheets(sheets: list[Sheet], result: IngestResult, registry, profile: dict) -> None:
    file = result.file_name
    default = _profile_context(profile, registry)
    seen_codes = SeenCodes()
    tables: list = []
    issues: list[Problem] = []
    loaded = 0
    for sheet in sheets:
        where = sheet.name or None
        if not sheet.visible:
            result.warnings.append(Problem("warn.sheet.hidden", {}, file, where))
            continue
        if sheet.name and is_reference_sheet(sheet.name):
            result.warnings.append(Problem("warn.sheet.reference", {}, file, where))
            continue
        if not any(any(c not in (None, "") for c in row) for row in sheet.rows):
            continue  # the empty Sheet2 and Sheet3 of a new workbook
        if sheet.pending is not None:
            _read_while_guarded(sheet, registry, profile, file)
        sheet, table, program_codes, note = _layout(sheet, registry, profile, file)
        if note:
            result.warnings.append(note)
        if table is None:
            issues.append(Problem("err.sheet.no_table", dict(EXPECTED), file, where))
            continue
        if table.missing():
            issues.append(Problem("err.sheet.missing_columns", _missing_params(table), file, where,
                                  row=table.header_top + 1))
            continue
        outcome = _read_sheet(sheet, table, registry, file, seen_codes, profile, default)
        if outcome is None:
            issues.append(Problem("err.sheet.no_agency", {}, file, where))
            continue
        actions, rejected, warnings = outcome
        for row in loose_rows(actions):
            if row.row in program_codes:
                row.values["program_code"] = program_codes[row.row]
        tables += actions.tables if isinstance(actions, ActionTable) else []
        result.actions += loose_rows(actions)
        result.rejected += rejected
        result.warnings += warnings
        loaded += 1
    if tables:
        result.actions = ActionTable(tables, result.actions)
    if not loaded:
        result.file_problems += issues or [Problem("err.sheet.no_table", dict(EXPECTED), file)]
        return
    result.warnings += [dataclasses.replace(p, key=p.key.replace("err.", "warn.", 1)) for p in issues]
    if not result.actions and not result.rejected:
        result.warnings.append(Problem("warn.file.no_rows", {}, file))


def _read_while_guarded(sheet: Sheet, registry, profile: dict, file: str) -> None:
    """A large sheet whose guard pass is pending (guard.PendingScan): find its table from the top rows,
    begin reading its rows in bulk (the read takes the pass along), then take the pass's findings.
    Merged ranges (they close the sheet's XML) can change the table: `_layout` then runs again with
    them, and the early read is used only when it asked for the same rows and columns
    (BulkSource.load). Raises Unreadable when the pass refuses."""
    from .bulkrows import load_arguments

    pending, sheet.pending = sheet.pending, None
    if not profile.get("columns") and find_renja(sheet.rows, []) is None:
        table, _note = choose_table(sheet, profile, file)
        if table is not None and not table.missing():
            sheet.bulk.start(*load_arguments(sheet, table), guard=pending)
    try:
        scan = pending.result()
    except Unreadable:
        sheet.bulk.wait()
        raise
    if scan is None:  # the pass found XML the bulk reader does not read
        sheet.bulk.wait()
        sheet.load_full()
        return
    sheet.has_formula = scan.has_formula
    if scan.merges:
        from .bulk import peek_rows

        sheet.rows, sheet.merges = peek_rows(sheet.bulk.content, sheet.bulk.path, scan)


def _layout(sheet: Sheet, registry, profile: dict, file: str):
    """(sheet, table, programme codes by row, a warning saying how the sheet was read): an explicit
    column mapping first, then the Renja evaluation form, then a saved profile or our own header search."""
    if not profile.get("columns"):
        if sheet.bulk is not None and find_renja(sheet.rows, sheet.merges or []) is not None:
            sheet.load_full()  # the form's rows are read by smartcity.ingest.renja, row by row
        renja = read_renja(sheet, registry)
        if renja is not None:
            return renja.sheet, renja.table, renja.program_codes, Problem("warn.sheet.renja", {}, file, sheet.name or None)
    table, note = choose_table(sheet, profile, file)
    return sheet, table, {}, note


def _missing_params(table: Table) -> dict:
    found = [c.header for c in table.columns if c.field]
    params = {f"missing_{k[-2:]}": v for k, v in message_fields(table.missing()).items()}
    return {**params, **EXPECTED, "found": ", ".join(found) or "-"}


def _profile_context(profile: dict, registry) -> Context:
    ctx = Context()
    agency = profile.get("agency")
    if agency:
        code = agency if agency in registry.agencies else registry.resolve(agency)
        ctx.agency_name, ctx.agency_code = (registry.name(code) if code else str(agency)), code
    pillar = profile.get("pillar")
    if pillar:
        ctx.pillar = Pillar(pillar) if pillar in Pillar._value2member_map_ else pillar_in_cell(str(pillar))
    return ctx


def _sheet_context(sheet: Sheet, table: Table, registry, default: Context) -> Context:
    """Pillar and agency named by the sheet's name or the title rows, else the profile's."""
    title_pillar, title_name, title_code = title_context(sheet.rows[:table.header_top], registry)
    name_pillar = pillar_section(sheet.name) if sheet.name else None
    name_code = registry.resolve(sheet.name) if sheet.name else None
    ctx = dataclasses.replace(default)
    ctx.pillar = name_pillar or title_pillar or default.pillar
    if title_name:
        ctx.agency_name, ctx.agency_code = title_name, title_code
    elif name_code:
        ctx.agency_name, ctx.agency_code = sheet.name, name_code
    return ctx


def _read_sheet(sheet: Sheet, table: Table, registry, file: str, seen_codes: dict, profile: dict,
                default: Context):
    """(actions, rejected, warnings) of one sheet, or None when no agency can be known for its rows.
    `actions` is a list of ActionRow, or an ActionTable for a sheet read in bulk."""
    if sheet.bulk is not None:
        merged = MergedData(table, sheet.merges)
        if not merged:
            codes = SeenCodes(seen_codes)
            state = _SheetRows(sheet, table, registry, file, seen_codes, profile, default)
            from .bulkrows import read_bulk  # pyarrow.compute: imported when a large sheet comes

            try:
                settled = read_bulk(sheet, table, state.reader, state, state.row)
            except NotBulk:
                seen_codes.clear()
                seen_codes.update(codes)
            else:
                return state.outcome(settled)
        sheet.load_full()
    state = _SheetRows(sheet, table, registry, file, seen_codes, profile, default)
    for r in range(table.data_start, len(sheet.rows)):
        state.row(r, sheet.rows[r])
    return state.outcome(None)


class _SheetRows:
    """The rows of one sheet read in order: section rows change the context of the rows below,
    total rows are checked against the rows above, the footer ends the table."""

    def __init__(self, sheet: Sheet, table: Table, registry, file: str, seen_codes: dict, profile: dict,
                 default: Context):
        self.sheet, self.table, self.registry, self.file = sheet, table, registry, file
        self.ctx = _sheet_context(sheet, table, registry, default)
        self.agency_known = "agency" in table.fields or self.ctx.agency_name is not None
        percent = sheet.percent_cells() if sheet.percent_cells else set()
        self.merged = MergedData(table, sheet.merges)
        formulas = sheet.formula_cells() if sheet.formula_cells and (sheet.bulk is None or sheet.has_formula) else set()
        self.reader = RowReader(table, registry, file_name=file, sheet=sheet.name,
                                decimal=profile.get("decimal") or sheet.decimal, percent_cells=percent,
                                seen_codes=seen_codes, quarter_rule=profile.get("quarter_rule"),
                                formula_cells=formulas, merged_numbers=self.merged.numbers)
        self.totals = _Totals(table, file, sheet.name or None, self.reader.decimal)
        self.actions, self.rejected, self.warnings = [], [], []
        self.code_index = table.fields["code"].index
        self.code_header = table.fields["code"].header.split(" / ")[-1].strip().lower()
        self.in_footer = False

    def row(self, r: int, row: list) -> None:
        sheet, merged, registry = self.sheet, self.merged, self.registry
        if merged:
            row = merged.fill(r, row, sheet.rows)
        kind = classify(row, self.code_index, registry, self.in_footer)
        if kind.kind == "data":
            if _repeated_header(row, self.code_index, self.code_header):
                return  # the header again, below a page break or a pasted block
            item, row_warnings = self.reader.read(r, row, self.ctx)
            if isinstance(item, RejectedRow) and _single_cell(row):
                kind = _section_in_code_column(row, self.code_index, registry, self.reader.seen,
                                               (sheet.name, r + 1)) or kind
        if merged:
            merged.note(r, kind.kind)
        if kind.kind == "data":
            (self.actions if isinstance(item, ActionRow) else self.rejected).append(item)
            self.warnings += row_warnings
            self.totals.add(item)
        elif kind.kind == "footer":
            self.in_footer = True
        elif kind.kind == "total":
            self.warnings += self.totals.check(r, row)
        elif kind.kind == "section" and kind.pillar:
            self.ctx = dataclasses.replace(self.ctx, pillar=kind.pillar)
        elif kind.kind == "section":
            self.ctx = dataclasses.replace(self.ctx, agency_name=kind.agency_name, agency_code=kind.agency_code)
            self.agency_known = True
        elif kind.kind == "heading":
            self.warnings.append(Problem("warn.row.heading", {"text": kind.text[:150]}, self.file,
                                         sheet.name or None, r + 1))

    def outcome(self, settled):
        if not self.agency_known:
            return None
        if settled is None:
            return self.actions, self.rejected, self.warnings
        return ActionTable([(settled, *_value_names(self.table, self.reader))], self.actions), self.rejected, self.warnings


def _value_names(table: Table, reader: RowReader) -> tuple[tuple, frozenset]:
    """The value names of an action read from `table` (as RowReader.read makes them), and those
    present only when not empty (budget spent summed from quarters, in a table without the column)."""
    names = [c.field for c in table.columns if c.field]
    names += ["pillar", "agency", "agency_code", "status", "direction", "quarter_rule", "actual_source", "actual"]
    optional = set()
    if "budget_spent" not in table.fields and any(q in table.fields for q in SPENT_QUARTER_FIELDS):
        names.append("budget_spent")
        optional.add("budget_spent")
    if reader.target_quarters:
        names += ["target_source", "target"]
    return tuple(dict.fromkeys(names)), frozenset(optional)


def _repeated_header(row: list, code_index: int, code_header: str) -> bool:
    value = row[code_index] if code_index < len(row) else None
    return bool(code_header) and isinstance(value, str) and value.strip().lower() == code_header


def _single_cell(row: list) -> bool:
    return sum(1 for value in row if value is not None and value != "") == 1


def _section_in_code_column(row: list, code_index: int, registry, seen_codes: dict, where: tuple):
    """"INTEGRASI" or "DINKES" alone in the code column is a section row, not an action without values."""
    section = classify(row, None, registry, False)
    if section.kind != "section":
        return None
    code = str(row[code_index]).strip()
    if seen_codes.get(code) == where:  # the reader took it for a code: forget it
        del seen_codes[code]
    return section


class _Totals:
    """Compares each JUMLAH/TOTAL row's budget with the loaded budgets above it.

    A total row right after action rows sums those rows (a subtotal); a total row with no
    action rows since the previous one (a grand total below subtotals) sums the whole sheet.
    """

    def __init__(self, table: Table, file: str, sheet: str | None, decimal: str | None):
        self.column = table.fields.get("budget")
        self.file, self.sheet, self.decimal = file, sheet, decimal
        self.since, self.rows_since, self.sheet_sum = 0.0, 0, 0.0

    def add(self, item) -> None:
        self.rows_since += 1
        if isinstance(item, ActionRow):
            budget = item.values.get("budget") or 0.0
            self.since += budget
            self.sheet_sum += budget

    def check(self, r: int, row: list) -> list[Problem]:
        expected = self.since if self.rows_since else self.sheet_sum
        self.since, self.rows_since = 0.0, 0
        if self.column is None or self.column.index >= len(row):
            return []
        try:
            total = parse_number(row[self.column.index], decimal=self.decimal)
        except BadCell:
            return []
        if total is None:
            return []
        total *= self.column.scale
        if abs(total - expected) <= 1.0:
            return []
        params = {"total": format_id(total, 0), "loaded": format_id(expected, 0)}
        return [Problem("warn.total_mismatch", params, self.file, self.sheet, r + 1, self.column.header)]
