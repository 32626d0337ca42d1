"""Read models of the Unggah Data page, and the one call that loads uploaded files.

`load_uploads` wraps `pipeline.load_file` so that the page only hands over bytes and shows
the reports; every message is kept in both languages so a language switch after an upload
still shows the results. A preview also says what the user can teach before loading: the
columns to map when the headers were not recognised (`SheetMapping`, saved by
`save_column_profile`) and the programmes whose rows wait for a pillar (`WaitingProgram`,
saved by `assign_program_pillars`); the preview is then run again and applies them by itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from smartcity import mappings, pipeline
from smartcity.auth import Actor
from smartcity.domain import FIELDS, FIELDS_BY_NAME
from smartcity.errors import SmartCityError
from smartcity.i18n import t
from smartcity.ingest.layout import EXTRA_LABELS, REQUIRED, TARGET_QUARTERS
from smartcity.ingest.result import IngestResult, Problem
from smartcity.store import Store


@dataclass
class UploadReport:
    """What happened to one uploaded file, ready to show (messages in both languages)."""

    file_name: str
    status: str                    # loaded | rejected | duplicate | error
    upload_id: int | None
    rows_loaded: int
    rows_rejected: int
    problems: pd.DataFrame         # level, file, sheet, row, column, message_id, message_en
    rejected: pd.DataFrame         # sheet, row, reasons_id, reasons_en, cells


PROBLEM_COLUMNS = ["level", "file", "sheet", "row", "column", "message_id", "message_en"]
REJECTED_COLUMNS = ["sheet", "row", "reasons_id", "reasons_en", "cells"]


# A rejected row's raw JSON cells as 'Header: value | ...', empty cells left out; shown as plain text.
_CELLS_SQL = """array_to_string(list_filter(list_transform(json_keys(raw),
    lambda k: CASE WHEN coalesce(raw->>k, '') <> '' THEN k || ': ' || (raw->>k) END), lambda x: x IS NOT NULL), ' | ')"""


def _report(store: Store, outcome: pipeline.UploadOutcome) -> UploadReport:
    problems = [("file" if p.row is None else "row", p.file or outcome.file_name, p.sheet, p.row, p.column,
                 p.message("id"), p.message("en")) for p in outcome.problems]
    problems += [("warning", p.file or outcome.file_name, p.sheet, p.row, p.column, p.message("id"),
                  p.message("en")) for p in outcome.warnings]
    stored = outcome.upload_id is not None and outcome.status in ("loaded", "rejected")
    rejected = rejected_rows(store, outcome.upload_id) if stored else pd.DataFrame(columns=REJECTED_COLUMNS)
    return UploadReport(outcome.file_name, outcome.status, outcome.upload_id, outcome.rows_loaded,
                        outcome.rows_rejected, pd.DataFrame(problems, columns=PROBLEM_COLUMNS), rejected)


def _failed(file_name: str, message_id: str, message_en: str) -> UploadReport:
    problems = pd.DataFrame([("file", file_name, None, None, None, message_id, message_en)], columns=PROBLEM_COLUMNS)
    return UploadReport(file_name, "error", None, 0, 0, problems, pd.DataFrame(columns=REJECTED_COLUMNS))


def load_uploads(store: Store, files: list[tuple[str, bytes]], as_of: date, actor: Actor) -> list[UploadReport]:
    """Load each (file name, bytes) as a snapshot at `as_of`; one report per file, in order.

    One file's failure (no permission, a busy database, a bug in reading it) is reported for
    that file and never stops the others.
    """
    reports = []
    for name, content in files:
        try:
            reports.append(_report(store, pipeline.load_file(store, content, name, as_of, actor)))
        except SmartCityError as e:
            reports.append(_failed(name, e.message("id"), e.message("en")))
        except Exception as e:  # noqa: BLE001 - a file must never take the page down
            detail = f"{type(e).__name__}: {e}"
            reports.append(_failed(name, t("err.generic", "id", detail=detail), t("err.generic", "en", detail=detail)))
    return reports


def upload_history(store: Store, limit: int = 200) -> pd.DataFrame:
    """The latest uploads first: id, uploaded_at, file_name, as_of, uploaded_by, rows, status, problem counts."""
    return store.query_df(
        """SELECT u.id, u.uploaded_at, u.file_name, u.as_of, u.uploaded_by, u.rows_loaded, u.rows_rejected, u.status,
                  count(p.upload_id) FILTER (WHERE p.level <> 'warning') AS problems,
                  count(p.upload_id) FILTER (WHERE p.level = 'warning') AS warnings
           FROM uploads u LEFT JOIN upload_problems p ON p.upload_id = u.id
           GROUP BY ALL ORDER BY u.uploaded_at DESC, u.id DESC LIMIT ?""", [limit])


def upload_problems(store: Store, upload_id: int) -> pd.DataFrame:
    """Every stored problem of one upload (PROBLEM_COLUMNS), file problems first, then by sheet and row."""
    return store.query_df(
        """SELECT p.level, u.file_name AS file, p.sheet, p.row_number AS row, p.column_name AS column,
                  p.message_id, p.message_en
           FROM upload_problems p JOIN uploads u ON u.id = p.upload_id WHERE p.upload_id = ?
           ORDER BY p.level = 'warning', p.row_number NULLS FIRST, p.sheet""", [upload_id])


def rejected_rows(store: Store, upload_id: int) -> pd.DataFrame:
    """The rows of one upload that were not loaded, with their reasons and raw cells (REJECTED_COLUMNS)."""
    return store.query_df(
        f"""SELECT sheet, row_number AS row, reasons_id, reasons_en, {_CELLS_SQL} AS cells FROM rejected_rows
            WHERE upload_id = ? ORDER BY sheet, row_number""", [upload_id])


# -- preview: what a file would load, before it is loaded ----------------------------------------

# The unknown agency names a preview offers to map, those on most rows first. A file with more (a column
# mapped to the wrong field can hold thousands) is better checked than mapped name by name.
UNKNOWN_SHOWN = 30


@dataclass
class FilePreview:
    """What one file would load (nothing is written): counts, actions per pillar and agency, the
    changes against each agency's current snapshot, rejected rows and the unknown agency names."""

    file_name: str
    status: str                    # preview | rejected | duplicate | error
    rows_loaded: int
    rows_rejected: int
    by_pillar_agency: pd.DataFrame  # agency_code, agency_short, pillar, actions
    changes: pd.DataFrame          # smartcity.changes rows, 'unchanged' left out
    problems: pd.DataFrame         # PROBLEM_COLUMNS
    rejected: pd.DataFrame         # REJECTED_COLUMNS
    unknown_agencies: list = field(default_factory=list)  # smartcity.mappings.UnknownAgency, most rows first
    column_mapping: list = field(default_factory=list)    # [SheetMapping] when the headers were not recognised
    waiting_for_pillar: list = field(default_factory=list)  # [WaitingProgram] whose rows have no pillar
    unknown_more: int = 0          # unknown agency names beyond the UNKNOWN_SHOWN shown (a wrong column?)
    unknown_more_rows: int = 0     # ... and their rows


def _cells(raw: dict) -> str:
    """A rejected row's cells as 'Header: value | ...', empty cells left out (as _CELLS_SQL)."""
    return " | ".join(f"{k}: {v}" for k, v in raw.items() if v not in (None, ""))


def _preview(store: Store, p: pipeline.Preview, content: bytes) -> FilePreview:
    from smartcity.mappings import unknown_agencies

    outcome = p.outcome
    report = _report(store, outcome)          # upload_id is None: nothing stored to read back
    rejected = pd.DataFrame(
        [(r.sheet, r.row, "; ".join(x.message("id") for x in r.problems),
          "; ".join(x.message("en") for x in r.problems), _cells(r.raw)) for r in outcome.result.rejected]
        if outcome.result else [], columns=REJECTED_COLUMNS)
    changes = p.changes
    if "kind" in changes.columns:
        changes = changes[changes["kind"] != "unchanged"].reset_index(drop=True)
    unknown = unknown_agencies(outcome.result, store.registry(), suggest=UNKNOWN_SHOWN) if outcome.result else []
    shown, more = unknown[:UNKNOWN_SHOWN], unknown[UNKNOWN_SHOWN:]
    return FilePreview(outcome.file_name, outcome.status, outcome.rows_loaded, outcome.rows_rejected,
                       p.by_pillar_agency, changes, report.problems, rejected, shown,
                       column_mapping(store, content, outcome) if needs_column_mapping(outcome) else [],
                       waiting_for_pillar(outcome.result) if outcome.result else [],
                       len(more), sum(len(u.rows) for u in more))


def preview_uploads(store: Store, files: list[tuple[str, bytes]], as_of: date, actor: Actor) -> list[FilePreview]:
    """`pipeline.preview_file` for each (file name, bytes), in order; nothing is kept. As in
    `load_uploads`, one file's failure (no permission, an unreadable file) is that file's status."""
    previews = []
    for name, content in files:
        try:
            previews.append(_preview(store, pipeline.preview_file(store, content, name, as_of, actor), content))
        except Exception as e:  # noqa: BLE001 - a file must never take the page down
            failed = (_failed(name, e.message("id"), e.message("en")) if isinstance(e, SmartCityError) else
                      _failed(name, *(t("err.generic", lang, detail=f"{type(e).__name__}: {e}") for lang in ("id", "en"))))
            previews.append(FilePreview(name, "error", 0, 0, pd.DataFrame(), pd.DataFrame(), failed.problems,
                                        failed.rejected))
    return previews


# -- the mapping step: which column of the file is which of our fields ---------------------------

# The file problems that mean "we did not understand the header", which the user can fix by mapping.
_HEADER_PROBLEMS = ("err.sheet.no_table", "err.sheet.missing_columns")


@dataclass
class FieldChoice:
    """One of our fields in the mapping step, and the file's column suggested for it."""

    name: str                      # "code", "target", "target_q1" ...
    label_id: str
    label_en: str
    required: bool
    suggested: str | None          # a header text of the file, or None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass
class SheetMapping:
    """The mapping step of one sheet: the file's columns with a few of their values, our fields
    (required first) with a column suggested for each, and the name to save the profile under."""

    sheet: str                     # "" for a CSV
    header_row: int                # 1-based
    signature: str                 # the header's signature (smartcity.ingest.columns)
    samples: dict[str, list[str]]  # header text -> up to 5 values below it, in the file's column order
    fields: list[FieldChoice]
    profile_name: str              # the profile already saved for this header, else "Format <file>"


def needs_column_mapping(outcome: pipeline.UploadOutcome) -> bool:
    """True when a whole file was rejected because no sheet's header was understood."""
    return outcome.status == "rejected" and any(p.key in _HEADER_PROBLEMS for p in outcome.problems)


def column_mapping(store: Store, content: bytes, outcome: pipeline.UploadOutcome) -> list[SheetMapping]:
    """The mapping step of each sheet with a header, for a file `needs_column_mapping` says was not
    understood; empty when the file cannot be read at all (its problem is already shown)."""
    from smartcity.ingest.reader import Unreadable

    try:
        sheets = pipeline.inspect_upload(content, outcome.file_name)
    except Unreadable:
        return []
    stem = outcome.file_name.rsplit(".", 1)[0]
    return [_sheet_mapping(store, sheet, f"Format {stem}" + (f" {sheet.sheet}" if len(sheets) > 1 else ""))
            for sheet in sheets if sheet.columns]


def _sheet_mapping(store: Store, sheet, default_name: str) -> SheetMapping:
    from smartcity.ingest.columns import header_key

    samples: dict[str, list[str]] = {}
    for column in sheet.columns:
        samples.setdefault(column.header_text, column.sample_values)   # a repeated header: its first column
    suggested: dict[str, str] = {}
    for column in sheet.columns:
        if column.suggested_field and column.header_text in samples:
            suggested.setdefault(column.suggested_field, column.header_text)
    saved = mappings.find_profile(store, sheet.signature)
    if saved:
        # A profile saved for this header (that still left columns missing) is the better guess;
        # its header texts are matched as the ingester matches them (years do not count).
        by_key = {header_key(text): text for text in samples}
        taught = {name: by_key[header_key(text)] for name, text in saved.mapping.items() if header_key(text) in by_key}
        suggested = {name: text for name, text in suggested.items() if text not in taught.values()} | taught
    names = [*REQUIRED, *(f.name for f in FIELDS if f.name not in REQUIRED), *EXTRA_LABELS]
    fields = [FieldChoice(name, *_labels(name), name in REQUIRED, suggested.get(name)) for name in names]
    return SheetMapping(sheet.sheet, sheet.header_row, sheet.signature, samples, fields,
                        saved.name if saved else default_name)


def _labels(name: str) -> tuple[str, str]:
    if name in EXTRA_LABELS:
        return EXTRA_LABELS[name]
    return FIELDS_BY_NAME[name].label_id, FIELDS_BY_NAME[name].label_en


def mapping_problems(sheet: SheetMapping, mapping: dict[str, str | None]) -> list[Problem]:
    """Why `mapping` ({field: header text or None}) cannot read the sheet yet: a required field
    without a column (quarterly targets stand in for the target, as when reading), or a column
    chosen for more than one field. Empty when it can be saved."""
    chosen = {name: header for name, header in mapping.items() if header}
    present = set(chosen) | ({"target"} if set(chosen) & set(TARGET_QUARTERS) else set())
    labels = {f.name: f for f in sheet.fields}
    problems = []
    missing = [labels[name] for name in REQUIRED if name not in present]
    if missing:
        problems.append(Problem("up.colmap.missing", {"fields_id": ", ".join(f.label_id for f in missing),
                                                      "fields_en": ", ".join(f.label_en for f in missing)}))
    by_header: dict[str, list[FieldChoice]] = {}
    for name, header in chosen.items():
        by_header.setdefault(header, []).append(labels[name])
    for header, fields in by_header.items():
        if len(fields) > 1:
            problems.append(Problem("up.colmap.twice", {"column": header,
                                                        "fields_id": ", ".join(f.label_id for f in fields),
                                                        "fields_en": ", ".join(f.label_en for f in fields)}))
    return problems


def save_column_profile(store: Store, actor: Actor, sheet: SheetMapping, name: str,
                        mapping: dict[str, str | None]) -> None:
    """Save `mapping` ({field: header text or None}) as the profile `name` for the sheet's header
    (smartcity.mappings.save_profile: editors and admins; audited). The next preview or load of a
    file with this header applies it by itself. Raises MappingError when `mapping_problems` finds any."""
    problems = mapping_problems(sheet, mapping)
    if problems:
        raise mappings.MappingError(problems[0].key, **problems[0].params)
    mappings.save_profile(store, actor, name, {k: v for k, v in mapping.items() if v}, sheet.signature)


# -- rows that wait for a pillar: assign their programme codes ----------------------------------

_LEADING_CODE = re.compile(r"^\s*(\d+(?:\.\d+)+)\b")
# A code of the national nomenclature: urusan.bidang.program.kegiatan(2 parts).sub-kegiatan, so
# "2.16.03.2.02.0027" (and its second indicator "2.16.03.2.02.0027-2") is in programme "2.16.03".
_NOMENCLATURE = re.compile(r"^(\d+\.\d+\.\d+)(?:\.[\w-]+){2,}$")


@dataclass
class WaitingProgram:
    """A programme whose rows wait in the preview because no pillar is known: the code shown for it,
    its name as written, its rows, and the code prefixes a pillar chosen for it is saved for
    (smartcity.mappings.assign_pillars): its programme code, or, for a programme written without one,
    the codes of its actions."""

    code_prefix: str
    program: str | None
    rows: list[tuple[str, int]]    # (sheet, 1-based row)
    prefixes: list[str]


def program_code(code: str | None, program: str | None) -> str | None:
    """The programme code of an action: written before the programme's name ("2.16.03 Program ..."),
    else the first three parts of a nomenclature code, else the action's own code."""
    return _written_program_code(code, program) or (code or "").strip() or None


def _written_program_code(code: str | None, program: str | None) -> str | None:
    leading = _LEADING_CODE.match(program or "")
    if leading:
        return leading.group(1)
    found = _NOMENCLATURE.match((code or "").strip())
    return found.group(1) if found else None


def waiting_for_pillar(result: IngestResult) -> list[WaitingProgram]:
    """The programmes of the rows held for a missing pillar (err.row.pillar_missing), in the order
    they first appear, each with its rows. Rows whose programme has a code are grouped by it; rows of
    a programme written without a code by its name (a file of 2,000 such actions asks for one pillar
    per programme, not one per action). A row without a code has nothing to assign by."""
    code_label, program_label = FIELDS_BY_NAME["code"].label_id, FIELDS_BY_NAME["program"].label_id
    found: dict[tuple, WaitingProgram] = {}
    prefixes: dict[tuple, dict[str, None]] = {}   # each programme's codes, in order, found in constant time
    for row in result.rejected:
        if not any(p.key == "err.row.pillar_missing" for p in row.problems):
            continue
        code, program = (row.raw.get(code_label) or "").strip(), row.raw.get(program_label) or None
        written = _written_program_code(code, program)
        if not (written or code):
            continue
        key = ("code", written) if written else ("name", " ".join(str(program or "").lower().split()))
        if key not in found:
            found[key] = WaitingProgram(written or code, program, [], [written] if written else [])
            prefixes[key] = {}
        found[key].rows.append((row.sheet, row.row))
        if not written:
            prefixes[key][code] = None
    for key, codes in prefixes.items():
        found[key].prefixes += list(codes)
    return list(found.values())


def may_assign_pillars(actor: Actor) -> bool:
    """Whether `actor` may assign pillars to programme codes (smartcity.mappings.assign_pillar: admins)."""
    return actor.role == "admin"


def assign_program_pillars(store: Store, actor: Actor, choices: dict[str, str | None]) -> int:
    """Remember the pillar chosen for each programme code ({code prefix: pillar or None}); returns
    how many were saved. The next preview or load fills the pillar of their rows by itself."""
    chosen = {prefix: pillar for prefix, pillar in choices.items() if pillar}
    mappings.assign_pillars(store, actor, chosen)
    return len(chosen)


def template_agencies(store: Store, actor: Actor) -> pd.DataFrame:
    """The agencies `actor` may download a pre-filled template for (code, short_name): every agency
    for an admin, their own for an editor, none for a viewer."""
    agencies = store.query_df("SELECT code, short_name FROM agencies ORDER BY lower(short_name)")
    if actor.role == "admin":
        return agencies
    return agencies[[actor.can_write_agency(c) for c in agencies["code"]]].reset_index(drop=True)
