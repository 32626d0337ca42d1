"""action_state's costly part kept once per data version (Store.state_sql): the pages read the same
figures as from the macro, and a write shows at once, in the same process, without a restart."""
from datetime import date

import pytest

from smartcity import views
from smartcity.store import _StateTables, open_store
from smartcity.views import Filters
from tests.storefix import add_snapshot
from tests.ui_fixtures import D, D_EARLIER, build_plan


@pytest.fixture
def store(tmp_path):
    s = build_plan(open_store(tmp_path / "t.duckdb"))
    yield s
    s.close()


@pytest.mark.parametrize("as_of", [D, D_EARLIER])
def test_the_kept_state_is_the_macros_state(store, as_of):
    known = views.known_at(store, as_of)
    kept = store.query_df(f"SELECT * FROM {store.state_sql(as_of, known)} ORDER BY progress_id")
    macro = store.query_df("SELECT * FROM action_state(?::DATE, known := ?::TIMESTAMP) ORDER BY progress_id",
                           [as_of, known])
    assert len(kept) > 0
    assert kept.equals(macro)


def test_a_new_snapshot_shows_at_once(store):
    before = views.overview(store, Filters())
    # A new action of Diskominfo, reported done, on the latest date: one more action, one more done.
    add_snapshot(store, "DISKOMINFO", "NEW-1", D, target=10.0, actual=10.0)
    after = views.overview(store, Filters())
    assert after.total.actions == before.total.actions + 1
    assert after.total.status_counts["done"] == before.total.status_counts["done"] + 1


def test_a_correction_changes_the_figures_at_once(store):
    first = views.overview(store, Filters())
    code = store.query_one(
        f"SELECT action_code FROM {store.state_sql(D)} WHERE agency_code = 'DISKOMINFO' AND status <> 'done' LIMIT 1")[0]
    add_snapshot(store, "DISKOMINFO", code, D, target=10.0, actual=10.0)   # the same action, now done
    again = views.overview(store, Filters())
    assert again.total.actions == first.total.actions
    assert again.total.status_counts["done"] == first.total.status_counts["done"] + 1


def test_only_a_few_states_are_kept_and_old_ones_dropped_after_a_grace_period(monkeypatch):
    made, dropped = [], []
    tables = _StateTables()
    tables.drop = dropped.append
    monkeypatch.setattr(_StateTables, "GRACE_S", 0.0)
    names = [tables.get((1, date(2024, 1, day), None), made.append) for day in range(1, 6)]
    assert made == names                                    # each new key made its table once
    assert tables.get((1, date(2024, 1, 5), None), made.append) == names[-1] and len(made) == 5
    # KEEP = 3: the first two were pushed out, then dropped at a later call (the grace period is 0 here).
    tables.get((2, date(2024, 1, 1), None), made.append)
    assert set(dropped) >= set(names[:2]) and names[-1] not in dropped


def test_after_a_restart_the_kept_state_is_read_from_the_file_until_the_data_changes(tmp_path):
    # The latest snapshots found by one process are kept in the database file; the next process
    # (a restart) reads them instead of finding them again, and a write makes them stale at once.
    path = tmp_path / "t.duckdb"
    store = build_plan(open_store(path))
    first = views.overview(store, Filters())
    store.close()
    store = open_store(path)
    kept = store.query_df("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'derived'")["table_name"]
    assert len(kept) == 1
    # Rows of the kept table stand for the state: emptying it must show in what the next process reads.
    store.query_one(f"DELETE FROM derived.{kept[0]} WHERE agency_code = 'DISKOMINFO' RETURNING 1")
    again = views.overview(store, Filters())
    diskominfo = store.query_one(f"SELECT count(*) FROM {store.state_sql(D)} WHERE agency_code = 'DISKOMINFO'")[0]
    assert diskominfo == 0 and again.total.actions < first.total.actions
    # A write bumps the data version: the figures come from the snapshots again, and the stale rows go.
    add_snapshot(store, "DISKOMINFO", "NEW-1", D, target=10.0, actual=10.0)
    after = views.overview(store, Filters())
    assert after.total.actions == first.total.actions + 1
    tables = store.query_df("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'derived'")["table_name"]
    assert kept[0] not in set(tables) and len(tables) == 1
    store.close()
