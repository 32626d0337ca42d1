"""The audit trail: every change with who, when, what, before and after. Insert-only.

No function here (or anywhere) updates or deletes audit rows; a revert is a new change.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from smartcity.auth import Actor


def record(cur: duckdb.DuckDBPyConnection, actor: Actor, action: str, entity: str, key: object = None, *,
           agency_code: str | None = None, before: dict | None = None, after: dict | None = None) -> None:
    """Add one audit row inside the caller's transaction (so it commits with the change)."""
    record_many(cur, actor, action, entity, [(key, before, after)], agency_code=agency_code)


def record_many(cur: duckdb.DuckDBPyConnection, actor: Actor, action: str, entity: str,
                changes: list[tuple[object, dict | None, dict | None]], agency_code: str | None = None) -> None:
    """`record` for each (key, before, after) of `changes`, in one statement (an admin's choice can
    change thousands of rows at once: one INSERT each took ~5 ms)."""
    if not changes:
        return
    keys, befores, afters = zip(*changes)
    cur.execute(
        """INSERT INTO audit_log SELECT nextval('audit_id_seq'), ?, ?, ?, ?, k, ?, b, a
           FROM (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS b, unnest(?::VARCHAR[]) AS a)""",
        [datetime.now(), actor.username, action, entity, agency_code,
         [None if k is None else str(k) for k in keys], [_json(b) for b in befores], [_json(a) for a in afters]],
    )


def _json(value: dict | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat() if isinstance(v, (date, datetime)) else str(v))


def _where(actor: str | None = None, action: str | None = None, agency_code: str | None = None,
           since: date | None = None, up_to: int | None = None) -> tuple[str, list]:
    """The WHERE clause (and its parameters) of the audit page's filters."""
    where, params = [], []
    for column, value in (("actor", actor), ("action", action), ("agency_code", agency_code)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("changed_at >= ?")
        params.append(since)
    if up_to is not None:
        where.append("id <= ?")
        params.append(int(up_to))
    return ("WHERE " + " AND ".join(where)) if where else "", params


def audit_entries(store, *, actor: str | None = None, action: str | None = None, agency_code: str | None = None,
                  since: date | None = None, limit: int = 500, offset: int = 0,
                  up_to: int | None = None) -> pd.DataFrame:
    """Audit rows, newest first, filtered by who, what kind, agency and date; `limit` rows from `offset`.

    `subject` names what changed: an action's code (an action's id is what the row keeps), else the key.
    `up_to` (an audit_version) leaves out rows added after it.
    """
    clause, params = _where(actor, action, agency_code, since, up_to)
    return store.query_df(f"""
        SELECT l.*, CASE WHEN l.entity = 'action' THEN coalesce(a.action_code, l.entity_key)
                         ELSE l.entity_key END AS subject
        FROM (SELECT * FROM audit_log {clause} ORDER BY id DESC LIMIT ? OFFSET ?) l
        LEFT JOIN actions a ON l.entity = 'action' AND a.id = TRY_CAST(l.entity_key AS BIGINT)
        ORDER BY l.id DESC""", [*params, int(limit), int(offset)])


def audit_version(store) -> int:
    """The newest audit row's id (0 when there is none): it changes with every audited change, also
    those that leave the data version alone (users and passwords), so cached audit pages key on it."""
    return int(store.query_one("SELECT coalesce(max(id), 0) FROM audit_log")[0])


def audit_facets(store, up_to: int | None = None) -> dict[str, list[str]]:
    """What the audit log holds, for the audit page's filters: who (`actors`), kinds of change (`actions`), `agencies`."""
    clause, params = _where(up_to=up_to)
    facets = {}
    for name, column in (("actors", "actor"), ("actions", "action"), ("agencies", "agency_code")):
        rows = store.query_df(f"SELECT DISTINCT {column} AS v FROM audit_log {clause} "
                              f"{'AND' if clause else 'WHERE'} {column} IS NOT NULL ORDER BY v", params)
        facets[name] = list(rows["v"])
    return facets


def change_text(values: str | dict | None, lang: str = "id") -> str:
    """An audit row's `before` or `after` JSON as plain text: 'Realisasi: 55 · Keterangan: awal'.

    Known fields get their column names and values their usual form (numbers with a decimal comma,
    statuses named); anything else is shown as stored. The result is text, never markup.
    """
    from smartcity.domain import FIELDS_BY_NAME
    from smartcity.formatting import format_number
    from smartcity.i18n import CATALOG, t

    if isinstance(values, dict):
        data = values
    elif not isinstance(values, str) or not values:       # NULL comes back as None or NaN
        return ""
    else:
        try:
            data = json.loads(values)
        except ValueError:
            return values
    if not isinstance(data, dict):
        return str(data)

    def label(key: str) -> str:
        if f"audit.field.{key}" in CATALOG:
            return t(f"audit.field.{key}", lang)
        if key in FIELDS_BY_NAME:
            f = FIELDS_BY_NAME[key]
            return f.label_en if lang == "en" else f.label_id
        return key

    def shown(key: str, value) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return t(f"bool.{str(value).lower()}", lang)
        if isinstance(value, (int, float)):
            return str(value) if key.endswith("_id") else format_number(value)
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "–"
        if key in ("reported_status", "status"):
            try:
                return t(f"status.{value}", lang)
            except KeyError:
                return str(value)
        return str(value)

    return " · ".join(f"{label(k)}: {shown(k, v)}" for k, v in data.items())


REVERTABLE_ACTIONS = ("progress_edit", "revert")


def audit_rows(store, lang: str = "id", **filters) -> pd.DataFrame:
    """audit_entries (same filters) ready to show: `subject` (an action's code, else the key),
    `before_text` / `after_text` (change_text) and `revertable` (a progress edit or a revert)."""
    df = audit_entries(store, **filters)
    df["before_text"] = df["before"].map(lambda v: change_text(v, lang))
    df["after_text"] = df["after"].map(lambda v: change_text(v, lang))
    df["revertable"] = df["action"].isin(REVERTABLE_ACTIONS)
    return df


# Rows of one page of the audit list.
PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit list (audit_rows), newest first, and how many rows match the filters."""

    rows: pd.DataFrame
    total: int
    page: int
    pages: int
    page_size: int


def audit_page(store, lang: str = "id", *, page: int = 1, page_size: int = PAGE_SIZE, up_to: int | None = None,
               **filters) -> AuditPage:
    """Page `page` (1-based; past the last is the last) of the audit rows matching `filters`, counted and
    cut in SQL: the log grows with every change, and the page reads only its own rows."""
    clause, params = _where(up_to=up_to, **filters)
    total = int(store.query_one(f"SELECT count(*) FROM audit_log {clause}", params)[0])
    pages = max(1, -(-total // page_size))
    page = min(max(1, int(page)), pages)
    rows = audit_rows(store, lang, limit=page_size, offset=(page - 1) * page_size, up_to=up_to, **filters)
    return AuditPage(rows, total, page, pages, page_size)
