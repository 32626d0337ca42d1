"""A large write's checkpoint moved out of its commit, to after the caller has its answer.

DuckDB writes a transaction's changes to the write-ahead log (WAL) at COMMIT (all but the whole row
groups an insert has already written into the file: smartcity.store.ROW_GROUP_ROWS); when the WAL then
holds more than `checkpoint_threshold` (16 MiB), the commit also checkpoints: it writes the
changed tables and indexes into the database file. For a 100,000-row upload that took ~0.5 s
of the upload's time (issue 3, issue 7).

    with checkpoint_later(store, rows=len(actions)):
        ...write in transactions...
    # after the block: the checkpoint runs in a thread of its own

Durability does not change: a committed transaction is in the WAL, synced to disk, before COMMIT
returns; a process that dies before the checkpoint replays the WAL when the database is next
opened (as after any crash between checkpoints). Only writes of at least LARGE_WRITE_ROWS rows
are deferred (smaller ones never reach the threshold in one commit).
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Iterator

import duckdb

log = logging.getLogger(__name__)

LARGE_WRITE_ROWS = 20_000
_DEFERRED = "1GB"          # checkpoint_threshold while a large write runs (an upload is at most ~50 MB)
_lock = threading.Lock()
_writing = 0               # large writes running now: the threshold is restored when none is left
_threads: list[threading.Thread] = []


@contextmanager
def checkpoint_later(store, rows: int) -> Iterator[None]:
    """Commits inside the block of a write of `rows` rows do not checkpoint; afterwards a thread does
    (CHECKPOINT), while the caller goes on. Below LARGE_WRITE_ROWS this changes nothing."""
    global _writing
    if rows < LARGE_WRITE_ROWS or store.path == ":memory:":
        yield
        return
    with _lock:
        _writing += 1
        if _writing == 1:
            _set_threshold(store, f"SET checkpoint_threshold = '{_DEFERRED}'")
    try:
        yield
    finally:
        with _lock:
            _writing -= 1
            if _writing == 0:
                _set_threshold(store, "RESET checkpoint_threshold")
        # Not a daemon: a process that ends (the command line) finishes the checkpoint first.
        thread = threading.Thread(target=_checkpoint, args=(store,), name="checkpoint-after-write")
        thread.start()
        _threads.append(thread)


def wait() -> None:
    """Let the checkpoints started so far end (for measurements and tests)."""
    while _threads:
        _threads.pop().join()


def _set_threshold(store, sql: str) -> None:
    cur = store.cursor()
    try:
        cur.execute(sql)  # a global setting: every connection to this database
    finally:
        cur.close()


def _checkpoint(store) -> None:
    try:
        cur = store.cursor()
        try:
            cur.execute("CHECKPOINT")
        finally:
            cur.close()
    except duckdb.Error as e:  # closed meanwhile, or another write running: the WAL keeps the data, and
        # the next commit past the threshold (or closing the database) checkpoints it
        log.info("checkpoint after a large write left for later: %s", e)
