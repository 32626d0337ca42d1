"""One writer, many readers: 20 reading sessions while uploads and browser edits write.

Every reader checks, in each read, that what it sees is whole: each loaded upload's progress
rows number its rows_loaded, and the report's totals equal the sum of its pillars.
"""
import threading
from datetime import date

import pytest

from smartcity.auth import Actor
from smartcity.pipeline import load_file
from smartcity.progress import ProgressEdit, save_edits
from smartcity.report import summary_report
from smartcity.store import open_store
from tests.reliability.ingest_worker import file_for

D = date(2024, 10, 7)
EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))


def test_twenty_readers_and_two_writers(tmp_path):
    store = open_store(tmp_path / "c.duckdb")
    load_file(store, file_for(0), "w0.csv", D)
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                report = summary_report(store, D)
                assert report["actions"] == sum(p["actions"] for p in report["pillars"].values())
                torn = store.query_one(
                    """SELECT count(*) FROM (SELECT u.id FROM uploads u LEFT JOIN progress p ON p.upload_id = u.id
                       WHERE u.status = 'loaded' GROUP BY u.id, u.rows_loaded HAVING count(p.id) <> u.rows_loaded)""")[0]
                assert torn == 0
        except BaseException as e:  # noqa: BLE001 - collected and re-raised in the test thread
            errors.append(e)

    def uploader():
        try:
            for i in range(1, 6):
                assert load_file(store, file_for(i), f"w{i}.csv", D).status == "loaded"
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    edits_saved = []

    def editor():
        try:
            for value in range(10, 15):
                row = store.query_df("SELECT action_id, progress_id FROM action_state(?::DATE) WHERE action_code = 'A-00'",
                                     [D]).iloc[0]
                [out] = save_edits(store, EDITOR, [ProgressEdit(int(row.action_id), int(row.progress_id),
                                                                {"notes": f"catatan {value}"})], D)
                if out.status == "saved":
                    edits_saved.append(value)
                else:
                    assert out.status == "conflict"     # an upload landed in between: refused, never lost
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    readers = [threading.Thread(target=reader) for _ in range(20)]
    writers = [threading.Thread(target=uploader), threading.Thread(target=editor)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=300)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    assert store.query_one("SELECT count(*) FROM uploads WHERE status = 'loaded'")[0] == 6
    assert store.query_one("SELECT count(*) FROM progress WHERE source = 'edit'")[0] == len(edits_saved)
    assert edits_saved, "no browser edit was saved at all"
    store.close()


def test_a_busy_database_queues_the_file_for_the_dashboard(tmp_path):
    from smartcity.inbox import drain_inbox, enqueue, open_store_waiting

    db = tmp_path / "busy.duckdb"
    app = open_store(db)                              # the dashboard holds the file
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", (
        "import sys; from pathlib import Path; from smartcity.inbox import open_store_waiting; "
        f"s = open_store_waiting(Path({str(db)!r}), 1.0); print('busy' if s is None else 'opened')")],
        capture_output=True, text=True, timeout=120)
    assert probe.stdout.strip() == "busy", probe.stderr
    enqueue(db, file_for(1), "antrean.csv", D)
    results = drain_inbox(app)                        # the dashboard's next page run
    assert [r["status"] for r in results] == ["loaded"]
    assert app.query_one("SELECT count(*) FROM uploads WHERE file_name = 'antrean.csv'")[0] == 1
    assert drain_inbox(app) == []                     # loaded once only
    app.close()
    assert open_store_waiting(db, 0.1) is not None
