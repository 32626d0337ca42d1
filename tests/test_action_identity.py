"""An action's identity across uploads: one row in `actions` per agency and action code, kept through the
schema change that dropped the UNIQUE index of actions and the primary key of progress (migration 9), and
an upload that would write an action's snapshot twice refused whole."""
from datetime import date

import pytest

import smartcity.store as store_module
from smartcity.errors import StoreError
from smartcity.pipeline import load_file
from smartcity.store import open_store
from tests.test_pipeline import W1, W2, WEEK1

# WEEK1 with K-01's realisation moved from 40 to 70.
WEEK2 = WEEK1.replace(b";100;40;", b";100;70;")


def _actions(store) -> list[tuple]:
    return store.query_df("SELECT id, agency_code, action_code FROM actions ORDER BY id").to_records(index=False).tolist()


def test_a_database_from_before_migration_9_keeps_its_actions_and_their_history(tmp_path, monkeypatch):
    path = tmp_path / "kotim.duckdb"
    with monkeypatch.context() as m:
        m.setattr(store_module, "MIGRATIONS", [mig for mig in store_module.MIGRATIONS if mig[0] <= 8])
        old = open_store(path)
        load_file(old, WEEK1, "minggu1.csv", W1)
        before = _actions(old)
        old.close()
    s = open_store(path)
    try:
        assert s.schema_version() >= 9
        assert _actions(s) == before and len(before) == 3
        constraints = s.query_df("SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'actions'")
        assert "UNIQUE" not in set(constraints["constraint_type"]) and "PRIMARY KEY" in set(constraints["constraint_type"])
        assert s.query_one("SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'progress_action_asof'")[0] == 0
        assert s.query_one("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'progress' "
                           "AND constraint_type = 'PRIMARY KEY'")[0] == 0
        # The next week's upload finds the same three actions: no new identities, one more snapshot each.
        assert load_file(s, WEEK2, "minggu2.csv", W2).status == "loaded"
        assert _actions(s) == before
        k01 = next(a[0] for a in before if a[2] == "K-01")
        history = s.cursor().execute("SELECT as_of, actual FROM progress WHERE action_id = ? ORDER BY as_of",
                                     [k01]).fetchall()
        assert history == [(W1, 40.0), (W2, 70.0)]
    finally:
        s.close()


def test_each_upload_creates_an_action_once_and_its_rows_take_fresh_ids(store):
    load_file(store, WEEK1, "minggu1.csv", W1)
    load_file(store, WEEK2, "minggu2.csv", W2)
    assert len(_actions(store)) == 3
    ids = store.query_df("SELECT id FROM progress ORDER BY id")["id"].tolist()
    assert len(ids) == len(set(ids)) == 6
    # Ids come from progress_id_seq, as an edit's do: the next one is past every row written.
    assert store.query_one("SELECT nextval('progress_id_seq')")[0] > max(ids)


def test_an_action_held_twice_stops_the_upload_and_nothing_is_written(store):
    """Were an action ever held twice (what the dropped UNIQUE index used to refuse), an upload would
    write two snapshots for one row of its file: the upload is refused whole instead, and the database
    stays as it was."""
    load_file(store, WEEK1, "minggu1.csv", W1)
    with store.transaction() as cur:
        cur.execute("""INSERT INTO actions SELECT nextval('action_id_seq'), agency_code, action_code, created_upload
                       FROM actions WHERE action_code = 'K-01'""")
    progress, uploads = (store.query_one(f"SELECT count(*) FROM {t}")[0] for t in ("progress", "uploads"))
    with pytest.raises(StoreError):
        load_file(store, WEEK2, "minggu2.csv", W2)
    assert store.query_one("SELECT count(*) FROM progress")[0] == progress == 3
    assert store.query_one("SELECT count(*) FROM uploads")[0] == uploads == 1
