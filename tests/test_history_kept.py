"""The history's figures kept when the KPIs are recomputed (history_figures, issue 7): read back, they
must equal the figures computed over the snapshots (history.computed_grid), after every kind of write.

Two actions of DINKES (integration) and one of DLH (sustainability), all running through 2024 (see
tests/test_history.py for the statuses): A 70 on W1 and 100 on W3, B 60 on W1 and W2, C 40 on W2.
"""
from datetime import date

import pandas as pd
import pytest

from smartcity.auth import Actor
from smartcity.history import computed_grid, history_grid
from smartcity.kpi import recompute_kpis
from smartcity.progress import ProgressEdit, revert_edit, save_edits
from smartcity.store import open_store
from tests.storefix import add_snapshot, state

W1, W2, W3 = date(2024, 9, 23), date(2024, 9, 30), date(2024, 10, 7)
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}
ADMIN = Actor("admin", "admin")


def _plan(store) -> None:
    add_snapshot(store, "DINKES", "A", W1, actual=70, budget=100, budget_spent=50, **YEAR)
    add_snapshot(store, "DINKES", "B", W1, actual=60, budget=200, budget_spent=20, **YEAR)
    add_snapshot(store, "DINKES", "B", W2, actual=60, budget=200, budget_spent=20, **YEAR)
    add_snapshot(store, "DLH", "C", W2, pillar="sustainability", actual=40, **YEAR)
    add_snapshot(store, "DINKES", "A", W3, actual=100, budget=100, budget_spent=100, **YEAR)


@pytest.fixture
def store():
    s = open_store(":memory:")
    _plan(s)
    recompute_kpis(s)
    yield s
    s.close()


def _sorted(grid: pd.DataFrame) -> pd.DataFrame:
    return grid.sort_values(["as_of", "pillar", "agency_code"]).reset_index(drop=True)


def kept(store, as_of=W3) -> pd.DataFrame:
    """history_grid as read from the kept figures (failing when they do not cover `as_of`)."""
    from smartcity import history

    grid = history._kept_grid(store, as_of)
    assert grid is not None, "the kept figures do not cover the dates"
    return _sorted(history._named(store, grid))


def assert_kept_is_computed(store, as_of=W3) -> None:
    pd.testing.assert_frame_equal(kept(store, as_of), _sorted(computed_grid(store, as_of)))
    pd.testing.assert_frame_equal(_sorted(history_grid(store, as_of)), _sorted(computed_grid(store, as_of)))


def test_recomputing_the_kpis_keeps_every_dates_figures(store):
    assert_kept_is_computed(store)
    assert_kept_is_computed(store, W2)                    # an earlier as-of: the kept rows up to it
    assert sorted(set(kept(store)["as_of"])) == [W1, W2, W3]
    w3 = kept(store).query("as_of == @W3 and agency_code == 'DINKES'").iloc[0]
    assert (w3["actions"], w3["done"], w3["budget_spent"]) == (2, 1, 120.0)   # A done, B still 60


def test_an_edit_in_perbarui_keeps_its_dates_figures(store):
    b = state(store, W3)["B"]
    [out] = save_edits(store, ADMIN, [ProgressEdit(int(b["action_id"]), int(b["progress_id"]), {"actual": 95})], W3)
    assert out.status == "saved"
    assert_kept_is_computed(store)
    w3 = kept(store).query("as_of == @W3 and agency_code == 'DINKES'").iloc[0]
    assert w3["achievement_sum"] == pytest.approx(1.95)   # A 1.0 + B 0.95
    audit_id = store.query_one("SELECT max(id) FROM audit_log")[0]
    revert_edit(store, ADMIN, audit_id)                   # the revert is a new snapshot: kept again
    assert_kept_is_computed(store)


def test_a_backdated_correction_recomputed_from_its_date(store):
    add_snapshot(store, "DLH", "C", W1, pillar="sustainability", actual=10, **YEAR)   # C sent for W1, late
    recompute_kpis(store, since=W1)
    assert_kept_is_computed(store)
    assert kept(store).query("as_of == @W1 and agency_code == 'DLH'")["actions"].tolist() == [1]


def test_a_snapshot_written_without_recomputing_is_computed_not_read_stale(store):
    add_snapshot(store, "DLH", "D", W3, pillar="sustainability", actual=50, **YEAR)
    from smartcity import history

    assert history._kept_grid(store, W3) is None          # the basis moved: the kept figures are not trusted
    assert_grid = _sorted(history_grid(store, W3))         # computed, and kept again
    pd.testing.assert_frame_equal(assert_grid, kept(store))
    assert assert_grid.query("as_of == @W3 and agency_code == 'DLH'")["actions"].tolist() == [2]


def test_other_status_gaps_recompute_the_statuses(store, monkeypatch):
    before = kept(store).set_index(["as_of", "agency_code"])
    # B on W1: elapsed 0.729 - progress 0.60 = 0.129: at risk with the default gap 0.10, on track with 0.20.
    monkeypatch.setenv("SMARTCITY_AT_RISK_GAP", "0.20")
    from smartcity import history

    assert history._kept_grid(store, W3) is None          # judged by other gaps: not trusted
    after = _sorted(history_grid(store, W3))
    pd.testing.assert_frame_equal(after, _sorted(computed_grid(store, W3)))
    assert before.loc[(W1, "DINKES"), "at_risk"] == 1
    assert after.set_index(["as_of", "agency_code"]).loc[(W1, "DINKES"), "at_risk"] == 0
    pd.testing.assert_frame_equal(kept(store), after)     # kept with the new gaps


def test_an_old_database_without_the_table_gets_the_figures(tmp_path):
    path = tmp_path / "old.duckdb"
    with open_store(path) as s:
        _plan(s)
        recompute_kpis(s)
        s.query_df("DROP TABLE history_figures; DROP TABLE history_dates; "
                   "DELETE FROM meta WHERE key = 'history_basis'; DELETE FROM schema_migrations WHERE version >= 8;"
                   "SELECT 1")
    with open_store(path, read_only=True) as s:           # read-only: computed, nothing written
        assert sorted(set(history_grid(s, W3)["as_of"])) == [W1, W2, W3]
    with open_store(path) as s:                           # migrated: the first history keeps its figures
        assert s.query_one("SELECT count(*) FROM history_dates")[0] == 0
        first = _sorted(history_grid(s, W3))
        pd.testing.assert_frame_equal(first, kept(s))
        pd.testing.assert_frame_equal(first, _sorted(computed_grid(s, W3)))
