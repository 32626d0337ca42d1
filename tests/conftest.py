"""Shared fixtures: a fresh database path, and the demo database built once per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the running app in headless Chromium (tests/browser)")


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    """A path for a new DuckDB file in this test's temporary folder (not created yet)."""
    return tmp_path / "smartcity.duckdb"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database (every week of data/demo loaded), built once per session.

    Shared by every test that asks: a test that writes must work on a copy
    (see `demo_db_copy`).
    """
    from smartcity.demo import build_demo_db

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_db(path)
    return path


@pytest.fixture
def demo_db_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, target)
    return target
