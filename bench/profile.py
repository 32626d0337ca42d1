"""Where the time and memory go in the measurements that miss their goals (not part of `make bench`).

    .venv/bin/python -m bench.profile ingest        load_file on the 100,000-row file: stages, then cProfile
    .venv/bin/python -m bench.profile kpi           each KPI query at 5.2 M rows, and the plan of the slowest
    .venv/bin/python -m bench.profile page NAME     a page's cold run: every query's time and memory, then cProfile
    .venv/bin/python -m bench.profile warm NAME     a page's warm run under cProfile
    .venv/bin/python -m bench.profile budget        the CPU of each stage of one 100,000-row load, and the
                                                   floor it sets against calamine's bare read

Run `make bench` first: it builds the data sets this reads from bench/data/. BENCH_PROFILE_DB=PATH
profiles the pages on another database (say the 2,000-action one of `python -m bench.run --quick`);
BENCH_PROFILE_INGEST_DB=PATH puts the ingest profile's scratch database there instead of bench/data/.
"""
from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from datetime import date
from pathlib import Path

from bench.run import DATA, FULL, fingerprint  # noqa: E402

TOP = 18


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


ROOT = Path(__file__).resolve().parent.parent


def _print_profile(profiler: cProfile.Profile, sort: str, limit: int = TOP, only_ours: bool = True) -> None:
    """The top entries; with only_ours, functions of this project (smartcity/, ui/, pages/) only."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(sort)
    if only_ours:
        stats.print_stats(rf"{ROOT}/(smartcity|ui|pages)/", limit)
    else:
        stats.print_stats(limit)
    text = out.getvalue().replace(f"{ROOT}/", "").replace(f"{sys.prefix}/lib/python3.11/site-packages/", "")
    print(text[text.find("   ncalls"):] if "   ncalls" in text else text)


def _data(kind: str) -> Path:
    if kind == "db" and os.environ.get("BENCH_PROFILE_DB"):   # e.g. the --quick database, for warm runs
        return Path(os.environ["BENCH_PROFILE_DB"])
    tag = fingerprint()
    path = DATA / (f"actions_{max(FULL.ingest_rows)}_{tag}.xlsx" if kind == "xlsx"
                   else f"history_{FULL.actions}x{FULL.snapshots}_{tag}.duckdb")
    if not path.exists():
        sys.exit(f"{path} is missing: run `make bench` first")
    return path


def _stage(module, name: str, log: list) -> None:
    """Wrap module.name so each call records its time and the process's peak RSS after it."""
    inner = getattr(module, name)

    def wrapped(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            log.append((f"{module.__name__}.{name}", time.perf_counter() - start, _status_mb("VmHWM"),
                        _status_mb("VmRSS")))
    setattr(module, name, wrapped)


def ingest() -> None:
    # Read in this process (not the isolating worker) so that cProfile sees the reading code.
    os.environ["SMARTCITY_PARSE_TIMEOUT_S"] = "0"
    import smartcity.ingest as ingest_pkg
    from smartcity import checkpoint
    import smartcity.kpi as kpi
    import smartcity.pipeline as pipeline
    from smartcity.store import open_store

    path = _data("xlsx")
    db = Path(os.environ.get("BENCH_PROFILE_INGEST_DB", DATA / "profile-ingest.duckdb"))  # bench/data may be shared
    db.unlink(missing_ok=True)
    store = open_store(db)
    content = path.read_bytes()
    log: list = []
    for module, name in ((ingest_pkg, "read_sheets"), (ingest_pkg, "_ingest_sheets"),
                         (pipeline, "ingest_isolated"), (pipeline, "_insert_actions"), (pipeline, "_write"),
                         (kpi, "recompute_kpis")):
        if hasattr(module, name):  # the ingest package is being reworked: profile what is there
            _stage(module, name, log)
    print(f"before load_file: RSS {_status_mb('VmRSS'):.0f} MB (interpreter, libraries, open store)")
    start = time.perf_counter()
    pipeline.load_file(store, content, path.name, date(2024, 10, 7))
    print(f"load_file, read in this process: {time.perf_counter() - start:.2f} s")
    checkpoint.wait()  # the checkpoint after a large upload (smartcity.checkpoint), outside the figures
    print(f"{'stage (as each ends; nested stages end first)':48} {'s':>7} {'peak MB':>8} {'RSS MB':>7}")
    for name, seconds, peak, rss in log:
        print(f"{name:48} {seconds:7.2f} {peak:8.0f} {rss:7.0f}")
    store.close()
    db.unlink(missing_ok=True)
    store = open_store(db)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    pipeline.load_file(store, content, path.name, date(2024, 10, 7))
    profiler.disable()
    checkpoint.wait()
    print(f"\nload_file again under cProfile: {time.perf_counter() - start:.2f} s")
    print("\n-- by own time --")
    _print_profile(profiler, "tottime", only_ours=False)
    print("\n-- by cumulative time, our code --")
    _print_profile(profiler, "cumulative")
    store.close()
    db.unlink(missing_ok=True)


def kpi() -> None:
    from smartcity.kpi import compute_kpis, kpi_sql, load_kpis, snapshot_dates
    from smartcity.store import open_store

    store = open_store(_data("db"), read_only=True)
    latest = snapshot_dates(store)[-1]
    timings = []
    for k in load_kpis():
        start = time.perf_counter()
        compute_kpis(store, latest, [k])
        timings.append((time.perf_counter() - start, k.id))
    print(f"each KPI's query on {latest} (one action_state evaluation each):")
    for seconds, kpi_id in timings:
        print(f"  {kpi_id:28} {seconds:6.2f} s")
    print(f"  {'total':28} {sum(t for t, _ in timings):6.2f} s")
    cur = store.cursor()
    slowest = max(timings)[1]
    sql, params = kpi_sql(next(k for k in load_kpis() if k.id == slowest))
    bind = [*params, latest] if "pillar = ?" not in sql else [*params, latest, "integration"]
    print(f"\nplan of {slowest}: the operators that took time")
    _operators(cur, sql, bind)
    for name, query in (
        ("action_state, whole row (SELECT *)", "SELECT count(*) FROM (SELECT * FROM action_state(?::DATE))"),
        ("latest row per action: row_number() window (as the macro)",
         """SELECT count(*) FROM (SELECT id FROM progress WHERE as_of <= ?::DATE QUALIFY row_number() OVER
            (PARTITION BY action_id ORDER BY as_of DESC, recorded_at DESC, id DESC) = 1)"""),
        ("latest row per action: arg_max aggregate",
         "SELECT count(*) FROM (SELECT arg_max(id, (as_of, recorded_at, id)) FROM progress WHERE as_of <= ?::DATE GROUP BY action_id)"),
        ("arg_max ids, then the rows joined back",
         """WITH l AS (SELECT arg_max(id, (as_of, recorded_at, id)) AS id FROM progress WHERE as_of <= ?::DATE
            GROUP BY action_id) SELECT count(*), avg(actual) FROM progress SEMI JOIN l USING (id)"""),
    ):
        start = time.perf_counter()
        cur.execute(query, [latest]).fetchall()
        print(f"{name:60} {time.perf_counter() - start:6.2f} s")


def _operators(cur, sql: str, params: list) -> None:
    """Run `sql` with DuckDB's JSON profiling; print the operators that took 50 ms or more."""
    import json

    out = DATA / "profile-plan.json"
    cur.execute("PRAGMA enable_profiling = 'json'")
    cur.execute(f"PRAGMA profiling_output = '{out}'")
    start = time.perf_counter()
    cur.execute(sql, params).fetchall()
    print(f"  (query {time.perf_counter() - start:.2f} s; operator times are CPU summed over threads)")
    cur.execute("PRAGMA disable_profiling")
    found = []

    def walk(node: dict) -> None:
        name = node.get("name") or node.get("operator_name") or "?"
        seconds = float(node.get("timing") or node.get("operator_timing") or 0)
        if seconds >= 0.05:
            extra = node.get("extra_info") or {}
            what = extra.get("Projections") or extra.get("Conditions") or extra.get("Aggregates") or ""
            found.append((seconds, name.strip(), int(node.get("intermediate_rows") or 0), str(what)[:90]))
        for child in node.get("children", []):
            walk(child)

    tree = json.loads(out.read_text())
    for root in tree.get("operator", [tree]) if isinstance(tree.get("operator"), list) else [tree]:
        walk(root)
    for seconds, name, rows, what in sorted(found, reverse=True):
        print(f"  {name:20} {rows:>10,} rows {seconds:7.2f} s  {what}")


def _trace_queries(log: list) -> None:
    """Record the time and peak-RSS growth of every read query the pages make through Store."""
    from smartcity import kpi as kpi_module
    from smartcity.store import Store

    def traced(inner, label):
        def wrapper(*args, **kwargs):
            before, start = _status_mb("VmHWM"), time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                sql = args[1] if label is None and len(args) > 1 else label
                first = " ".join(str(sql).split())[:110]
                log.append((time.perf_counter() - start, _status_mb("VmHWM") - before, first))
        return wrapper

    Store.query_df = traced(Store.query_df, None)
    Store.query_one = traced(Store.query_one, None)
    kpi_module.compute_kpis = traced(kpi_module.compute_kpis, "kpi.compute_kpis (every KPI, one query each)")


def _profile_pages(profiler: cProfile.Profile) -> None:
    """Profile each page's body where it runs: AppTest runs the script in a thread of its own, which a
    profiler enabled in this thread would not see, so ui.common.run_page enables it around the page."""
    import ui.common

    inner = ui.common.run_page

    def run_page(*args, **kwargs):
        profiler.enable()
        try:
            return inner(*args, **kwargs)
        finally:
            profiler.disable()
    ui.common.run_page = run_page


def page(name: str, warm: bool = False) -> None:
    os.environ["SMARTCITY_DB"] = str(_data("db"))
    from streamlit.testing.v1 import AppTest

    from bench.run import BENCH_USER, ensure_bench_user

    ensure_bench_user(_data("db"))
    file = Path(__file__).resolve().parent.parent / "pages" / name
    at = AppTest.from_file(str(file), default_timeout=900)
    try:
        from ui.session import AUTH_USER

        at.session_state[AUTH_USER] = BENCH_USER
    except ImportError:
        pass
    log: list = []
    profiler = cProfile.Profile()
    if warm:
        at.run()
    else:
        _trace_queries(log)
    _profile_pages(profiler)
    start = time.perf_counter()
    at.run()
    print(f"{name} {'warm' if warm else 'cold'} run: {time.perf_counter() - start:.2f} s under cProfile; "
          f"peak RSS {_status_mb('VmHWM'):.0f} MB")
    if log:
        print(f"\nqueries by time ({len(log)} in all, {sum(t for t, _, _ in log):.2f} s):")
        for seconds, grew, sql in sorted(log, reverse=True)[:12]:
            print(f"  {seconds:6.2f} s  peak +{grew:5.0f} MB  {sql}")
    print("\n-- by cumulative time, our code --")
    _print_profile(profiler, "cumulative")
    print("\n-- by own time, everything --")
    _print_profile(profiler, "tottime", only_ours=False)
    if os.environ.get("BENCH_CALLERS"):  # e.g. BENCH_CALLERS=getmodule: who calls it, and for how long
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_callers(os.environ["BENCH_CALLERS"])
        print(out.getvalue().replace(f"{ROOT}/", "").replace(f"{sys.prefix}/lib/python3.11/site-packages/", ""))
    if os.environ.get("BENCH_CALLEES"):  # e.g. BENCH_CALLEES=widgets.py:.*table: what it calls, and for how long
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_callees(os.environ["BENCH_CALLEES"])
        print(out.getvalue().replace(f"{ROOT}/", "").replace(f"{sys.prefix}/lib/python3.11/site-packages/", ""))


def _cpu_of(module, name: str, into: dict, key: str, process: bool = False) -> None:
    """Wrap module.name so each call adds its thread's CPU time (the whole process's with `process`:
    work it hands to other threads) and wall time to into[key]."""
    inner = getattr(module, name)
    clock = time.process_time if process else time.thread_time

    def wrapped(*args, **kwargs):
        cpu, wall = clock(), time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            got = into.setdefault(key, [0.0, 0.0])
            got[0] += clock() - cpu
            got[1] += time.perf_counter() - wall
    setattr(module, name, wrapped)


def budget_read(path: str) -> None:
    """The reading worker's work on `path`, as in the worker (no pandas, guard in overlap mode): the
    CPU of each thread's part, as JSON. Run by `budget` in a process of its own."""
    import json

    import smartcity.ingest.isolate as isolate

    sys.meta_path.insert(0, isolate._WithoutPandas())   # Arrow's allocator: set by importing smartcity
    isolate._warm_up()
    from smartcity.agencies import AgencyRegistry
    from smartcity.ingest import bulk, bulkrows, guard, ingest_bytes, slices

    guard.PARSE_IN_WORKER = True
    parts: dict = {}
    # The guard's checks of a large sheet ride along with its cutting (counted there); its own pass
    # runs over the small parts, and over a large sheet only when the sheet is not cut.
    _cpu_of(guard, "_scan_part", parts, "guard's own pass over the file's parts")
    _cpu_of(bulk.BulkSource, "_read", parts,
            "unpacking, checking, cutting the sheet into slices, joining (a thread)")
    _cpu_of(slices, "_read_slice", parts, "fastexcel reading the slices (two threads)")
    # The rules run after the read, on two threads: the process's CPU while they run.
    _cpu_of(bulkrows._Columns, "__init__", parts, "column rules and the walk over the rows (after the read)", process=True)
    _cpu_of(bulkrows, "_walk", parts, "column rules and the walk over the rows (after the read)", process=True)
    content, registry = Path(path).read_bytes(), AgencyRegistry.load()
    cpu, wall = time.process_time(), time.perf_counter()
    result = ingest_bytes(content, Path(path).name, registry)
    print(json.dumps({"rows": len(result.actions), "cpu": time.process_time() - cpu,
                      "wall": time.perf_counter() - wall, "parts": parts}))


def budget() -> None:
    """Where the CPU of one load of the 100,000-row file goes, stage by stage, beside calamine's bare
    read of it: the read's stages share the cores (threads), the rest runs one after the other, so
    (reading CPU / cores) + the rest is the shortest time this work can take here."""
    import json
    import subprocess

    import python_calamine

    from smartcity import checkpoint
    import smartcity.kpi as kpi
    import smartcity.pipeline as pipeline
    from smartcity.store import open_store

    path = _data("xlsx")
    cores = os.cpu_count() or 1
    cpu, wall = time.process_time(), time.perf_counter()
    python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    calamine = (time.process_time() - cpu, time.perf_counter() - wall)
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # as the worker (isolate._Spare._start)
    read = json.loads(subprocess.run([sys.executable, "-m", "bench.profile", "budget-read", str(path)], env=env,
                                     cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    # The app's part: load_file with the reading done by the worker (not counted here), then the write,
    # the commit and the KPI recompute, each CPU of this process (DuckDB's threads included).
    marks: dict = {}
    for module, name in ((pipeline, "ingest_isolated"), (pipeline, "_write"), (kpi, "recompute_kpis")):
        inner = getattr(module, name)

        def wrapped(*args, _inner=inner, _name=name, **kwargs):
            marks[_name + ":start"] = time.process_time()
            try:
                return _inner(*args, **kwargs)
            finally:
                marks[_name + ":end"] = time.process_time()
        setattr(module, name, wrapped)
    db = Path(os.environ.get("BENCH_PROFILE_INGEST_DB", DATA / "profile-ingest.duckdb"))
    db.unlink(missing_ok=True)
    store = open_store(db)
    pipeline.load_file(store, path.read_bytes(), path.name, date(2024, 10, 7))
    checkpoint.wait()
    store.close()
    db.unlink(missing_ok=True)
    app = {"the write (file, actions, progress rows, problems)": marks["_write:end"] - marks["ingest_isolated:end"],
           "the commit": marks["recompute_kpis:start"] - marks["_write:end"],
           "the KPI recompute": marks["recompute_kpis:end"] - marks["recompute_kpis:start"]}
    parts = read["parts"]
    rules_key = "column rules and the walk over the rows (after the read)"
    rules = parts.pop(rules_key)[0]
    reading = sum(c for c, _w in parts.values())
    print(f"{path.name}: {read['rows']:,} rows; {cores} cores\n")
    print(f"{'stage':78} {'CPU s':>6}")
    for name, (c, _w) in parts.items():
        print(f"  {name:76} {c:6.2f}")
    print(f"  {'  the read together (threads at once)':76} {reading:6.2f}")
    print(f"  {rules_key:76} {rules:6.2f}")
    for name, c in app.items():
        print(f"  {name + ' (the app)':76} {c:6.2f}")
    after = rules + sum(app.values())
    total = reading + after
    floor = reading / cores + after
    print(f"  {'all':76} {total:6.2f}")
    print(f"\ncalamine's bare read: {calamine[0]:.2f} s CPU, {calamine[1]:.2f} s")
    print(f"the reading worker alone: {read['wall']:.2f} s ({read['cpu']:.2f} s CPU)")
    print(f"floor of this work on {cores} cores (the read on all of them, the rest after it): {floor:.2f} s "
          f"= {floor / calamine[1]:.2f}x calamine's bare read; with every stage on all cores at once: "
          f"{total / cores:.2f} s = {total / cores / calamine[1]:.2f}x")


if __name__ == "__main__":
    if sys.argv[1:2] == ["budget-read"]:
        budget_read(sys.argv[2])
        sys.exit()
    what, *rest = sys.argv[1:] or ["ingest"]
    {"ingest": ingest, "kpi": kpi, "page": lambda: page(rest[0]), "warm": lambda: page(rest[0], warm=True),
     "budget": budget}[what]()
