"""The benchmark's data builders and its pandas baseline, at a toy size, so `make bench` cannot rot.

Nothing here is timed: benchmarks are not tests. These check that the bench builds what it says
(a file that loads whole, a database with one progress row per action per week) and that its
pandas baseline computes the same KPIs and report as DuckDB (so the comparison is fair).
"""
from __future__ import annotations

from datetime import date

from bench.datasets import agency_codes, build_history_db, build_xlsx, snapshot_dates
from bench.pandas_kpis import kpi_differences, kpis_and_report, load_frames, report_differences
from smartcity.kpi import compute_kpis, load_kpis
from smartcity.pipeline import load_file
from smartcity.report import summary_report
from smartcity.store import open_store

ACTIONS, SNAPSHOTS = 50, 2


def test_the_built_spreadsheet_loads_every_row(tmp_path):
    path = build_xlsx(tmp_path / "actions.xlsx", 50)
    with open_store(tmp_path / "ingest.duckdb") as store:
        outcome = load_file(store, path.read_bytes(), path.name, date(2024, 10, 7))
        assert (outcome.status, outcome.rows_loaded, outcome.rows_rejected) == ("loaded", 50, 0)
        # 50 rows spread over the registry's agencies in turn: 50 distinct actions.
        assert store.query_one("SELECT count(*) FROM actions")[0] == 50


def test_the_same_size_builds_the_same_bytes(tmp_path):
    # Deterministic, so the bench may reuse a file built by an earlier run of the same builder.
    assert build_xlsx(tmp_path / "a.xlsx", 20).read_bytes() == build_xlsx(tmp_path / "b.xlsx", 20).read_bytes()


def test_the_built_history_has_one_progress_row_per_action_per_week(tmp_path):
    path = build_history_db(tmp_path / "history.duckdb", ACTIONS, SNAPSHOTS)
    agencies = len(agency_codes())
    with open_store(path) as store:
        one = store.query_one
        assert one("SELECT count(*) FROM progress")[0] == 100               # 50 actions x 2 weeks
        assert one("SELECT count(*) FROM actions")[0] == 50
        assert one("SELECT count(*) FROM uploads")[0] == 2 * agencies      # every agency, every week
        assert one("SELECT count(DISTINCT as_of) FROM progress")[0] == 2
        latest = snapshot_dates(SNAPSHOTS)[-1]
        assert latest == date(2024, 1, 12)                                  # 5 Jan, then a week later
        assert one("SELECT count(*) FROM action_state(?::DATE)", [latest])[0] == 50


def test_the_pandas_baseline_computes_what_duckdb_computes(tmp_path):
    path = build_history_db(tmp_path / "history.duckdb", 120, 3)
    kpis = load_kpis()
    with open_store(path) as store:
        for day in snapshot_dates(3)[1:]:
            rows, report = kpis_and_report(load_frames(store), day, kpis)
            assert kpi_differences(compute_kpis(store, day, kpis), rows) == []
            assert report_differences(summary_report(store, day, kpis), report) == []
