"""Meeting decisions of the weekly review and their follow-up.

Planning officials (admin) record decisions per agency or per action; the agency's editors
(or an admin) record whether each was carried out. Nothing is edited in place: a follow-up is
a new row, and the latest one counts.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from smartcity.audit import record
from smartcity.auth import Actor, require_admin, require_agency_write
from smartcity.errors import SmartCityError
from smartcity.store import Store

MAX_TEXT = 2000


class DecisionError(SmartCityError):
    key = "decision.empty"


def add_decision(store: Store, actor: Actor, review_date: date, agency_code: str, text: str, *,
                 due_date: date | None = None, action_id: int | None = None) -> int:
    """Record a decision of the review on `review_date`; returns its id. Admins only."""
    require_admin(actor)
    text = (text or "").strip()
    if not text:
        raise DecisionError("decision.empty")
    if len(text) > MAX_TEXT:
        raise DecisionError("decision.too_long", limit=MAX_TEXT)
    if agency_code not in store.registry().agencies:
        raise DecisionError("decision.unknown_agency", agency=agency_code)
    with store.transaction() as cur:
        decision_id = cur.execute("SELECT nextval('decision_id_seq')").fetchone()[0]
        cur.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [decision_id, review_date, agency_code, action_id, text, due_date, actor.username, datetime.now()])
        record(cur, actor, "decision_add", "decision", decision_id, agency_code=agency_code,
               after={"review_date": review_date, "text": text, "due_date": due_date, "action_id": action_id})
        store.bump_version(cur)
    return decision_id


def follow_up(store: Store, actor: Actor, decision_id: int, done: bool, note: str | None = None) -> None:
    """Record whether a decision was carried out (the agency's editor or an admin)."""
    row = store.query_one("SELECT agency_code FROM decisions WHERE id = ?", [decision_id])
    if row is None:
        raise DecisionError("decision.unknown", id=decision_id)
    require_agency_write(actor, {row[0]})
    note = (note or "").strip()[:MAX_TEXT] or None
    with store.transaction() as cur:
        cur.execute("INSERT INTO decision_followups VALUES (?, ?, ?, ?, ?)",
                    [decision_id, done, note, actor.username, datetime.now()])
        record(cur, actor, "decision_follow_up", "decision", decision_id, agency_code=row[0],
               after={"done": done, "note": note})
        store.bump_version(cur)


def decisions(store: Store, review_date: date | None = None, agency_code: str | None = None) -> pd.DataFrame:
    """Decisions (of one review date, or all), each with its latest follow-up, newest review first."""
    where, params = [], []
    if review_date is not None:
        where.append("d.review_date = ?")
        params.append(review_date)
    if agency_code:
        where.append("d.agency_code = ?")
        params.append(agency_code)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return store.query_df(
        f"""SELECT d.id, d.review_date, d.agency_code, coalesce(ag.short_name, d.agency_code) AS agency_short,
                   d.action_id, a.action_code, d.text, d.due_date, d.decided_by, d.decided_at,
                   coalesce(f.done, false) AS done, f.note AS follow_up_note, f.recorded_by AS followed_up_by,
                   f.recorded_at AS followed_up_at
            FROM decisions d
            LEFT JOIN agencies ag ON ag.code = d.agency_code
            LEFT JOIN actions a ON a.id = d.action_id
            LEFT JOIN (SELECT * FROM decision_followups
                       QUALIFY row_number() OVER (PARTITION BY decision_id ORDER BY recorded_at DESC) = 1) f
                   ON f.decision_id = d.id
            {clause}
            ORDER BY d.review_date DESC, d.agency_code, d.id""", params)


def previous_review_date(store: Store, review_date: date) -> date | None:
    """The latest review date with decisions before `review_date`."""
    row = store.query_one("SELECT max(review_date) FROM decisions WHERE review_date < ?", [review_date])
    return row[0] if row else None


def open_from_last_review(store: Store, review_date: date) -> pd.DataFrame:
    """What the next review opens with: the previous review's decisions and whether each was followed up."""
    previous = previous_review_date(store, review_date)
    if previous is None:
        return decisions(store, review_date=date.min).iloc[0:0]
    return decisions(store, review_date=previous)
