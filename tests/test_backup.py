"""Backup and restore round trip, and the automatic backup before a migration."""
from datetime import date

import pytest

import smartcity.store as store_module
from smartcity.backup import backup_connection, restore
from smartcity.errors import StoreError
from smartcity.pipeline import load_file
from smartcity.store import open_store
from tests.test_pipeline import WEEK1

TABLES = ("uploads", "upload_files", "actions", "progress", "kpi_values", "audit_log", "agencies")


def _counts(store):
    return {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in TABLES}


def test_backup_then_restore_gives_back_the_same_data(tmp_path):
    src = open_store(tmp_path / "src.duckdb")
    load_file(src, WEEK1, "minggu1.csv", date(2024, 9, 30))
    load_file(src, b"%PDF-1.4 bukan spreadsheet", "rusak.xlsx", date(2024, 9, 30))
    before = _counts(src)
    manifest = backup_connection(src._conn, tmp_path / "bk")
    src.close()
    assert sorted(manifest["files"]) == sorted(p.name for p in (tmp_path / "bk" / "files").iterdir())
    assert len(manifest["files"]) == 2                                  # the good file and the rejected one

    restore(tmp_path / "bk", tmp_path / "restored.duckdb")
    back = open_store(tmp_path / "restored.duckdb")
    assert _counts(back) == before
    content = back.query_one("SELECT content FROM upload_files f JOIN uploads u USING (sha256) WHERE u.file_name = 'minggu1.csv'")[0]
    assert bytes(content) == WEEK1
    # the restored store keeps working: ids continue, nothing collides
    load_file(back, WEEK1.replace(b";100;40;", b";100;45;"), "minggu2.csv", date(2024, 10, 7))
    assert back.query_one("SELECT count(*) FROM progress")[0] == before["progress"] + 3
    back.close()


def test_restore_refuses_an_existing_database_and_a_tampered_backup(tmp_path):
    src = open_store(tmp_path / "src.duckdb")
    load_file(src, WEEK1, "minggu1.csv", date(2024, 9, 30))
    backup_connection(src._conn, tmp_path / "bk")
    src.close()
    with pytest.raises(StoreError):
        restore(tmp_path / "bk", tmp_path / "src.duckdb")
    victim = next((tmp_path / "bk" / "files").iterdir())
    victim.write_bytes(b"changed")
    with pytest.raises(StoreError):
        restore(tmp_path / "bk", tmp_path / "new.duckdb")


def test_a_backup_is_taken_before_a_migration(tmp_path, monkeypatch):
    path = tmp_path / "db" / "s.duckdb"
    s = open_store(path)
    load_file(s, WEEK1, "minggu1.csv", date(2024, 9, 30))
    s.close()
    extra = (len(store_module.MIGRATIONS) + 1, "CREATE TABLE later_feature (x INTEGER);")
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, extra])
    s = open_store(path)
    backups = list((tmp_path / "db" / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith(f"pre-migration-{extra[0] - 1}-")
    assert (backups[0] / "manifest.json").exists()
    assert s.schema_version() == extra[0]
    s.close()


def test_a_backup_leaves_the_database_its_threads_even_when_it_fails(tmp_path, monkeypatch):
    """The export runs on one thread (its memory at a province's data); the queries after it, the
    server's pages, get the machine's threads back, also when the export fails half-way."""
    import smartcity.backup as backup

    s = open_store(tmp_path / "src.duckdb")
    load_file(s, WEEK1, "minggu1.csv", date(2024, 9, 30))
    threads = s.query_one("SELECT current_setting('threads')")[0]
    backup_connection(s._conn, tmp_path / "bk")
    assert s.query_one("SELECT current_setting('threads')")[0] == threads
    monkeypatch.setattr(backup, "_quote", lambda path: "/proc/no-such-folder/db")  # the export cannot write there
    with pytest.raises(StoreError):
        backup_connection(s._conn, tmp_path / "bad")
    assert s.query_one("SELECT current_setting('threads')")[0] == threads
    assert load_file(s, WEEK1.replace(b";100;40;", b";100;45;"), "minggu2.csv", date(2024, 10, 7)).status == "loaded"
    s.close()
