"""The audit trail: every change with who, when, what, before and after. Insert-only.

No function here (or anywhere) updates or deletes audit rows; a revert is a new change.
"""
from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pandas as pd

from smartcity.auth import Actor


def record(cur: duckdb.DuckDBPyConnection, actor: Actor, action: str, entity: str, key: object = None, *,
           agency_code: str | None = None, before: dict | None = None, after: dict | None = None) -> None:
    """Add one audit row inside the caller's transaction (so it commits with the change)."""
    cur.execute(
        "INSERT INTO audit_log VALUES (nextval('audit_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
        [datetime.now(), actor.username, action, entity, None if key is None else str(key), agency_code,
         _json(before), _json(after)],
    )


def _json(value: dict | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat() if isinstance(v, (date, datetime)) else str(v))


def audit_entries(store, *, actor: str | None = None, action: str | None = None, agency_code: str | None = None,
                  since: date | None = None, limit: int = 500) -> pd.DataFrame:
    """Audit rows, newest first, filtered by who, what kind, agency and date."""
    where, params = [], []
    for column, value in (("actor", actor), ("action", action), ("agency_code", agency_code)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("changed_at >= ?")
        params.append(since)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return store.query_df(f"SELECT * FROM audit_log {clause} ORDER BY id DESC LIMIT ?", [*params, int(limit)])
