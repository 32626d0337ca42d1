"""Progress updates typed in the browser: validated, permission-checked, never overwriting.

Each saved edit adds a new progress snapshot (source 'edit') copying the action's latest
snapshot and changing only the edited fields. If the action changed since the editor loaded it
(someone else saved, or an upload arrived), that action's save is refused with both values.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from smartcity.audit import record
from smartcity.auth import Actor, require_admin, require_agency_write
from smartcity.domain import Status
from smartcity.errors import SmartCityError
from smartcity.ingest.result import Problem
from smartcity.store import Store

EDITABLE = ("actual", "budget_spent", "reported_status", "notes", "obstacle", "follow_up")
_NUMBERS = ("actual", "budget_spent")
MAX_TEXT = 2000
MAX_EVIDENCE_MB = 10
EVIDENCE_TYPES = {b"%PDF": ".pdf", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg"}


@dataclass
class ProgressEdit:
    """New values for one action, against the snapshot the editor saw (`base_progress_id`)."""

    action_id: int
    base_progress_id: int
    values: dict[str, Any]
    evidence: tuple[str, bytes] | None = None     # (file name, bytes)


@dataclass
class EditOutcome:
    action_id: int
    status: str                                   # saved | conflict | invalid | unchanged
    progress_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    theirs: dict[str, Any] | None = None          # on conflict: the values saved meanwhile
    mine: dict[str, Any] | None = None


def validate_edit(values: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Clean the edited values; every problem names the column and what was expected."""
    clean, problems = {}, []
    for name, value in values.items():
        if name not in EDITABLE:
            problems.append(Problem("edit.not_editable", {"column": name}, column=name))
            continue
        if name in _NUMBERS:
            if value is None or value == "":
                clean[name] = None
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                problems.append(Problem("edit.not_number", {"value": value}, column=name))
                continue
            if number != number or number < 0:
                problems.append(Problem("edit.negative", {"value": value}, column=name))
                continue
            clean[name] = number
        elif name == "reported_status":
            if value in (None, ""):
                clean[name] = None
            elif value not in {s.value for s in Status}:
                problems.append(Problem("edit.bad_status", {"value": value}, column=name))
            else:
                clean[name] = value
        else:
            text = None if value is None else str(value).strip()
            if text and len(text) > MAX_TEXT:
                problems.append(Problem("edit.too_long", {"limit": MAX_TEXT}, column=name))
                continue
            clean[name] = text or None
    return clean, problems


def _check_evidence(name: str, content: bytes) -> list[Problem]:
    if len(content) > MAX_EVIDENCE_MB * 1024 * 1024:
        return [Problem("edit.evidence_too_large", {"file": name, "limit_mb": MAX_EVIDENCE_MB})]
    if not any(content.startswith(magic) for magic in EVIDENCE_TYPES):
        return [Problem("edit.evidence_type", {"file": name})]
    return []


def save_edits(store: Store, actor: Actor, edits: list[ProgressEdit], as_of: date) -> list[EditOutcome]:
    """Save each edit as a new snapshot at `as_of`, all in one transaction.

    Raises PermissionDenied (before writing anything) if `actor` may not write any of the actions'
    agencies. Invalid or conflicting edits are refused one by one; the others are saved.
    """
    return _save(store, actor, edits, as_of, "progress_edit")


def _save(store: Store, actor: Actor, edits: list[ProgressEdit], as_of: date, audit_action: str,
          audit_note: dict | None = None) -> list[EditOutcome]:
    ids = [e.action_id for e in edits]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    agencies = dict(store.cursor().execute(f"SELECT id, agency_code FROM actions WHERE id IN ({marks})", ids).fetchall())
    missing = [i for i in ids if i not in agencies]
    require_agency_write(actor, set(agencies.values()))
    outcomes: list[EditOutcome] = [EditOutcome(i, "invalid", problems=[Problem("edit.unknown_action", {"id": i})])
                                   for i in missing]
    with store.transaction() as cur:
        for edit in edits:
            if edit.action_id in missing:
                continue
            outcomes.append(_save_one(cur, actor, edit, agencies[edit.action_id], as_of, audit_action, audit_note))
        if any(o.status == "saved" for o in outcomes):
            store.bump_version(cur)
    if any(o.status == "saved" for o in outcomes):
        from smartcity.kpi import recompute_kpis

        recompute_kpis(store, since=as_of)
    return outcomes


def _latest(cur, action_id: int) -> dict[str, Any]:
    df = cur.execute(
        "SELECT * FROM progress WHERE action_id = ? ORDER BY as_of DESC, recorded_at DESC, id DESC LIMIT 1",
        [action_id]).df()
    return df.to_dict("records")[0]


def _save_one(cur, actor: Actor, edit: ProgressEdit, agency: str, as_of: date, audit_action: str,
              audit_note: dict | None) -> EditOutcome:
    clean, problems = validate_edit(edit.values)
    if edit.evidence:
        problems += _check_evidence(*edit.evidence)
    if problems:
        return EditOutcome(edit.action_id, "invalid", problems=problems)
    latest = _latest(cur, edit.action_id)
    if latest["id"] != edit.base_progress_id:
        theirs = {k: _plain(latest.get(k)) for k in EDITABLE}
        return EditOutcome(edit.action_id, "conflict", theirs=theirs, mine=clean,
                           problems=[Problem("edit.conflict", {"who": latest["recorded_by"],
                                                               "when": f"{latest['recorded_at']:%d-%m-%Y %H:%M}"})])
    before = {k: _plain(latest.get(k)) for k in clean}
    if all(before[k] == clean[k] for k in clean) and not edit.evidence:
        return EditOutcome(edit.action_id, "unchanged", progress_id=latest["id"])
    row = {k: _plain(v) for k, v in latest.items()}
    row.update(clean)
    new_id = cur.execute("SELECT nextval('progress_id_seq')").fetchone()[0]
    row.update(id=new_id, as_of=as_of, upload_id=None, source="edit", recorded_at=datetime.now(),
               recorded_by=actor.username, sheet=None, source_row=None)
    columns = list(row)
    cur.execute(f"INSERT INTO progress ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [row[c] for c in columns])
    if edit.evidence:
        name, content = edit.evidence
        cur.execute("INSERT INTO evidence VALUES (?, ?, ?, ?, ?)",
                    [new_id, name, hashlib.sha256(content).hexdigest(), content, datetime.now()])
    record(cur, actor, audit_action, "action", edit.action_id, agency_code=agency, before=before,
           after={**clean, **(audit_note or {})})
    return EditOutcome(edit.action_id, "saved", progress_id=new_id)


def _plain(value: Any) -> Any:
    """pandas/numpy scalars to plain Python, NaN/NaT to None."""
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value


# -- undoing an edit ----------------------------------------------------------------------------

REVERTABLE = ("progress_edit", "revert")
REVERTS_KEY = "reverts_audit_id"     # in a revert's audit 'after': the audit row it undid


class RevertError(SmartCityError):
    """The audit row asked for is not a browser edit that can be undone."""

    key = "revert.not_edit"


def revert_edit(store: Store, actor: Actor, audit_id: int, as_of: date | None = None) -> EditOutcome:
    """Undo the progress edit of audit row `audit_id` (admin only): its 'before' values become a new snapshot.

    Nothing is deleted: the revert is a change of its own, audited as 'revert' (its 'after' names the
    undone row under REVERTS_KEY), and the edit stays in the history. The snapshot is dated `as_of`,
    by default the date of the action's latest snapshot (a correction of the current state, not a new
    report). When a field the edit changed has changed again since, nothing is written and the outcome
    is a conflict with both values: theirs (now) and mine (the values the revert would restore).
    """
    require_admin(actor)
    row = store.query_one("SELECT action, entity_key, before, after FROM audit_log WHERE id = ?", [audit_id])
    if row is None:
        raise RevertError("revert.unknown", id=audit_id)
    kind, key, before, after = row
    if kind not in REVERTABLE:
        raise RevertError("revert.not_edit", id=audit_id)
    before, after = json.loads(before or "{}"), json.loads(after or "{}")
    fields = [k for k in after if k in EDITABLE]
    action_id = int(key)
    cur = store.cursor()
    try:
        latest = _latest(cur, action_id)
    finally:
        cur.close()
    restore = {k: before.get(k) for k in fields}
    current = {k: _plain(latest.get(k)) for k in fields}
    if current != {k: after[k] for k in fields}:
        when = f"{latest['recorded_at']:%d-%m-%Y %H:%M}"
        return EditOutcome(action_id, "conflict", theirs=current, mine=restore,
                           problems=[Problem("revert.changed_since", {"who": latest["recorded_by"], "when": when})])
    edit = ProgressEdit(action_id, int(latest["id"]), restore)
    as_of = as_of or pd.Timestamp(latest["as_of"]).date()
    [outcome] = _save(store, actor, [edit], as_of, "revert", {REVERTS_KEY: audit_id})
    return outcome
