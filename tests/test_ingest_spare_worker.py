"""The reading worker started ahead of an upload (smartcity.ingest.isolate: the upload page starts it
when it is shown): the upload reads the same, still in a process of its own that ends with it, and a
worker started under other limits is never used."""
import os
import time

from smartcity.ingest import isolate
from tests.spreadsheets import action, registry, template_rows, xlsx


def _gone(pid: int, within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True
        if waited == pid:
            return True
        time.sleep(0.05)
    return False


def test_an_upload_is_read_by_the_worker_started_ahead_which_then_ends():
    isolate.prestart(memory=2048, wait=True)
    spare = isolate._SPARE._worker
    content = xlsx(template_rows([action("SP-01"), action("SP-02", target=-1)]))
    result = isolate.ingest_isolated(content, "spare.xlsx", registry(), timeout_s=60, memory_mb=2048)
    assert [row.values["code"] for row in result.actions] == ["SP-01"]
    assert [r.row for r in result.rejected] == [3]               # the negative target, as ever
    assert isolate._SPARE._worker is None                        # taken: the next upload gets a new one
    assert _gone(spare.pid) and spare.returncode == 0            # one process per file, ended with it


def test_a_worker_started_under_other_limits_is_not_used():
    isolate.prestart(memory=1024, wait=True)
    other = isolate._SPARE._worker
    result = isolate.ingest_isolated(xlsx(template_rows([action("SP-03")])), "lain.xlsx", registry(),
                                     timeout_s=60, memory_mb=2048)
    assert [row.values["code"] for row in result.actions] == ["SP-03"]
    assert _gone(other.pid) and other.returncode == -9           # stopped (killed), not used: a used
                                                                 # worker ends by itself, with 0


def test_a_worker_that_ends_before_taking_the_file_does_not_lose_the_upload(monkeypatch, caplog):
    # The file is pickled straight into the worker's pipe. A worker that said it was ready and then ended
    # (killed by the system, say) has closed that pipe, so writing to it fails: the upload is then read in
    # this process, as when no worker can run, and the reason is logged.
    import subprocess
    import sys

    def ends_at_once(memory):
        worker = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdout.buffer.write(b'R')"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        worker.stdout.read(1)
        worker.wait()
        return worker

    monkeypatch.setattr(isolate._SPARE, "take", ends_at_once)
    actions = [action(f"PIPE-{i:03d}") for i in range(30)]
    content = xlsx(template_rows(actions))
    result = isolate.ingest_isolated(content, "pipa.xlsx", registry(), timeout_s=60, memory_mb=2048)
    assert [row.values["code"] for row in result.actions] == [a["code"] for a in actions]
    assert "reading in this process" in caplog.text
