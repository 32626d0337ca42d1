"""Crash safety: SIGKILL an ingesting process at random moments, then check nothing is lost or
half-written. And a full disk: a clear error and the committed data intact.

Invariants checked after every kill:
- the database opens;
- every upload is all-or-nothing: an upload's progress rows number exactly its rows_loaded;
- no progress row belongs to an upload that does not exist;
- every acknowledged upload (printed ACK before the kill) is there, with its bytes;
- each upload has exactly one audit row.
"""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartcity.store import open_store

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("SMARTCITY_CRASH_KILLS", "50"))


def _start(db: Path, start: int, count: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.ingest_worker", str(db), str(start), str(count),
                             *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check(db: Path, acknowledged: dict[int, str]) -> int:
    store = open_store(db)
    try:
        bad = store.query_df(
            """SELECT u.id, u.rows_loaded, count(p.id) AS rows
               FROM uploads u LEFT JOIN progress p ON p.upload_id = u.id
               GROUP BY u.id, u.rows_loaded HAVING count(p.id) <> u.rows_loaded""")
        assert bad.empty, f"half-written uploads: {bad.to_dict('records')}"
        orphans = store.query_one("SELECT count(*) FROM progress WHERE upload_id NOT IN (SELECT id FROM uploads)")[0]
        assert orphans == 0
        for upload_id, sha in acknowledged.items():
            row = store.query_one("SELECT u.sha256, octet_length(f.content) FROM uploads u JOIN upload_files f USING (sha256) "
                                  "WHERE u.id = ?", [upload_id])
            assert row is not None and row[0] == sha, f"acknowledged upload {upload_id} lost"
        audit = store.query_one(
            "SELECT count(*) FROM uploads u WHERE (SELECT count(*) FROM audit_log a WHERE a.action = 'upload' "
            "AND a.entity_key = CAST(u.id AS VARCHAR)) <> 1")[0]
        assert audit == 0, "uploads without exactly one audit row"
        return store.query_one("SELECT count(*) FROM uploads")[0]
    finally:
        store.close()


def test_kills_at_random_points_lose_nothing(tmp_path):
    db = tmp_path / "crash.duckdb"
    rng = random.Random(8)
    acknowledged: dict[int, str] = {}
    next_file, kills = 0, 0
    while kills < KILLS:
        proc = _start(db, next_file, 1000)
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 2.0))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.splitlines():
            if line.startswith("ACK"):
                _, upload_id, sha = line.split()
                acknowledged[int(upload_id)] = sha
        next_file += 1000
        kills += 1
        _check(db, acknowledged)
    assert kills >= KILLS and len(acknowledged) > 0


def test_a_full_disk_gives_a_clear_error_and_keeps_committed_data(tmp_path):
    db = tmp_path / "full.duckdb"
    proc = _start(db, 0, 3)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    acknowledged = {int(l.split()[1]): l.split()[2] for l in out.splitlines() if l.startswith("ACK")}
    size = db.stat().st_size
    # Now the file may grow by only a few KB: the next ingests must fail cleanly.
    proc = _start(db, 100, 50, "--fsize", str(size + 4096))
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == 3 and "ERROR" in out
    _check(db, acknowledged)
