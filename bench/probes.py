"""One measurement in a fresh process: `python -m bench.probes KIND ARGS...`.

Each probe imports what it needs, times only the work named below with perf_counter, and
prints one JSON line {"seconds": [...], "peak_mb": ..., ...} as its last line of output. The
peak is the process's own (VmHWM), so memory covers the whole process: the interpreter, the
libraries and the work; for an ingest, the reading worker's memory is added while it runs.

    ingest FILE DB            load_file(store, bytes, name, as_of) into a fresh DuckDB file
    calamine FILE             CalamineWorkbook.from_path(FILE).get_sheet_by_index(0).to_python()
    openpyxl FILE             pandas.read_excel(FILE, engine="openpyxl")
    kpi DB BUDGET             recompute_kpis(store, since=latest) then summary_report(store), repeated
    pandas-kpi DB REPEAT      the same in pandas on frames loaded beforehand (bench.pandas_kpis)
    page FILE DB WARM LIMIT   a page under AppTest: the first run (cold, stopped after LIMIT s), then WARM more
    visit URL LIMIT PAGES...  sign in to a running server and open each page in that session
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2024, 10, 7)


def _emit(**result) -> None:
    """The probe's result, with the process's own peak RSS (VmHWM) unless the probe measured a tree."""
    result.setdefault("peak_mb", _status_mb(os.getpid(), "VmHWM"))
    print(json.dumps(result, default=str), flush=True)


# Why not ru_maxrss: Linux carries the parent's peak RSS over fork and exec into the child's
# ru_maxrss, so a probe started by a 200 MB parent would never report less than 200 MB.
# VmHWM in /proc/PID/status belongs to the process's own address space, after exec.
def _status_mb(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").glob("*"))
    except OSError:  # the process ended meanwhile (the reading worker ends as soon as it has answered)
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class TreeMemory:
    """Samples (every 20 ms) the RSS of this process and all its descendants, summed: the memory the
    work needs at once when part of it runs in another process (load_file's reading worker)."""

    def __init__(self, interval: float = 0.02):
        self.interval, self.peak_mb, self.child_peak_mb = interval, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, _status_mb(os.getpid(), "VmHWM"))

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            pids, todo = [], _children(me)
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo += _children(pid)
            children = [_status_mb(pid, "VmRSS") for pid in pids]
            self.child_peak_mb = max([self.child_peak_mb, *(_status_mb(pid, "VmHWM") for pid in pids)])
            self.peak_mb = max(self.peak_mb, _status_mb(me, "VmRSS") + sum(children))
            self._stop.wait(self.interval)


class _Cpu:
    """CPU seconds of this process and of the reading worker from now (the spare worker's start and
    warm-up before now not counted): on a busy machine a steadier figure than the wall clock's."""

    def __init__(self):
        from smartcity.ingest.isolate import _SPARE

        worker = _SPARE._worker
        self._before = self._self() + self._children() + (self._ticks(worker.pid) if worker else 0.0)

    @staticmethod
    def _self() -> float:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    @staticmethod
    def _children() -> float:
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    @staticmethod
    def _ticks(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def used(self) -> float:
        """Since construction; the worker counts once it has ended (load_file waits for it)."""
        return self._self() + self._children() - self._before


def ingest(file: str, db: str, after: str = "") -> None:
    """load_file of `file` into a new database `db`; with after="preview", once preview_file has read
    the same file (the upload page's Pratinjau, then Muat: the load takes the preview's reading)."""
    from smartcity import checkpoint
    from smartcity.pipeline import load_file, preview_file
    from smartcity.store import open_store

    db_file = Path(db)
    for stale in (db_file, db_file.with_name(db_file.name + ".wal")):
        stale.unlink(missing_ok=True)
    store = open_store(db_file)
    content = Path(file).read_bytes()
    # As in the running app, whose upload page starts a reading worker when it is shown (ui.upload):
    # the worker for this upload is started and has imported the readers before the clock starts.
    from smartcity.ingest.isolate import prestart

    if after == "preview":
        prestart(wait=True)
        preview_file(store, content, Path(file).name, AS_OF)
    prestart(wait=True)
    # In the app the pages have imported the KPI module long before an upload; load_file imports it
    # only when it recomputes (~0.15 s to import: not the upload's time).
    import smartcity.kpi  # noqa: F401
    # load_file may read the file in a worker process (smartcity.ingest.isolate): measure both.
    cpu = _Cpu()
    with TreeMemory() as memory:
        start = time.perf_counter()
        outcome = load_file(store, content, Path(file).name, AS_OF)
        seconds = time.perf_counter() - start
        cpu_s = cpu.used()
        # A large upload is checkpointed into the file after load_file has answered (smartcity.checkpoint):
        # not in the time, which is the upload's wait, but in the memory, which the process needs.
        checkpoint.wait()
    store.close()
    _emit(seconds=[seconds], status=outcome.status, rows_loaded=outcome.rows_loaded,
          rows_rejected=outcome.rows_rejected, problems=[pr.key for pr in outcome.problems[:3]], peak_mb=memory.peak_mb,
          cpu_s=cpu_s,
          self_mb=_status_mb(os.getpid(), "VmHWM"), worker_mb=memory.child_peak_mb)


def calamine(file: str) -> None:
    import python_calamine

    start, cpu = time.perf_counter(), time.process_time()
    rows = python_calamine.CalamineWorkbook.from_path(file).get_sheet_by_index(0).to_python()
    _emit(seconds=[time.perf_counter() - start], rows=len(rows), cpu_s=time.process_time() - cpu)


def openpyxl(file: str) -> None:
    import openpyxl as _  # noqa: F401 - imported before the clock starts, like calamine
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_excel(file, engine="openpyxl")
    _emit(seconds=[time.perf_counter() - start], rows=len(frame))


def kpi(db: str, budget: str) -> None:
    """Recompute for the latest snapshot (what load_file does after a weekly upload), then the report.

    Repeats in the same process (as the server would) while another run fits in `budget` seconds.
    """
    from smartcity.kpi import recompute_kpis, snapshot_dates
    from smartcity.report import summary_report
    from smartcity.store import open_store

    store = open_store(db)
    latest = snapshot_dates(store)[-1]
    totals, recomputes, reports = [], [], []
    started = time.perf_counter()
    while len(totals) < 5:
        t0 = time.perf_counter()
        written = recompute_kpis(store, since=latest)
        t1 = time.perf_counter()
        report = summary_report(store)
        t2 = time.perf_counter()
        recomputes.append(t1 - t0)
        reports.append(t2 - t1)
        totals.append(t2 - t0)
        if time.perf_counter() - started + (t2 - t0) > float(budget):
            break
    store.close()
    _emit(seconds=totals, recompute=recomputes, report=reports, kpi_rows=written, actions=report["actions"])


def pandas_kpi(db: str, repeat: str) -> None:
    from bench.pandas_kpis import kpi_differences, kpis_and_report, load_frames
    from smartcity.kpi import load_kpis, snapshot_dates
    from smartcity.store import open_store

    store = open_store(db)
    latest = snapshot_dates(store)[-1]
    kpis = load_kpis()
    frames = load_frames(store)
    stored = store.cursor().execute(
        "SELECT kpi_id, scope_type, scope_key, as_of, value, target, status, n FROM kpi_values WHERE as_of = ?",
        [latest]).fetchall()
    store.close()
    seconds = []
    for _ in range(int(repeat)):
        start = time.perf_counter()
        rows, report = kpis_and_report(frames, latest, kpis)
        seconds.append(time.perf_counter() - start)
    # The KPI values DuckDB stored for this date must be the ones pandas found (the same work).
    differences = (kpi_differences(stored, rows) if stored
                   else ["not compared: no KPI values stored for that date yet (a new database)"])
    _emit(seconds=seconds, actions=report["actions"], progress_rows=len(frames["progress"]),
          differences=differences)


def _watchdog(limit: float, **result) -> None:
    """After `limit` seconds, report `result` (the figure is then "more than limit") and end the process.

    A page that takes minutes must not take the whole bench with it; the work is abandoned."""
    def fire() -> None:
        _emit(seconds=[float(limit)], timed_out=True, **result)
        os._exit(0)

    timer = threading.Timer(float(limit), fire)
    timer.daemon = True
    timer.start()


def page(file: str, db: str, warm: str, limit: str) -> None:
    """A page under AppTest, signed in as BENCH_USER (an admin) when the app has logins, so that
    every page shows its data. The cold run is stopped after `limit` seconds."""
    os.environ["SMARTCITY_DB"] = db
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(file).resolve()), default_timeout=900)
    try:
        from ui.session import AUTH_USER

        at.session_state[AUTH_USER] = os.environ.get("BENCH_USER", "")
    except ImportError:
        pass  # an app without logins
    _scan_components_ahead(at)
    _watchdog(float(limit), warm=[], problems=[])
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    problems = [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]
    warms = []
    for _ in range(int(warm)):
        start = time.perf_counter()
        at.run()
        warms.append(time.perf_counter() - start)
    _emit(seconds=[cold], warm=warms, problems=problems)


def _scan_components_ahead(at) -> None:
    """Streamlit's scan of the installed packages for components, done before the clock starts.

    A server scans once, when its Runtime starts (streamlit/runtime/runtime.py), before any page runs:
    that is start-up time, measured by `startup`. AppTest scans in its first run (its mock Runtime;
    ~0.13 s here), which would count it in every page's cold figure. Here it is done the way AppTest
    does it and handed to AppTest, which keeps it for its runs."""
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager

        if getattr(at, "_bidi_component_manager", "absent") is None:
            manager = BidiComponentManager()
            manager.discover_and_register_components(start_file_watching=False)
            at._bidi_component_manager = manager
    except ImportError:   # another Streamlit: its AppTest scans (or not) in the run
        pass


def _page_specs(files: tuple[str, ...]) -> list[tuple[str, str, str | None]]:
    """(file, URL path under st.navigation, expected title) per page file, from ui.common.PAGES;
    for a page it does not list, the file name with dashes and no title to check."""
    try:
        from smartcity.i18n import t
        from ui.common import PAGES

        known = {spec.file: (spec.url_path, t(spec.title_key, "id")) for spec in PAGES.values()}
    except Exception:  # noqa: BLE001 - the UI is being changed: fall back to Streamlit's default
        known = {}
    return [(f, *known.get(f, (Path(f).stem.replace("_", "-"), None))) for f in files]


def _url_paths(files: tuple[str, ...]) -> list[str]:
    return [path for _, path, _ in _page_specs(files)]


def _title(elements: list) -> str:
    return next((e.heading.body for e in elements if e.WhichOneof("type") == "heading" and e.heading.tag == "h1"), "")


class _Session:
    """One browser tab's session of a running server, speaking Streamlit's protocol over its websocket."""

    def __init__(self, ws):
        self.ws = ws
        self.received = 0   # bytes of the messages of the last run: what the page sent to the browser

    async def run(self, page_name: str, widgets: list | None = None) -> list | None:
        """Ask for a run of `page_name` (with widget values) and return the elements drawn by the run that
        ends it, or None when the session's navigation has no such page (the login page once signed in)."""
        import asyncio

        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        ask = BackMsg()
        ask.rerun_script.query_string = ""
        ask.rerun_script.page_name = page_name
        for widget_id, field_name, value in widgets or []:
            setattr(ask.rerun_script.widget_states.widgets.add(id=widget_id), field_name, value)
        await self.ws.send(ask.SerializeToString())
        elements, missing = [], False
        self.received = 0
        while True:
            msg = ForwardMsg()
            raw = await asyncio.wait_for(self.ws.recv(), timeout=900)
            self.received += len(raw)
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "page_not_found":
                missing = True
            elif kind == "new_session":
                elements = []                      # a rerun (after a login, a switch of page) starts over
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                elements.append(msg.delta.new_element)
            elif kind == "script_finished" and msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                                       ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                return None if missing else elements


def _login_form(elements: list) -> list | None:
    """The widget values that submit the login form shown in `elements` (None when there is no form)."""
    from streamlit.proto.TextInput_pb2 import TextInput

    inputs = [e.text_input for e in elements if e.WhichOneof("type") == "text_input"]
    password = [i for i in inputs if i.type == TextInput.PASSWORD]
    submit = [e.button for e in elements if e.WhichOneof("type") == "button" and e.button.is_form_submitter]
    if not password or not submit:
        return None
    user = next(i for i in inputs if i.type != TextInput.PASSWORD)
    return [(user.id, "string_value", os.environ.get("BENCH_USER", "")),
            (password[0].id, "string_value", os.environ.get("BENCH_PASSWORD", "")),
            (submit[0].id, "trigger_value", True)]


def visit(url: str, limit: str, *files: str) -> None:
    """Sign in (BENCH_USER, BENCH_PASSWORD) and open each page in turn in that session, as a user would.

    No browser runs: a browser would compete with the server for the two cores. Prints the
    seconds each page took, from asking for it to the end of its run. A page still running after
    `limit` seconds is left (reported as taking `limit`) and the next page is opened in a new
    signed-in session, as a user who gives up and reloads would.
    """
    import asyncio

    import websockets

    skipped: list[str] = []
    stopped: list[str] = []

    async def signed_in():
        ws = await websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=60)
        session = _Session(ws)
        form = _login_form(await session.run("masuk") or [])
        if form:
            after = await session.run("masuk", form)
            if after is not None and _login_form(after):   # signed in, the login page leaves the navigation
                raise RuntimeError(f"signing in as {os.environ.get('BENCH_USER')!r} failed")
        return ws, session

    sizes: dict[str, int] = {}

    async def browse() -> dict:
        times = {}
        ws, session = await signed_in()
        for file, path, title in _page_specs(files):
            start = time.perf_counter()
            try:
                shown = await asyncio.wait_for(session.run(path), timeout=float(limit))
                if shown is None:      # the default page answers at "" only; a hidden page not at all
                    shown = await asyncio.wait_for(session.run(""), timeout=float(limit))
                    if title is None or title not in _title(shown):
                        skipped.append(file)
                        continue
            except asyncio.TimeoutError:
                times[file] = float(limit)
                stopped.append(file)
                await ws.close()
                ws, session = await signed_in()
                continue
            times[file] = time.perf_counter() - start
            sizes[file] = session.received
            if title and title not in _title(shown):
                raise RuntimeError(f"{file}: the server showed {_title(shown)!r}, not {title!r}")
        await ws.close()
        return times

    times = asyncio.run(browse())
    _emit(seconds=[sum(times.values())], pages=times, bytes=sizes, not_in_menu=skipped, stopped=stopped)


KINDS = {"ingest": ingest, "calamine": calamine, "openpyxl": openpyxl, "kpi": kpi, "pandas-kpi": pandas_kpi,
         "page": page, "visit": visit}

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    KINDS[sys.argv[1]](*sys.argv[2:])
