"""The command line: exit codes and the exact JSON shapes other tools rely on."""
import json
import subprocess
import sys
from pathlib import Path

from tests.test_pipeline import WEEK1

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smartcity", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_ingest_json_shape_and_exit_codes(tmp_path):
    good = tmp_path / "baik.csv"
    good.write_bytes(WEEK1)
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"")
    db = str(tmp_path / "t.duckdb")
    done = run("ingest", str(good), "--db", db, "--as-of", "2024-09-30", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"files": [
        {"file": "baik.csv", "status": "loaded", "rows_loaded": 3, "rows_rejected": 0, "errors": []}]}

    again = run("ingest", str(good), str(bad), "--db", db, "--json")
    assert again.returncode == 1                      # one file rejected whole
    files = json.loads(again.stdout)["files"]
    assert [f["status"] for f in files] == ["duplicate", "rejected"]
    assert files[1]["errors"][0]["message"] and set(files[1]["errors"][0]) == {"sheet", "row", "column", "message"}


def test_usage_error_exits_2(tmp_path):
    assert run("ingest").returncode == 2
    assert run("report", "--as-of", "kemarin").returncode == 2


def test_report_json_shape(tmp_path):
    good = tmp_path / "baik.csv"
    good.write_bytes(WEEK1)
    db = str(tmp_path / "t.duckdb")
    run("ingest", str(good), "--db", db, "--as-of", "2024-09-30")
    out = run("report", "--db", db, "--as-of", "2024-09-30", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"as_of", "actions", "agencies", "budget", "budget_spent", "pillars", "kpis"}
    assert report["as_of"] == "2024-09-30" and report["actions"] == 3 and report["budget"] == 1_500_000_000
    assert set(report["pillars"]) == {"integration", "collaboration", "sustainability"}
    assert set(report["pillars"]["integration"]["status"]) == {"not_started", "on_track", "at_risk", "late", "done"}
    kpi = report["kpis"][0]
    assert set(kpi) == {"id", "pillar", "value", "target", "status"} and kpi["status"] in {"green", "amber", "red", "none"}


def test_review_json_lists_changes_per_agency(tmp_path):
    db = str(tmp_path / "t.duckdb")
    w1, w2 = tmp_path / "w1.csv", tmp_path / "w2.csv"
    w1.write_bytes(WEEK1)
    w2.write_bytes(WEEK1.replace(b";10;2;", b";10;9;"))   # DLH's bank sampah moves from 2 to 9
    run("ingest", str(w1), "--db", db, "--as-of", "2024-09-30")
    run("ingest", str(w2), "--db", db, "--as-of", "2024-10-07")
    out = run("review", "--since", "2024-09-30", "--db", db, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    dlh = next(a for a in data["agencies"] if a["agency"] == "DLH")
    assert dlh["changes"][0]["action_code"] == "L-01" and dlh["changes"][0]["actual_after"] == 9
