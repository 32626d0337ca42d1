"""Reading an upload in a worker process, so that a file that takes too long or too much memory
is stopped without taking the server down and without leaving anything half-read.

    result = ingest_isolated(content, "renaksi.xlsx", registry, profile=profile)

The worker is a fresh interpreter (`python -c ...`, about a quarter of a second to start) that
reads the pickled arguments on stdin and writes the pickled IngestResult on stdout (its action
rows as plain dicts with day numbers for dates, which pickle several times faster; the rows of
a sheet read in bulk as compressed Arrow streams after the pickle). A fresh
process rather than a fork: the app's threads, its database connection and its main module
are never copied or re-imported. It gets at most `parse_timeout_s` seconds (then it is killed
and the file gets err.file.timeout) and at most `parse_memory_mb` of address space (a parser
that runs out of memory, even one that aborts the process, gives err.file.too_complex). The
guard (smartcity.ingest.guard) refuses the known hostile shapes first; these limits are for
everything nobody thought of.

Settings (environment SMARTCITY_PARSE_TIMEOUT_S, SMARTCITY_PARSE_MEMORY_MB): a timeout of 0
reads in this process, without limits. When the worker cannot run at all (it cannot be
started, or fails for a reason other than memory) the file is read in this process and the
reason is logged.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import subprocess
import sys
import threading
from datetime import date
from itertools import repeat
from pathlib import Path

from smartcity.domain import FIELDS
from smartcity.settings import setting

from . import ingest_bytes
from .reader import Unreadable
from .recent import RECENT
from .result import ActionRow, ActionTable, IngestResult, Problem

log = logging.getLogger(__name__)

_MB = 1024 * 1024
_ROOT = str(Path(__file__).resolve().parents[2])
# Fields whose values are dates (smartcity.domain.FIELDS kind "date"): sent as day numbers.
_DATE_KEYS = tuple(f.name for f in FIELDS if f.kind == "date")
_WORKER = f"import sys; sys.path.insert(0, {_ROOT!r}); from smartcity.ingest.isolate import serve; serve()"


def ingest_isolated(content: bytes, file_name: str, registry, *, profile: dict | None = None,
                    timeout_s: float | None = None, memory_mb: int | None = None,
                    keep: bool = False, sha256: str | None = None) -> IngestResult:
    """`ingest_bytes` in a worker process with a time and a memory limit (the settings by default).
    Never raises for bad input: a file stopped by a limit comes back rejected whole. `keep` the
    reading for the same call again (a preview, before its load: smartcity.ingest.recent)."""
    content = bytes(content or b"")
    try:
        return run_isolated("ingest_bytes", (content, file_name, registry), {"profile": profile, "sha256": sha256},
                            timeout_s=timeout_s, memory_mb=memory_mb, keep=keep)
    except Unreadable as stopped:
        return _stopped(content, file_name, stopped.key, **stopped.params)


def inspect_columns_isolated(content: bytes, file_name: str, *, timeout_s: float | None = None,
                             memory_mb: int | None = None):
    """smartcity.ingest.columns.inspect_columns in a worker process with the same limits; raises
    Unreadable (key err.file.timeout / err.file.too_complex too) when the file cannot be read."""
    return run_isolated("inspect_columns", (bytes(content or b""), file_name), {}, timeout_s=timeout_s,
                        memory_mb=memory_mb)


def run_isolated(name: str, args: tuple, kwargs: dict, *, timeout_s: float | None = None,
                 memory_mb: int | None = None, keep: bool = False):
    """`_TARGETS[name](*args, **kwargs)` in a worker process; its result, or Unreadable raised here
    (also for the limits: err.file.timeout, err.file.too_complex). An answer kept by an earlier call
    with `keep` is used instead of a worker, and let go unless this call `keep`s it too."""
    timeout = float(setting("parse_timeout_s") if timeout_s is None else timeout_s)
    memory = int(setting("parse_memory_mb") if memory_mb is None else memory_mb)
    if timeout <= 0:
        return _TARGETS[name]()(*args, **kwargs)
    # Nothing kept and nothing to keep (a load not previewed): the call is not hashed (10 MB: ~0.03 s).
    key = RECENT.key(name, args, kwargs, _Spare._key_for(memory)) if keep or RECENT else None
    answer = RECENT.get(key, let_go=not keep)
    if answer is not None:
        return _answer(answer)
    try:
        worker = _SPARE.take(memory)
    except OSError:
        log.warning("could not start the ingest worker; reading in this process", exc_info=True)
        return _TARGETS[name]()(*args, **kwargs)
    try:
        # Pickled straight into the pipe (the worker is ready and reads the call first): no pickled copy
        # of the file held here while the worker reads it (~10 MB at a 100,000-row file).
        pickle.dump((name, args, kwargs), worker.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        worker.stdin.flush()
    except BrokenPipeError:
        pass  # the worker has ended: its exit status, below, says why
    try:
        out, err = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        raise Unreadable("err.file.timeout", seconds=f"{timeout:g}") from None
    if worker.returncode == 0 and out:
        if keep:
            RECENT.put(key, out)
        return _answer(out)
    if worker.returncode < 0 or b"MemoryError" in err or b"memory allocation" in err:
        raise Unreadable("err.file.too_complex")  # killed, or aborted out of memory
    log.error("ingest worker failed (exit %s); reading in this process:\n%s", worker.returncode,
              err.decode("utf-8", "replace")[-2000:])
    return _TARGETS[name]()(*args, **kwargs)


def _answer(out: bytes):
    """The result a worker wrote (`out`: the pickled outcome, then any Arrow streams), or Unreadable."""
    stream = io.BytesIO(out)
    outcome = pickle.load(stream)  # written by our own worker (now, or kept by RecentReads)
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "ok-actions":
        return _unpack_actions(outcome[1], outcome[2])
    if outcome[0] == "ok-tables":
        return _read_tables(outcome[1], outcome[2], out, stream.tell())
    raise Unreadable(outcome[1], **outcome[2])


def serve() -> None:
    """The worker's main: limit its own memory, import what reading needs, say it is ready (one byte),
    then read the call and write ("ok", result) or ("unreadable", key, params). It may wait long for
    the call (a spare worker); an app that ends first closes its stdin and the worker ends quietly."""
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory_mb > 0:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * _MB, memory_mb * _MB))
        except (ImportError, ValueError, OSError):
            pass
    sys.meta_path.insert(0, _WithoutPandas())
    # Arrow's buffers come from the C library's allocator, set when the smartcity package was imported
    # (smartcity/__init__.py): with mimalloc the worker's peak at a 100,000-row sheet was 317-319 MB, 264-265 so.
    _warm_up()
    sys.stdout.buffer.write(_READY)
    sys.stdout.buffer.flush()
    try:
        call = pickle.load(sys.stdin.buffer)
    except EOFError:
        return
    from . import guard

    guard.PARSE_IN_WORKER = True  # a runaway parse ends this process only
    name, args, kwargs = call
    tables = []
    try:
        outcome = ("ok", _TARGETS[name]()(*args, **kwargs))
        if isinstance(outcome[1], IngestResult) and type(outcome[1].actions) is list and outcome[1].actions:
            outcome = ("ok-actions", *_pack_actions(outcome[1]))
        elif isinstance(outcome[1], IngestResult) and isinstance(outcome[1].actions, ActionTable) and outcome[1].actions.tables:
            tables, outcome[1].actions.tables = outcome[1].actions.tables, []
            outcome = ("ok-tables", outcome[1], [(keys, optional) for _table, keys, optional in tables])
    except Unreadable as bad:
        outcome = ("unreadable", bad.key, dict(bad.params))
    except MemoryError:
        outcome = ("unreadable", "err.file.too_complex", {})
    _give_back_memory()
    try:
        # Straight to the pipe: the pickler writes large buffers (the Arrow columns) as they are, so
        # the worker never holds a second copy of the rows as one pickled string.
        pickle.dump(outcome, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        for table, _keys, _optional in tables:
            _write_table(table, sys.stdout.buffer)
    except MemoryError:
        sys.stderr.write("MemoryError while sending the result\n")  # the app says the file is too complex
        sys.stderr.flush()
        os._exit(3)
    sys.stdout.buffer.flush()
    sys.stderr.flush()
    # Ended at once: the app waits for this process to end, and an interpreter's ordinary exit first
    # gives back every object of the read, one by one (~0.1 s after a 100,000-row sheet).
    os._exit(0)


def _give_back_memory() -> None:
    """Return the memory the read has let go of to the system before the answer is written: the app
    receives the answer while this process still holds it, so what this process keeps then counts twice."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class _WithoutPandas:
    """An import finder that says pandas is not installed, for the worker only.

    Reading never uses pandas, but pyarrow imports it when it is installed, the first time it turns
    Python values into an array (pa.array, pa.scalar: it checks whether they are pandas objects).
    In the worker that import cost ~0.3 s of a 100,000-row read and ~30 MB; without pandas, pyarrow
    takes the values as plain Python values, as it does wherever pandas is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r} (not imported by the reading worker)", name=name)
        return None


def _warm_up() -> None:
    """Import the readers before the call comes (a spare worker does this while nobody waits).

    Reading a small workbook with them too, so that their first calls are paid ahead, made the next
    file slower here, not faster (1,000 rows: 0.13 s -> 0.22 s; 100,000 rows: 0.85 s -> 1.05 s in the
    worker), so a spare only imports."""
    try:
        import fastexcel  # noqa: F401
        import numpy.ma  # noqa: F401  (what pyarrow's to_numpy imports on first use)
        import pyarrow.compute  # noqa: F401
        import python_calamine  # noqa: F401

        from . import bulkrows  # noqa: F401
    except ImportError:
        pass


_READY = b"R"


class _Spare:
    """One worker started ahead of the next upload, so that the upload does not wait for a Python
    process to start and import the readers (~0.5 s). Each worker still reads one file and ends:
    every file gets a fresh process with its own limits. A spare started under other settings
    (memory limit, SMARTCITY_* environment) is replaced."""

    def __init__(self):
        self._lock = threading.Lock()
        self._worker: subprocess.Popen | None = None
        self._key: tuple | None = None

    @staticmethod
    def _key_for(memory: int) -> tuple:
        return memory, sys.executable, tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("SMARTCITY_")))

    def _start(self, memory: int) -> subprocess.Popen:
        # Two malloc arenas, not one per thread that ever allocated (glibc's default, up to 8 per core): the
        # slices' reader threads each left an arena of freed memory behind. Measured at a 100,000-row sheet:
        # the worker's peak 265 MB with glibc's default, 197-203 MB with two. One arena saves ~10 MB more
        # but its lock serialises the readers' allocations: the sheet's read took 0.7-0.9 s instead of 0.5.
        env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
        worker = subprocess.Popen([sys.executable, "-c", _WORKER, str(memory)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        _widen_pipes(worker)
        return worker

    def take(self, memory: int) -> subprocess.Popen:
        """A worker for one call: the spare when it fits, else a new one. The next spare is started by
        whoever expects an upload (the upload page, when it is shown), not here: its start would take
        a core from the writing and KPI recompute that follow the reading."""
        key = self._key_for(memory)
        with self._lock:
            worker, self._worker = self._worker, None
            if worker is not None and (self._key != key or worker.poll() is not None):
                _discard(worker)
                worker = None
            if worker is None:
                worker = self._start(memory)
        worker.stdout.read(len(_READY))  # it has imported the readers (a dead worker reads b"")
        return worker

    def prestart(self, memory: int | None = None, wait: bool = False) -> None:
        """Start the spare now, unless a fitting one waits (the upload page calls this each time it is
        shown: after a preview, the spare for loading the file is ready); `wait` until it is ready."""
        memory = int(setting("parse_memory_mb") if memory is None else memory)
        key = self._key_for(memory)
        with self._lock:
            if self._worker is None or self._key != key or self._worker.poll() is not None:
                if self._worker is not None:
                    _discard(self._worker)
                self._worker, self._key = self._start(memory), key
            worker = self._worker
        if wait:
            import select

            select.select([worker.stdout], [], [], 60)  # readable once the ready byte is written


_PIPE_BYTES = 1 << 20


def _widen_pipes(worker: subprocess.Popen) -> None:
    """Pipes of 1 MB instead of Linux's 64 KB: the file (10 MB for 100,000 rows) goes to the worker and
    its answer (12 MB) comes back in a tenth of the round trips (sending a 10 MB file: 0.04 -> 0.011 s).
    Linux only (F_SETPIPE_SZ); elsewhere, and above /proc/sys/fs/pipe-max-size, the pipes stay as they are."""
    try:
        import fcntl

        for pipe in (worker.stdin, worker.stdout):
            fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
    except (ImportError, OSError):
        pass


def _discard(worker: subprocess.Popen) -> None:
    try:
        worker.kill()
        worker.communicate(timeout=5)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass


_SPARE = _Spare()


def prestart(memory: int | None = None, wait: bool = False) -> None:
    """Start the reading worker for the next upload ahead of time (see _Spare)."""
    try:
        _SPARE.prestart(memory, wait=wait)
    except OSError:
        log.warning("could not start a spare ingest worker", exc_info=True)


def _pack_actions(result: IngestResult) -> tuple[IngestResult, tuple]:
    """The result without its action rows, and the rows as plain lists and dicts with the dates of
    the date fields as day numbers: pickled and read back in a fraction of the time of ActionRow
    objects holding date objects (100,000 rows). A date anywhere else is pickled as it is."""
    actions, result.actions = result.actions, []
    values = [row.values for row in actions]
    days = []
    for key in _DATE_KEYS:
        column = list(map(dict.get, values, repeat(key)))  # map runs in C
        if date not in set(map(type, column)):
            continue
        rows = [i for i, value in enumerate(column) if type(value) is date]
        for i in rows:
            values[i][key] = column[i].toordinal()
        days.append((key, rows))
    return result, ([row.sheet for row in actions], [row.row for row in actions], values, days)


def _write_table(table, out) -> None:
    """A bulk-read sheet's settled rows, after the pickled result: an Arrow stream compressed with LZ4.
    Pickled, a 100,000-row table was 33 MB, which the app received while the worker still held the rows;
    compressed, 12 MB (~0.03 s to write, ~0.01 s to read back). Written in the table's own batches (one:
    the slices are joined): in batches of 16,384 rows the app's copy of the table took ~15 MB more."""
    import pyarrow.ipc as ipc

    options = ipc.IpcWriteOptions(compression="lz4")
    with ipc.new_stream(out, table.schema, options=options) as writer:  # closes the stream, not `out`
        for batch in table.to_batches():
            writer.write_batch(batch)


def _read_tables(result: IngestResult, names: list, out: bytes, start: int) -> IngestResult:
    """The result with its Arrow tables read back from the streams in `out` from `start` (after the pickle)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    source = pa.BufferReader(out)
    source.seek(start)
    options = ipc.IpcReadOptions(use_threads=False)  # on Arrow's thread pool the app kept ~15 MB more
    result.actions.tables = [(ipc.open_stream(source, options=options).read_all(), keys, optional)
                             for keys, optional in names]
    return result


def _unpack_actions(result: IngestResult, packed: tuple) -> IngestResult:
    sheets, rows, values, days = packed
    from_day = date.fromordinal
    for key, where in days:
        for i in where:
            row = values[i]
            row[key] = from_day(row[key])
    result.actions = list(map(ActionRow, sheets, rows, values))
    return result


def _inspect():
    from .columns import inspect_columns

    return inspect_columns


# What a worker may run, by name (a name, not a pickled function: the worker runs nothing else).
_TARGETS = {"ingest_bytes": lambda: ingest_bytes, "inspect_columns": _inspect}


def _stopped(content: bytes, file_name: str, key: str, **params) -> IngestResult:
    result = IngestResult(file_name, hashlib.sha256(content).hexdigest(), len(content))
    result.file_problems.append(Problem(key, params, file=file_name))
    return result
