"""Read models of the Unggah Data page, and the one call that loads uploaded files.

`load_uploads` wraps `pipeline.load_file` so that the page only hands over bytes and shows
the reports; every message is kept in both languages so a language switch after an upload
still shows the results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from smartcity import pipeline
from smartcity.auth import Actor
from smartcity.errors import SmartCityError
from smartcity.i18n import t
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
    unknown_agencies: list = field(default_factory=list)  # smartcity.mappings.UnknownAgency


def _cells(raw: dict) -> str:
    """A rejected row's cells as 'Header: value | ...', empty cells left out (as _CELLS_SQL)."""
    return " | ".join(f"{k}: {v}" for k, v in raw.items() if v not in (None, ""))


def _preview(store: Store, p: pipeline.Preview) -> FilePreview:
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
    unknown = unknown_agencies(outcome.result, store.registry()) if outcome.result else []
    return FilePreview(outcome.file_name, outcome.status, outcome.rows_loaded, outcome.rows_rejected,
                       p.by_pillar_agency, changes, report.problems, rejected, unknown)


def preview_uploads(store: Store, files: list[tuple[str, bytes]], as_of: date, actor: Actor) -> list[FilePreview]:
    """`pipeline.preview_file` for each (file name, bytes), in order; nothing is kept. As in
    `load_uploads`, one file's failure (no permission, an unreadable file) is that file's status."""
    previews = []
    for name, content in files:
        try:
            previews.append(_preview(store, pipeline.preview_file(store, content, name, as_of, actor)))
        except Exception as e:  # noqa: BLE001 - a file must never take the page down
            failed = (_failed(name, e.message("id"), e.message("en")) if isinstance(e, SmartCityError) else
                      _failed(name, *(t("err.generic", lang, detail=f"{type(e).__name__}: {e}") for lang in ("id", "en"))))
            previews.append(FilePreview(name, "error", 0, 0, pd.DataFrame(), pd.DataFrame(), failed.problems,
                                        failed.rejected))
    return previews


def template_agencies(store: Store, actor: Actor) -> pd.DataFrame:
    """The agencies `actor` may download a pre-filled template for (code, short_name): every agency
    for an admin, their own for an editor, none for a viewer."""
    agencies = store.query_df("SELECT code, short_name FROM agencies ORDER BY lower(short_name)")
    if actor.role == "admin":
        return agencies
    return agencies[[actor.can_write_agency(c) for c in agencies["code"]]].reset_index(drop=True)
