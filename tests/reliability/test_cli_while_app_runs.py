"""A command-line ingest while the dashboard holds the database (issue 8, point 2).

DuckDB lets one process write a file. The command line waits (busy_wait_s), then leaves the file
in the inbox instead of failing with a lock error; the dashboard's next page run loads it and
says so. Here the test process plays the dashboard: it holds the database open while the CLI runs
in a subprocess, then a page run under AppTest (in this process, after the holder closed)
loads the queued file.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from smartcity.store import open_store
from tests.ui_fixtures import D, add_accounts, plan_db, signed_in

ROOT = Path(__file__).resolve().parents[2]

# One new action for Dinas Kesehatan on the plan's date D (7 Oct 2024): the plan has 7 actions.
CSV = ("Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Tanggal Mulai;Tanggal Selesai\n"
       "C-09;Kolaborasi;Dinkes;Posyandu daring;10;5;01/01/2024;31/12/2024\n")


def test_a_cli_ingest_while_the_dashboard_runs_is_queued_then_loaded_by_the_dashboard(tmp_path, monkeypatch):
    db = add_accounts(plan_db(tmp_path / "plan.duckdb"))
    sheet = tmp_path / "dinkes.csv"
    sheet.write_text(CSV, encoding="utf-8")

    dashboard = open_store(db)                          # the dashboard holds the file open
    env = {**os.environ, "SMARTCITY_BUSY_WAIT_S": "1"}
    cli = subprocess.run([sys.executable, "-m", "smartcity", "ingest", str(sheet), "--db", str(db),
                          "--as-of", D.isoformat(), "--json"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["files"] == [
        {"file": "dinkes.csv", "status": "queued", "rows_loaded": 0, "rows_rejected": 0, "errors": []}]
    assert "menunggu" in cli.stderr and "diantrekan" in cli.stderr     # it said it waited, then queued
    assert dashboard.query_one("SELECT count(*) FROM actions")[0] == 7  # nothing written by the CLI
    dashboard.close()

    monkeypatch.setenv("SMARTCITY_DB", str(db))
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "ringkasan.py"), default_timeout=60), "viewer")
    at.run()
    assert not at.exception
    assert any("dinkes.csv" in toast.value and "Dimuat" in toast.value for toast in at.toast)
    assert at.metric[0].value == "8"                                   # 7 actions + the queued one
    at.run()
    assert not [toast for toast in at.toast if "dinkes.csv" in toast.value]   # loaded once only
    done = list((db.parent / "inbox" / "done").glob("*.json"))
    assert [json.loads(p.read_text())["status"] for p in done] == ["loaded"]
