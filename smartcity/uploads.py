"""Read models of the Unggah Data page, and the one call that loads uploaded files.

`load_uploads` wraps `pipeline.load_file` so that the page only hands over bytes and shows
the reports; every message is kept in both languages so a language switch after an upload
still shows the results.
"""
from __future__ import annotations

from dataclasses import dataclass
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
