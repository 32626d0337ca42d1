"""python -m smartcity ingest --dry-run and --profile: what would load, and a saved mapping by name."""
import json
from pathlib import Path

from tests.test_cli import run
from tests.test_column_profiles import MAPPING, initiatives
from tests.test_pipeline import WEEK1, csv

from smartcity.auth import Actor
from smartcity.mappings import save_profile
from smartcity.store import open_store

WEEK2 = csv(
    "K-01;Integrasi;Diskominfo;Satu Data Kotim;Dataset terbit;dataset;100;40;Rp 1.250.000.000;Rp 600.000.000;01/01/2024;31/12/2024",
    "K-03;Integrasi;Diskominfo;SPBE terpadu;Aplikasi;aplikasi;5;1;Rp 80.000.000;0;01/03/2024;31/12/2024",
    "K-04;Integrasi;Diskominfo;Portal;Aplikasi;aplikasi;lima;1;0;0;01/03/2024;31/12/2024",
)


def counts(db: Path) -> list[int]:
    with open_store(db) as store:
        return [store.query_one(f"SELECT count(*) FROM {t}")[0] for t in ("uploads", "progress", "audit_log")]


def test_dry_run_json_shows_counts_rejected_rows_and_changes_and_writes_nothing(tmp_path):
    db = tmp_path / "t.duckdb"
    w1, w2 = tmp_path / "w1.csv", tmp_path / "w2.csv"
    w1.write_bytes(WEEK1)
    w2.write_bytes(WEEK2)
    assert run("ingest", str(w1), "--db", str(db), "--as-of", "2024-09-30").returncode == 0
    before = counts(db)
    done = run("ingest", str(w2), "--db", str(db), "--as-of", "2024-10-07", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["dry_run"] is True
    [f] = body["files"]
    assert (f["status"], f["rows_loaded"], f["rows_rejected"]) == ("preview", 2, 1)
    assert f["errors"][0]["row"] == 5 and f["errors"][0]["column"] == "Target"
    assert f["by_pillar_agency"] == [{"agency_code": "DISKOMINFO", "pillar": "integration", "actions": 2}]
    # Against Diskominfo's snapshot of 30 September: K-02 left out, K-03 new, K-01's spending moved.
    assert {c["action_code"]: c["kind"] for c in f["changes"]} == {"K-01": "moved", "K-02": "removed", "K-03": "new"}
    assert counts(db) == before


def test_dry_run_text_and_exit_code_of_a_rejected_file(tmp_path):
    good, bad = tmp_path / "baik.csv", tmp_path / "rusak.xlsx"
    good.write_bytes(WEEK1)
    bad.write_bytes(b"")
    db = tmp_path / "baru.duckdb"
    done = run("ingest", str(good), str(bad), "--db", str(db), "--dry-run")
    assert done.returncode == 1                          # as for ingest: a file rejected whole
    assert "baik.csv: preview (3 loaded, 0 rejected)" in done.stdout
    assert "DISKOMINFO" in done.stdout and "[new]" in done.stdout
    assert not db.exists()                               # no database: compared with an empty one in memory


def test_ingest_with_a_named_profile(tmp_path):
    db = tmp_path / "t.duckdb"
    with open_store(db) as store:
        save_profile(store, Actor("admin", "admin"), "Format Inisiatif", MAPPING, "tidak-cocok")
    path = tmp_path / "inisiatif.xlsx"
    path.write_bytes(initiatives())
    done = run("ingest", str(path), "--db", str(db), "--as-of", "2024-09-30", "--profile", "Format Inisiatif", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"][0]["rows_loaded"] == 2


def test_an_unknown_profile_is_a_usage_error(tmp_path):
    path = tmp_path / "inisiatif.xlsx"
    path.write_bytes(initiatives())
    done = run("ingest", str(path), "--db", str(tmp_path / "t.duckdb"), "--profile", "Tidak Ada")
    assert done.returncode == 2 and "Tidak Ada" in done.stderr
