"""Which actions an admin has marked public: their notes (keterangan) may then be shown on the public page.

The public page (smartcity.public) names no one and shows no internal text. An admin of
Bapelitbangda may mark an action public; once it is done, the public page shows its notes
beside its activity. Owners, obstacles and follow-ups stay internal even then. Marking is
admin only, kept in `action_publication` (the latest choice per action) and audited with the
value before and after.
"""
from __future__ import annotations

from datetime import datetime

import duckdb

from smartcity.audit import record
from smartcity.auth import Actor, require_admin
from smartcity.errors import SmartCityError
from smartcity.store import Store


class UnknownAction(SmartCityError):
    """The action to mark does not exist."""

    key = "pubmark.unknown_action"


def is_action_public(store: Store, action_id: int) -> bool:
    """Whether `action_id` is marked public (False when it never was)."""
    try:
        row = store.query_one("SELECT public FROM action_publication WHERE action_id = ?", [int(action_id)])
    except duckdb.CatalogException:  # a read-only store opened before migration 6
        return False
    return bool(row and row[0])


def set_action_public(store: Store, actor: Actor, action_id: int, public: bool) -> bool:
    """Mark an action public or not (admin only; audited with before and after). Returns the new value.

    Marking an action as what it already is writes nothing.
    """
    require_admin(actor)
    action_id, public = int(action_id), bool(public)
    found = store.query_one("SELECT agency_code FROM actions WHERE id = ?", [action_id])
    if found is None:
        raise UnknownAction(action=action_id)
    before = is_action_public(store, action_id)
    if before == public:
        return public
    with store.transaction() as cur:
        cur.execute("INSERT OR REPLACE INTO action_publication VALUES (?, ?, ?, ?)",
                    [action_id, public, actor.username, datetime.now()])
        record(cur, actor, "action_public", "action", action_id, agency_code=found[0],
               before={"public": before}, after={"public": public})
        store.bump_version(cur)
    return public
