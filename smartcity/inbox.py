"""Files queued for a database that another process (the dashboard) holds open.

DuckDB lets one process write a database file. When the command line finds it busy, it waits a
little, then leaves the files in `<database folder>/inbox/`; the dashboard loads them on its next
page run (`drain_inbox`) and moves each to `inbox/done/` with its result.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.errors import StoreError
from smartcity.store import Store, open_store


def inbox_dir(db: Path) -> Path:
    return Path(db).parent / "inbox"


def open_store_waiting(db: Path, wait_seconds: float, on_wait: Callable[[], None] | None = None) -> Store | None:
    """Open the store, retrying while another process holds it; None if still busy after `wait_seconds`."""
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            return open_store(db)
        except StoreError as e:
            if e.key != "err.store_busy":
                raise
            if time.monotonic() >= deadline:
                return None
            if on_wait and not told:
                on_wait()
                told = True
            time.sleep(0.5)


def enqueue(db: Path, content: bytes, file_name: str, as_of: date, actor: Actor = SYSTEM_ACTOR) -> Path:
    """Leave one file for the dashboard to load; returns the queued file's path."""
    folder = inbox_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    data = folder / f"{stem}.bin"
    data.write_bytes(content)
    meta = {"file_name": file_name, "as_of": as_of.isoformat(), "user": actor.username, "role": actor.role,
            "agencies": sorted(actor.agencies)}
    # The .json is written last and renamed into place: a file is queued only once it is whole.
    tmp = folder / f"{stem}.json.part"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    tmp.rename(folder / f"{stem}.json")
    return data


# One drain at a time per process: every session's page run calls drain_inbox.
_DRAINING = threading.Lock()


def drain_inbox(store: Store) -> list[dict]:
    """Load every queued file into `store` (oldest first); returns one result per file.

    Cheap when the inbox is empty (one directory check), so the dashboard calls it on every page
    run. A call while another thread is draining returns [] at once.
    """
    if store.path == ":memory:" or store.path is None:
        return []
    folder = inbox_dir(store.path)
    if not folder.is_dir() or not _DRAINING.acquire(blocking=False):
        return []
    try:
        return _drain(store, folder)
    finally:
        _DRAINING.release()


def _drain(store: Store, folder: Path) -> list[dict]:
    from smartcity.pipeline import load_file

    results = []
    for meta_path in sorted(folder.glob("*.json")):
        data_path = meta_path.with_suffix(".bin")
        if not data_path.exists():
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        actor = Actor(meta["user"], meta["role"], frozenset(meta.get("agencies", ())))
        outcome = load_file(store, data_path.read_bytes(), meta["file_name"], date.fromisoformat(meta["as_of"]), actor)
        done = folder / "done"
        done.mkdir(exist_ok=True)
        result = {**meta, "status": outcome.status, "rows_loaded": outcome.rows_loaded,
                  "rows_rejected": outcome.rows_rejected, "upload_id": outcome.upload_id}
        (done / meta_path.name).write_text(json.dumps(result), encoding="utf-8")
        data_path.rename(done / data_path.name)
        meta_path.unlink()
        results.append(result)
    return results
