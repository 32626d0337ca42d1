"""The DuckDB store: one shared connection, a cursor per thread, migrations, transactions.

All SQL that defines how an action's state follows from its snapshots lives here, in the
`action_state(d)` table macro, so every query (pages, KPIs, the report) agrees.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import threading
import weakref
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import duckdb

from smartcity.agencies import AgencyRegistry
from smartcity.errors import StoreError
from smartcity.schema import MIGRATIONS
from smartcity.settings import AGENCY_FILE, db_path, setting

T = TypeVar("T")


def scope_where(pillar: str | None, agency: str | None) -> tuple[str, list]:
    """The pillar and agency filters as conditions over action_state's columns (" AND ..."; empty
    without filters), and their parameters: one spelling for every query that narrows the actions."""
    where, params = "", []
    if pillar:
        where += " AND pillar = ?"
        params.append(pillar)
    if agency:
        where += " AND agency_code = ?"
        params.append(agency)
    return where, params


# The measures of one action on the day `{day}` (an SQL date expression), over a progress row:
# progress, elapsed and achievement; then, over those, the capped achievement and the status. Shared
# by action_state (one date) and smartcity.history (every date at once), so both judge alike.
def measures_sql(day: str) -> str:
    return """
        CASE
            WHEN target IS NULL OR actual IS NULL THEN NULL
            WHEN target = coalesce(baseline, 0) THEN
                CASE WHEN (direction = 'lower' AND actual <= target) OR (direction <> 'lower' AND actual >= target)
                     THEN 1.0 ELSE 0.0 END
            ELSE (actual - coalesce(baseline, 0)) / (target - coalesce(baseline, 0))
        END AS progress,
        CASE
            WHEN start_date IS NULL OR due_date IS NULL OR due_date <= start_date THEN NULL
            WHEN DAY <= start_date THEN 0.0
            WHEN DAY >= due_date THEN 1.0
            ELSE date_diff('day', start_date, DAY) / date_diff('day', start_date, due_date)
        END AS elapsed,
        CASE
            WHEN target IS NULL OR actual IS NULL OR target = 0 THEN NULL
            WHEN direction = 'lower' THEN (2 * target - actual) / target
            ELSE actual / target
        END AS achievement""".replace("DAY", day)


# Over progress, elapsed, achievement and state_date; {at_risk_gap} and {late_gap} are filled by format().
STATUS_SQL = """
    CASE WHEN achievement IS NULL THEN NULL ELSE least(greatest(achievement, 0.0), 1.0) END AS achievement_capped,
    CASE
        WHEN progress >= 1 THEN 'done'
        WHEN progress IS NULL AND reported_status IS NOT NULL THEN reported_status
        WHEN start_date IS NOT NULL AND state_date < start_date AND coalesce(progress, 0) <= 0 THEN 'not_started'
        WHEN due_date IS NOT NULL AND state_date > due_date THEN 'late'
        WHEN elapsed IS NULL THEN CASE WHEN coalesce(progress, 0) > 0 THEN 'on_track' ELSE 'not_started' END
        WHEN coalesce(progress, 0) <= 0 AND elapsed <= {at_risk_gap} THEN 'not_started'
        WHEN elapsed - coalesce(progress, 0) <= {at_risk_gap} THEN 'on_track'
        WHEN elapsed - coalesce(progress, 0) <= {late_gap} THEN 'at_risk'
        ELSE 'late'
    END AS status"""


# The state of every action on date d: its latest snapshot on or before d (edits and uploads
# alike; of two on the same date the one recorded later, then the higher id), unless a later
# upload of its agency (still on or before d) left it out.
# `known` (a timestamp, optional) shows the state as it was known then: rows recorded later,
# such as a correction uploaded afterwards for an earlier date, are left out.
# progress  = (actual - baseline) / (target - baseline): share of the way from baseline to target.
# elapsed   = share of the time between start and due date that has passed on d.
# achievement (capaian) = actual / target, or (2 x target - actual) / target when lower is better.
#
# Written for speed at millions of snapshots (issue 7): the latest snapshot is found on narrow
# columns only (the latest date per action, then the tie-break among that date's rows), coverage
# and each agency's last report are settled on those 1-per-action rows, and only then is the wide
# progress row fetched by id. A row_number() window over every snapshot with all its columns
# took ~20 s for one full evaluation at 5.2 million rows; this takes ~0.3 s (same results:
# tests/test_action_state_reference.py compares it with that plain form).
_LIVE_CTES = """
last_date AS (
    SELECT action_id, max(as_of) AS as_of
    FROM progress
    WHERE as_of <= d AND (known IS NULL OR recorded_at <= known)
    GROUP BY action_id
),
latest AS (
    SELECT l.action_id, l.as_of, arg_max(p.id, (p.recorded_at, p.id)) AS progress_id
    FROM last_date l JOIN progress p ON p.action_id = l.action_id AND p.as_of = l.as_of
    WHERE known IS NULL OR p.recorded_at <= known
    GROUP BY l.action_id, l.as_of
),
cover AS (
    SELECT ua.agency_code, max(ua.as_of) AS covered_as_of
    FROM upload_agencies ua LEFT JOIN uploads u ON u.id = ua.upload_id
    WHERE ua.as_of <= d AND (known IS NULL OR u.uploaded_at <= known)
    GROUP BY ua.agency_code
),
live AS (
    SELECT l.progress_id, a.agency_code, a.action_code,
        max(l.as_of) OVER (PARTITION BY a.agency_code) AS agency_last_report
    FROM latest l JOIN actions a ON a.id = l.action_id
    LEFT JOIN cover c ON c.agency_code = a.agency_code
    WHERE c.covered_as_of IS NULL OR l.as_of >= c.covered_as_of
)"""
# Over `live` (one row per action in the state: its progress row's id): the wide row and its measures.
# __DAY__ is the date's SQL (the macro's parameter, or a literal for Store.state_sql).
_MEASURED = """
measured AS (
    SELECT p.* EXCLUDE (id), l.progress_id, l.agency_code, l.action_code,
        ag.name AS agency_name, coalesce(ag.short_name, l.agency_code) AS agency_short,
        __DAY__ AS state_date,
        l.agency_last_report,
        """ + measures_sql("__DAY__") + """,
        CASE WHEN budget IS NULL OR budget = 0 THEN NULL ELSE budget_spent / budget END AS budget_absorption
    FROM live l JOIN progress p ON p.id = l.progress_id
    LEFT JOIN agencies ag ON ag.code = l.agency_code
)
SELECT *,
""" + STATUS_SQL + """,
    date_diff('day', agency_last_report, state_date) AS days_since_report,
    date_diff('day', agency_last_report, state_date) < {review_cycle_days} AS reported_in_cycle
FROM measured
"""
ACTION_STATE_SQL = ("CREATE OR REPLACE MACRO action_state(d, known := NULL) AS TABLE\nWITH" + _LIVE_CTES + ","
                    + _MEASURED.replace("__DAY__", "CAST(d AS DATE)"))
# The rows action_state starts from (the costly part: the latest snapshot of every action), for Store.state_sql.
ACTION_LIVE_SQL = "CREATE OR REPLACE MACRO action_live(d, known := NULL) AS TABLE\nWITH" + _LIVE_CTES + "\nSELECT * FROM live"


_STATE_DB = "state_cache"
# The alias of the database file in every connection (smartcity.store._connect), and its row groups.
_FILE_DB = "kotim"
ROW_GROUP_ROWS = 32_768
# Schema of the database file for data derived from the rest, kept across restarts (Store._kept_state).
_DERIVED = "derived"
# action_live's rows kept in the file are only good for the SQL that found them.
_KEPT_DATES = 6
# Results kept in the file by Store.kept_rows, for one data version at most so many.
_KEPT_RESULTS = 24
_LIVE_SIGNATURE = hashlib.sha1(_LIVE_CTES.encode()).hexdigest()[:8]
_SERIAL = itertools.count(1)


@functools.cache
def _code_signature() -> str:
    """A digest of the package's source: results kept by other code (Store.kept_rows) are not read."""
    digest = hashlib.sha1()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _make_room(cur: duckdb.DuckDBPyConnection, family: str, mine: str, most: int, table: str) -> bool:
    """Before `table` is kept in the `derived` schema, in the caller's transaction: of the tables named
    `family`..., drop those not named `mine`... (other data versions, older code), and those named
    `mine`... too when `most` are held already. False when `table` is held (nothing to make)."""
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {_DERIVED}")
    held = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = ? AND starts_with(table_name, ?)", [_DERIVED, family]).fetchall()]
    if table in held:
        return False
    ours = [t for t in held if t.startswith(mine)]
    for old in held:
        if old not in ours or len(ours) >= most:
            cur.execute(f"DROP TABLE {_DERIVED}.{old}")
    return True


BULK_FLUSH = "4MB"


def _connect(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the file `target`, attached with row groups of
    ROW_GROUP_ROWS rows.

    DuckDB writes an insert's rows into the database file as it goes (compressed) only in whole row
    groups; smaller inserts go whole into the write-ahead log at COMMIT, uncompressed. With DuckDB's
    122,880-row groups a 100,000-row upload went whole into the log (55 MB, ~0.3 s of its commit);
    with 65,536 most of it is written during the insert (measured: commit 0.26-0.35 -> 0.11-0.20 s,
    the insert ~0.05-0.1 s longer, the peak of the write 321-465 -> ~300 MB). The size is an option
    of ATTACH, not of a connection to a file, so the file is attached to an in-memory database named
    after it: every Store of this process on one file shares that one DuckDB instance, as connecting
    to the file did (DuckDB keeps one instance per name).

    32,768 rather than 65,536 since the progress rows of an upload come with their ids (smartcity.pipeline.
    _with_progress_ids): DuckDB's threads each write the whole row groups of their share of the rows, where
    a 100,000-row insert on two threads left each less than one 65,536-row group, merged on one thread
    (measured, the progress insert and its commit: ~0.27 -> ~0.20 s)."""
    if target == ":memory:":
        return duckdb.connect(target)
    anchor = duckdb.connect(":memory:store_" + hashlib.sha1(str(Path(target).resolve()).encode()).hexdigest()[:16])
    try:
        attached = anchor.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = ?",
                                  [_FILE_DB]).fetchall()
        if attached and attached[0][0] != read_only:
            raise StoreError("err.store_busy")  # open in this process the other way (as DuckDB refused)
        if not attached:
            anchor.execute(f"SET temp_directory = '{_sql_text(target)}.tmp'")  # beside the file, as before
            # Memory a query lets go of in bulk (its hash tables, an insert's buffers) is given back to the
            # system at 4 MB rather than DuckDB's 512 MB: a 100,000-row upload's peak (insert, then KPI
            # recompute) 398-403 -> 373-374 MB, its time the same (timestamps and VmHWM around its stages).
            anchor.execute(f"SET allocator_bulk_deallocation_flush_threshold = '{BULK_FLUSH}'")
            options = f"ROW_GROUP_SIZE {ROW_GROUP_ROWS}" + (", READ_ONLY" if read_only else "")
            anchor.execute(f"ATTACH IF NOT EXISTS '{_sql_text(target)}' AS {_FILE_DB} ({options})")
        anchor.execute(f"USE {_FILE_DB}")
    except BaseException:
        anchor.close()
        raise
    return anchor


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _status_settings() -> dict:
    return dict(at_risk_gap=float(setting("at_risk_gap")), late_gap=float(setting("late_gap")),
                review_cycle_days=int(setting("review_cycle_days")))


class _StateTables:
    """Names of the in-memory tables of action_state's latest rows (Store.state_sql), by (data version, date, known).

    At most KEEP are kept; one pushed out is dropped only GRACE_S seconds later, so that a query of
    another session that was just given its name can still read it."""

    KEEP = 3
    GRACE_S = 120.0

    def __init__(self):
        self._lock = threading.Lock()
        self._names: dict[tuple, str] = {}
        self._retired: list[tuple[float, str]] = []
        self.drop = None  # set by the Store: drops one table

    def get(self, key: tuple, fill) -> str:
        import time

        with self._lock:
            name = self._names.pop(key, None)
            if name is None:
                name = f"{_STATE_DB}.state_{next(_SERIAL)}"  # unique in the process: Stores may share it
                fill(name)
            self._names[key] = name                      # the most recently used last
            now = time.monotonic()
            while len(self._names) > self.KEEP:
                oldest = next(iter(self._names))
                self._retired.append((now, self._names.pop(oldest)))
            due = [n for at, n in self._retired if now - at > self.GRACE_S]
            self._retired = [(at, n) for at, n in self._retired if now - at <= self.GRACE_S]
        for old in due:
            if self.drop:
                self.drop(old)
        return name


class Store:
    """One DuckDB database file. Share one Store per process; use `cursor()` per thread."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None and str(path) != ":memory:" else path
        target = ":memory:" if path == ":memory:" else str(db_path(path))
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(target)
        self._write_lock = threading.RLock()
        self._states = _StateTables()
        self._per_version: dict[str, tuple[int, object]] = {}
        self._read_only = read_only
        self._measured = _MEASURED.format(**_status_settings())
        # Held weakly: a Store nothing else holds is closed at once, not at the next collection of cycles.
        drop_state = weakref.WeakMethod(self._drop_state)
        self._states.drop = lambda name: (drop := drop_state()) is not None and drop(name)
        self._conn = self._open(target)
        if not read_only:
            if self._migrate():
                # Migrations that rewrote tables of a database with data leave the old and the new blocks in
                # DuckDB's memory until the instance closes: on the 5.2-million-row database of `make bench`
                # the server held ~530 MB after migration 9 and its backup, 93 MB once closed and opened again.
                self._conn.close()
                self._conn = self._open(target)
            self._define_macros()
            self._seed_agencies()

    def _open(self, target: str) -> duckdb.DuckDBPyConnection:
        try:
            conn = _connect(target, self._read_only)
        except duckdb.IOException as e:
            raise StoreError("err.store_busy") from e
        except duckdb.Error as e:
            raise StoreError(detail=str(e)) from e
        # action_state evaluated once per data version and date, shared by every cursor (state_sql)
        if not self._read_only:  # (a read-only database cannot attach one; state_sql then uses the macro)
            # Connections of one process to one file share it (DuckDB keeps one instance per file).
            conn.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {_STATE_DB}")
        return conn

    # -- connection --------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        """Whether the database was opened read-only (nothing can be written, not even derived data)."""
        return self._read_only

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for this thread (DuckDB connections are not shared across threads)."""
        cur = self._conn.cursor()
        if self.path != ":memory:":
            cur.execute(f"USE {_FILE_DB}")  # each connection has its own default database
        return cur

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction: everything in the block commits together or not at all."""
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException as e:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # the transaction is already aborted (e.g. the disk is full); nothing was written
                if isinstance(e, duckdb.Error):
                    raise StoreError(detail=str(e).splitlines()[0]) from e
                raise
            else:
                try:
                    cur.execute("COMMIT")
                except duckdb.Error as e:
                    raise StoreError(detail=str(e)) from e
            finally:
                cur.close()

    def query_df(self, sql: str, params: list | dict | None = None):
        """Run a read query and return a pandas DataFrame (Arrow underneath)."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def query_one(self, sql: str, params: list | dict | None = None):
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchone()
        finally:
            cur.close()

    def state_sql(self, as_of, known=None) -> str:
        """SQL (a parenthesised query, to use in FROM) giving `action_state(as_of, known)` as of the
        current data version.

        action_state spends most of its ~0.3 s (100,000 actions x 52 snapshots) finding each action's
        latest snapshot, and a page asks for it several times (totals, per pillar, per agency, the
        table): those rows (one id per action, ~3 MB) are found once per data version and date into an
        in-memory table; the wide rows and measures are then read by id, in ~10 ms a query (issue 7)."""
        day = f"DATE '{as_of.isoformat()}'"
        if self.read_only:  # nothing can be created: the macro as it is
            at = "NULL" if known is None else f"TIMESTAMP '{known.isoformat(sep=' ')}'"
            return f"(SELECT * FROM action_state({day}, known := {at}))"
        key = (self.data_version(), as_of, known)
        name = self._states.get(key, lambda name: self._fill_state(name, as_of, known))
        return f"(WITH live AS (SELECT * FROM {name}),{self._measured.replace('__DAY__', day)})"

    def _fill_state(self, name: str, as_of, known) -> None:
        """Fill the in-memory table `name` with action_live's rows of `as_of` (and `known`).

        The rows of the current data version (known = None: what the pages show) are also kept in the
        database file (schema `derived`, dropped when the data changes), so that the next process, after
        a restart, copies them in ~10 ms instead of finding every action's latest snapshot again (~0.3 s
        at 5.2 million snapshots; issue 7)."""
        cur = self.cursor()
        try:
            if known is None:
                kept = self._kept_state(as_of)
                if kept is not None:
                    try:
                        cur.execute(f"CREATE TABLE {name} AS SELECT * FROM {kept}")
                        return
                    except duckdb.Error:    # dropped by a write in the meantime: find them again below
                        pass
            cur.execute(f"CREATE TABLE {name} AS SELECT * FROM action_live(?::DATE, known := ?::TIMESTAMP)",
                        [as_of, known])
        finally:
            cur.close()

    def _kept_state(self, as_of) -> str | None:
        """The name of the `derived` table holding action_live(as_of)'s rows of the current data version,
        made when missing (and the tables of other versions dropped); None when it cannot be written."""
        prefix = f"live_{_LIVE_SIGNATURE}_"
        try:
            with self.transaction() as cur:   # one snapshot: the version read is the data the rows come from
                version = int(cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])
                table = f"{prefix}{version}_{as_of:%Y%m%d}"
                if _make_room(cur, "live_", f"{prefix}{version}_", _KEPT_DATES, table):
                    cur.execute(f"CREATE TABLE {_DERIVED}.{table} AS SELECT * FROM action_live(?::DATE)", [as_of])
            return f"{_DERIVED}.{table}"
        except (StoreError, duckdb.Error):    # e.g. another write holds the file: the caller finds the rows itself
            return None

    def kept_rows(self, kind: str, key: tuple, make: Callable[[], tuple[str, list]], order: str):
        """The rows of the query `make()` gives (SQL and parameters), ordered by `order`, kept in the
        database file while the data stay at their version (read here before the query is made: the
        states it reads, of the current data by Store.state_sql, are of that version). `kind` and `key`
        name the rows: every input of the query but the data (the status settings and the code are
        added here).

        A later process, a restarted server, reads the kept rows instead of making and running the query
        (the weekly review's comparison of three dates: ~0.4 s at 100,000 actions, issue 7). The rows of
        other versions are dropped when rows of a new one are kept. A read-only store, a write in the
        meantime, or a file another write holds: the query is run and nothing is kept."""
        version = self.data_version()
        signature = hashlib.sha1(repr((kind, key, self._measured, _code_signature())).encode()).hexdigest()[:16]
        table = f"kept_{version}_{signature}"
        if not self.read_only:
            try:
                return self.query_df(f"SELECT * FROM {_DERIVED}.{table} ORDER BY {order}")
            except duckdb.CatalogException:
                pass
        sql, params = make()
        if self.read_only:
            return self.query_df(f"SELECT * FROM ({sql}) ORDER BY {order}", params)
        try:
            with self.transaction() as cur:   # one snapshot: the version read is the data the rows come from
                if int(cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]) != version:
                    raise StoreError("err.store_busy")   # written meanwhile: these rows are not of `version`
                if _make_room(cur, "kept_", f"kept_{version}_", _KEPT_RESULTS, table):
                    cur.execute(f"CREATE TABLE {_DERIVED}.{table} AS {sql}", params)
        except (StoreError, duckdb.Error):
            return self.query_df(f"SELECT * FROM ({sql}) ORDER BY {order}", params)
        return self.query_df(f"SELECT * FROM {_DERIVED}.{table} ORDER BY {order}")

    def _drop_state(self, name: str) -> None:
        cur = self.cursor()
        try:
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        finally:
            cur.close()

    def data_version(self) -> int:
        """A number every write bumps; caches key on it."""
        return int(self.query_one("SELECT value FROM meta WHERE key = 'data_version'")[0])

    def per_version(self, name: str, make: Callable[[], T]) -> T:
        """`make()`, made once per data version of this store and shared: a small result that a page
        asks for several times (the snapshot dates: a scan of every snapshot, ~10 ms at 5.2 M rows).
        The version is read first, so rows a write adds meanwhile only make the next call read again."""
        version = self.data_version()
        kept = self._per_version.get(name)
        if kept is None or kept[0] != version:
            kept = (version, make())
            self._per_version[name] = kept
        return kept[1]

    @staticmethod
    def bump_version(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")

    # -- set-up ------------------------------------------------------------------------
    def schema_version(self) -> int:
        cur = self.cursor()
        try:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
            row = cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
            return int(row[0])
        finally:
            cur.close()

    def _migrate(self) -> bool:
        """Apply the pending migrations; True when they changed a database file that held data."""
        current = self.schema_version()
        pending = [v for v, _ in MIGRATIONS if v > current]
        changed = bool(current and pending and self.path != ":memory:")
        if changed:
            # A database with data is about to change shape: keep a backup from just before.
            from smartcity.backup import backup_connection

            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup_connection(self._conn, Path(self.path).parent / "backups" / f"pre-migration-{current}-{stamp}")
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as cur:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, datetime.now()])
        return changed

    def _define_macros(self) -> None:
        values = _status_settings()
        with self.transaction() as cur:
            cur.execute(ACTION_STATE_SQL.format(**values))
            cur.execute(ACTION_LIVE_SQL)

    def _seed_agencies(self) -> None:
        """Load the agency registry into the agencies table (new codes added, names refreshed), then
        the admins' own additions and edits (smartcity.registry_admin) over it.

        Every process opening the store does this, so it writes only when something would change (a
        write of every agency on each open took ~0.1 s of each page's first run, issue 7)."""
        registry = AgencyRegistry.load(AGENCY_FILE)
        agencies = list(registry.agencies.values())
        columns = [[a.code for a in agencies], [a.name for a in agencies], [a.short for a in agencies],
                   [list(a.aliases) for a in agencies]]
        # What the table must hold for these codes: the file's rows, an admin's edit over the file.
        want = """SELECT * FROM (SELECT unnest(?::VARCHAR[]) AS code, unnest(?::VARCHAR[]) AS name,
                                         unnest(?::VARCHAR[]) AS short_name, unnest(?::VARCHAR[][]) AS aliases)
                  WHERE code NOT IN (SELECT code FROM agency_edits)
                  UNION ALL SELECT code, name, short_name, aliases FROM agency_edits"""
        cur = self.cursor()
        try:
            stale = cur.execute(f"SELECT count(*) FROM ({want} EXCEPT SELECT code, name, short_name, aliases "
                                "FROM agencies)", columns).fetchone()[0]
        finally:
            cur.close()
        if stale:
            with self.transaction() as cur:
                cur.execute(f"INSERT OR REPLACE INTO agencies (code, name, short_name, aliases) {want}", columns)

    def registry(self) -> AgencyRegistry:
        """The agency registry, as stored, with the aliases admins mapped (smartcity.mappings)."""
        from smartcity.agencies import Agency

        cur = self.cursor()
        try:
            rows = cur.execute("SELECT code, name, short_name, aliases FROM agencies").fetchall()
            try:
                extra = dict(cur.execute("SELECT alias_as_written, agency_code FROM agency_aliases").fetchall())
            except duckdb.CatalogException:  # a read-only store opened before migration 4
                extra = {}
        finally:
            cur.close()
        return AgencyRegistry([Agency(c, n, s, tuple(al or ())) for c, n, s, al in rows], extra)


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open (creating and migrating when needed) the store at `path`, SMARTCITY_DB or the default."""
    return Store(path, read_only=read_only)
