"""Shared fixtures: a fresh database path, and the demo database built once per test session."""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the running app in headless Chromium (tests/browser)")


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    """A path for a new DuckDB file in this test's temporary folder (not created yet)."""
    return tmp_path / "smartcity.duckdb"


@pytest.fixture
def store(tmp_db):
    """A new, empty store (schema and the registry's agencies) in this test's temporary folder."""
    from smartcity.store import open_store

    s = open_store(tmp_db)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database (every week of data/demo loaded), built once per test run.

    Shared by every test that asks: a test that writes must work on a copy
    (see `demo_db_copy`). When pytest-xdist runs the tests in several processes, the first one
    to ask builds it (under a file lock) in the run's shared temporary folder and the others wait.
    """
    from smartcity.demo import build_demo_db

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
        build_demo_db(path)
        return path
    shared = tmp_path_factory.getbasetemp().parent / "demo-shared"
    shared.mkdir(exist_ok=True)
    path, done = shared / "demo.duckdb", shared / "demo.done"
    with open(shared / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                build_demo_db(path)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


@pytest.fixture
def demo_db_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, target)
    return target


@pytest.fixture(autouse=True)
def _fresh_readings():
    """Each test reads its files itself: no reading kept by an earlier test in this process is reused
    (smartcity.ingest.recent; tests/test_ingest_recent_reads.py tests the keeping)."""
    from smartcity.ingest.recent import RECENT

    RECENT.clear()
    yield


@pytest.fixture
def stall_readings(monkeypatch):
    """`stall_readings()`: from then on, the reading workers' reads never end (they sleep), so that a
    test of the time limit does not race the reader: a real file may be read within any limit on a
    fast machine (a 300,000-row CSV's columns were inspected within 0.3 s on CI). The worker is
    otherwise the real one: started with its limits, handed the call through its pipe, killed when the
    limit passes. A spare worker started before is not used."""
    from smartcity.ingest import isolate

    stall = ("import time; from smartcity.ingest import isolate as _i; "
             "_i._TARGETS = {_n: (lambda: lambda *a, **k: time.sleep(30)) for _n in _i._TARGETS}; ")
    command = isolate._WORKER.replace("from smartcity.ingest.isolate import serve; serve()", stall + "_i.serve()")
    assert command != isolate._WORKER

    def stall_readings():
        monkeypatch.setattr(isolate, "_WORKER", command)
        monkeypatch.setattr(isolate, "_SPARE", isolate._Spare())

    return stall_readings
