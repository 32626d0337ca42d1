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
