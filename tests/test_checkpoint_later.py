"""A large upload's checkpoint runs after the upload has answered (smartcity.checkpoint): its commit
only writes the WAL, which keeps the data durable; a thread then checkpoints it into the file."""
import duckdb

from smartcity.checkpoint import LARGE_WRITE_ROWS, checkpoint_later, wait
from smartcity.store import ROW_GROUP_ROWS, open_store


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
            # fewer rows than a row group (ROW_GROUP_ROWS), as a small upload: DuckDB logs them in the WAL
            cur.execute("INSERT INTO big SELECT range, 'baris ' || range FROM range(30000)")
        wal = tmp_db.with_name(tmp_db.name + ".wal")
        assert wal.stat().st_size > 300_000                # committed: in the WAL, not yet in the file
    wait()
    assert _threshold(store) == default
    assert not wal.exists() or wal.stat().st_size == 0     # the thread's CHECKPOINT moved it into the file
    store.close()
    assert duckdb.connect(str(tmp_db)).execute("SELECT count(*) FROM big").fetchone()[0] == 30_000



def _wal_after_insert(store_or_conn, wal, rows: int) -> int:
    cur = store_or_conn.cursor()
    cur.execute("SET checkpoint_threshold = '1GB'")          # as during a large upload
    cur.execute("CREATE TABLE big (i BIGINT, t VARCHAR)")
    cur.execute(f"INSERT INTO big SELECT range, 'kegiatan nomor ' || range FROM range({rows})")
    return wal.stat().st_size


def test_a_large_upload_goes_into_the_file_as_it_is_inserted_not_into_the_log(tmp_path):
    # The store's file has row groups of ROW_GROUP_ROWS rows: an insert of more rows than that is
    # written (compressed) into the file while it runs, and the commit logs only the rest. With
    # DuckDB's own 122,880-row groups the same insert goes whole into the write-ahead log.
    rows = ROW_GROUP_ROWS + 4_000
    store = open_store(tmp_path / "store.duckdb")
    ours = _wal_after_insert(store, tmp_path / "store.duckdb.wal", rows)
    store.close()
    plain = duckdb.connect(str(tmp_path / "plain.duckdb"))
    theirs = _wal_after_insert(plain, tmp_path / "plain.duckdb.wal", rows)
    plain.close()
    assert ours < theirs / 4      # ~4,000 rows logged instead of ~69,500
