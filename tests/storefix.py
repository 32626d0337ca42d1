"""Build small stores by hand for tests: actions and snapshots inserted directly."""
from __future__ import annotations

from datetime import date, datetime

from smartcity.store import Store

_COLUMNS = ("pillar", "activity", "baseline", "target", "actual", "budget", "budget_spent", "start_date",
            "due_date", "reported_status", "direction", "notes", "owner", "obstacle", "follow_up")


def add_snapshot(store: Store, agency: str, code: str, as_of: date, *, upload_id: int | None = None,
                 source: str = "upload", **values) -> None:
    """Insert one progress row (creating the action identity when new). Defaults: integration, target 100."""
    row = {"pillar": "integration", "activity": f"Aksi {code}", "baseline": None, "target": 100.0, "actual": None,
           "budget": None, "budget_spent": None, "start_date": None, "due_date": None, "reported_status": None,
           "direction": "higher", "notes": None, "owner": None, "obstacle": None, "follow_up": None}
    row.update(values)
    with store.transaction() as cur:
        found = cur.execute("SELECT id FROM actions WHERE agency_code = ? AND action_code = ?", [agency, code]).fetchone()
        if found:
            action_id = found[0]
        else:
            action_id = cur.execute("SELECT nextval('action_id_seq')").fetchone()[0]
            cur.execute("INSERT INTO actions VALUES (?, ?, ?, NULL)", [action_id, agency, code])
        cur.execute(
            f"""INSERT INTO progress (id, action_id, as_of, upload_id, source, recorded_at, recorded_by, {', '.join(_COLUMNS)})
                VALUES (nextval('progress_id_seq'), ?, ?, ?, ?, ?, 'test', {', '.join('?' for _ in _COLUMNS)})""",
            [action_id, as_of, upload_id, source, datetime.now(), *[row[c] for c in _COLUMNS]],
        )
        store.bump_version(cur)


def cover(store: Store, upload_id: int, agency: str, as_of: date) -> None:
    """Record that an upload reported the whole plan of `agency` at `as_of`."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO upload_agencies VALUES (?, ?, ?)", [upload_id, agency, as_of])


def state(store: Store, as_of: date) -> dict[str, dict]:
    """action_state on `as_of`, keyed by action code."""
    df = store.query_df("SELECT * FROM action_state(?::DATE)", [as_of])
    return {r["action_code"]: r for r in df.to_dict("records")}
