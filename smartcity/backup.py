"""Backup and restore: the whole database exported (Parquet) plus every uploaded file as it came.

A backup folder holds `db/` (DuckDB's EXPORT DATABASE), `files/<sha256>` (the raw uploads)
and `manifest.json` (row counts and checksums) so a restore can prove it is complete.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import duckdb

from smartcity.errors import StoreError

MANIFEST = "manifest.json"


def _tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def backup_connection(conn: duckdb.DuckDBPyConnection, out_dir: Path) -> dict:
    """Write a consistent backup of the database behind `conn` into `out_dir` (must be new or empty)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise StoreError("err.backup_exists", path=str(out_dir))
    (out_dir / "files").mkdir(parents=True, exist_ok=True)
    database = conn.execute("SELECT current_database()").fetchone()[0]
    cur = conn.cursor()
    threads = cur.execute("SELECT current_setting('threads')").fetchone()[0]
    try:
        cur.execute(f'USE "{database}"')  # a new cursor starts in the instance's first database, not conn's
        # One read transaction: the export, the counts and the files all see the same state.
        cur.execute("BEGIN TRANSACTION")
        counts = {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _tables(cur)}
        files = {}
        if "upload_files" in counts:
            # One file at a time: years of weekly uploads are more bytes than the server has memory for.
            for (sha,) in cur.execute("SELECT sha256 FROM upload_files ORDER BY sha256").fetchall():
                data = bytes(cur.execute("SELECT content FROM upload_files WHERE sha256 = ?", [sha]).fetchone()[0])
                (out_dir / "files" / sha).write_bytes(data)
                files[sha] = hashlib.sha256(data).hexdigest()
        # On one thread: each thread of the export holds its own row groups of every table. Measured on the
        # 5.2-million-row database of `make bench` (issue 7): peak 797 MB in 4.3 s on two threads, 384 MB in
        # 5.1 s on one. The setting is the instance's, so it is given back at once: a backup runs before a
        # migration, as the server starts, or from the command line.
        cur.execute("SET threads = 1")
        cur.execute(f"EXPORT DATABASE '{_quote(out_dir / 'db')}' (FORMAT parquet)")
        cur.execute("COMMIT")
    except duckdb.Error as e:
        raise StoreError(detail=str(e)) from e
    finally:
        cur.close()  # rolls back what an error left open
        _set_threads(conn, threads)
    manifest = {"created_at": datetime.now().isoformat(timespec="seconds"), "tables": counts, "files": files}
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _set_threads(conn: duckdb.DuckDBPyConnection, threads) -> None:
    cur = conn.cursor()
    try:
        cur.execute(f"SET threads = {int(threads)}")
    finally:
        cur.close()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def restore(backup_dir: Path, target_db: Path) -> dict:
    """Bring a backup back into a new database file; checks counts and file checksums."""
    backup_dir, target_db = Path(backup_dir), Path(target_db)
    if target_db.exists():
        raise StoreError("err.restore_target_exists", path=str(target_db))
    manifest = json.loads((backup_dir / MANIFEST).read_text(encoding="utf-8"))
    for sha, digest in manifest["files"].items():
        data = (backup_dir / "files" / sha).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest or digest != sha:
            raise StoreError("err.backup_corrupt", path=str(backup_dir / "files" / sha))
    target_db.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(target_db))
    try:
        conn.execute(f"IMPORT DATABASE '{_quote(backup_dir / 'db')}'")
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}
    finally:
        conn.close()
    if counts != manifest["tables"]:
        target_db.unlink(missing_ok=True)
        raise StoreError("err.backup_corrupt", path=str(backup_dir))
    return manifest
