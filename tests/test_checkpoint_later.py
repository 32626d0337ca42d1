"""A large upload's checkpoint runs after the upload has answered (smartcity.checkpoint): its commit
only writes the WAL, which keeps the data durable; a thread then checkpoints it into the file."""
import duckdb

from smartcity.checkpoint import LARGE_WRITE_ROWS, checkpoint_later, wait
from smartcity.store import open_store


def _threshold(store) -> str:
    return store.query_one("SELECT current_setting('checkpoint_threshold')")[0]


def test_a_large_write_commits_to_the_wal_and_is_checkpointed_afterwards(tmp_db):
    store = open_store(tmp_db)
    default = _threshold(store)
    with checkpoint_later(store, rows=LARGE_WRITE_ROWS - 1):
        assert _threshold(store) == default                # a small write: nothing changes
    with checkpoint_later(store, rows=LARGE_WRITE_ROWS):
        assert _threshold(store) != default                # commits in here do not checkpoint
        with store.transaction() as cur:
            cur.execute("CREATE TABLE big (i BIGINT, t VARCHAR)")
            # fewer rows than a row group (122,880), as an upload: DuckDB logs them in the WAL
            cur.execute("INSERT INTO big SELECT range, 'baris ' || range FROM range(30000)")
        wal = tmp_db.with_name(tmp_db.name + ".wal")
        assert wal.stat().st_size > 300_000                # committed: in the WAL, not yet in the file
    wait()
    assert _threshold(store) == default
    assert not wal.exists() or wal.stat().st_size == 0     # the thread's CHECKPOINT moved it into the file
    store.close()
    assert duckdb.connect(str(tmp_db)).execute("SELECT count(*) FROM big").fetchone()[0] == 30_000

