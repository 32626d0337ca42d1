"""Opening the database file (smartcity.store): one DuckDB instance per file in a process, the file
refused with a clear message while another process writes it."""
from __future__ import annotations

import subprocess
import sys

import pytest

from smartcity.errors import StoreError
from smartcity.store import open_store


def test_two_stores_on_one_file_in_one_process_see_each_others_writes(tmp_path):
    first, second = open_store(tmp_path / "kotim.duckdb"), open_store(tmp_path / "kotim.duckdb")
    with first.transaction() as cur:
        cur.execute("CREATE TABLE catatan (isi VARCHAR)")
        cur.execute("INSERT INTO catatan VALUES ('rapat mingguan')")
    assert second.query_one("SELECT isi FROM catatan")[0] == "rapat mingguan"
    first.close()
    assert second.query_one("SELECT count(*) FROM catatan")[0] == 1   # still open through the other
    second.close()
    with open_store(tmp_path / "kotim.duckdb") as again:                # and kept in the file
        assert again.query_one("SELECT isi FROM catatan")[0] == "rapat mingguan"


def test_a_file_another_process_writes_is_refused_as_busy(tmp_path):
    path = tmp_path / "kotim.duckdb"
    open_store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
                               "sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError) as refused:
            open_store(path)
        assert refused.value.key == "err.store_busy"
    finally:
        holder.communicate("")
