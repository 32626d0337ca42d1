"""`python -m smartcity user add|list|disable|set-password` (issue 5, point 1), run as the operator
would: a subprocess, the password from SMARTCITY_PASSWORD (otherwise asked for without echo)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from smartcity.store import open_store
from smartcity.users import authenticate

ROOT = Path(__file__).resolve().parents[1]


def user(db: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SMARTCITY_PASSWORD"}
    if password is not None:
        env["SMARTCITY_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "smartcity", "user", *args, "--db", str(db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def login(db: Path, username: str, password: str) -> tuple[str, str | None, frozenset]:
    with open_store(db) as store:
        result = authenticate(store, username, password)
    actor = result.actor
    return result.key, actor.role if actor else None, actor.agencies if actor else frozenset()


def test_an_operator_manages_users_from_the_command_line(tmp_path):
    db = tmp_path / "users.duckdb"
    added = user(db, "add", "siti", "--role", "editor", "--agency", "DINKES", "--name", "Siti (Dinkes)",
                 password="sandi-awal-123")
    assert added.returncode == 0, added.stderr
    assert login(db, "siti", "sandi-awal-123") == ("login.ok", "editor", frozenset({"DINKES"}))

    listed = user(db, "list")
    [line] = [l for l in listed.stdout.splitlines() if l.startswith("siti")]
    assert line.split() == ["siti", "editor", "active", "DINKES"]

    assert user(db, "set-password", "siti", password="sandi-baru-456").returncode == 0
    assert login(db, "siti", "sandi-awal-123")[0] == "login.bad"
    assert login(db, "siti", "sandi-baru-456")[0] == "login.ok"

    assert user(db, "disable", "siti").returncode == 0
    assert login(db, "siti", "sandi-baru-456")[0] == "login.disabled"
    assert "disabled" in user(db, "list").stdout


def test_a_bad_user_command_is_a_message_not_a_traceback(tmp_path):
    db = tmp_path / "users.duckdb"
    assert user(db, "add", "budi", "--role", "viewer", password="sandi-budi-123").returncode == 0
    again = user(db, "add", "budi", "--role", "viewer", password="sandi-lain-123")
    assert again.returncode != 0
    assert "Traceback" not in again.stderr and again.stderr.strip()
    unknown = user(db, "disable", "tidak-ada")
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
