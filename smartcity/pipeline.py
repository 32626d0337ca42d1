"""The way of the data: bytes -> ingest -> one transaction in the store -> KPIs recomputed.

`load_file` is the single entry point the upload page, the command line and the demo use;
`preview_file` shows what it would do; `inspect_upload` gives a file's columns for the mapping
step. What an admin taught (agency aliases, pillar assignments, column profiles:
smartcity.mappings) is applied to every file here.
"""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from smartcity.audit import record
from smartcity.auth import SYSTEM_ACTOR, Actor, require_agency_write
from smartcity.checkpoint import checkpoint_later
from smartcity.domain import FIELDS_BY_NAME
from smartcity.ingest.columns import SheetColumns
from smartcity.ingest.isolate import ingest_isolated, inspect_columns_isolated
from smartcity.ingest.result import ActionTable, IngestResult, Problem, RejectedRow, loose_rows
from smartcity.mappings import apply_pillar_assignments, mappings_changed_at, pillar_assignments, saved_profiles
from smartcity.settings import setting
from smartcity.store import Store, StoreError

__all__ = ["SYSTEM_ACTOR", "Preview", "UploadOutcome", "inspect_upload", "load_file", "preview_file"]

# Columns of `progress` that come from a file row, in the order they are inserted.
PROGRESS_FIELDS = (
    "pillar", "dimension", "program", "activity", "indicator", "unit", "baseline", "target", "actual",
    "actual_q1", "actual_q2", "actual_q3", "actual_q4", "quarter_rule", "direction", "budget",
    "budget_spent", "start_date", "due_date", "status", "notes", "owner", "obstacle", "follow_up",
    "budget_spent_q1", "budget_spent_q2", "budget_spent_q3", "budget_spent_q4",
)
_FLOAT_FIELDS = {"baseline", "target", "actual", "actual_q1", "actual_q2", "actual_q3", "actual_q4", "budget",
                 "budget_spent", "budget_spent_q1", "budget_spent_q2", "budget_spent_q3", "budget_spent_q4"}
_DATE_FIELDS = {"start_date", "due_date"}


@dataclass
class UploadOutcome:
    """What happened to one uploaded file, for the page and the command line to show."""

    file_name: str
    status: str                      # loaded | rejected | duplicate (| preview, from preview_file)
    upload_id: int | None = None
    rows_loaded: int = 0
    rows_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)   # file problems, then row problems
    warnings: list[Problem] = field(default_factory=list)
    result: IngestResult | None = None

    def as_json(self, lang: str = "en") -> dict:
        """The shape `python -m smartcity ingest --json` prints for one file."""
        return {
            "file": self.file_name,
            "status": self.status,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "errors": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message(lang)}
                for p in self.problems
            ],
        }


@dataclass
class Preview:
    """What a file would change, computed by loading it in a transaction that is rolled back."""

    outcome: UploadOutcome
    by_pillar_agency: pd.DataFrame      # agency_code, agency_short, pillar, actions
    changes: pd.DataFrame               # smartcity.changes rows for the agencies in the file


class _Rollback(Exception):
    """Raised inside a preview transaction so that nothing it wrote stays."""


def load_file(store: Store, content: bytes, file_name: str, as_of: date, actor: Actor = SYSTEM_ACTOR,
              *, recompute: bool = True, profile: dict | None = None) -> UploadOutcome:
    """Ingest one file and store it as a new snapshot at `as_of` in one transaction.

    The same bytes uploaded again (already loaded) change nothing: status "duplicate", unless a
    mapping (agency alias, pillar assignment, column profile: smartcity.mappings) was saved after
    that load, so a file whose rows were held for an unknown agency or pillar can be sent again.
    A file rejected whole is still kept (bytes and problems) so nothing sent is lost.
    `profile` is passed to smartcity.ingest.ingest_bytes (e.g. {"columns": {field: header}});
    saved column profiles apply by themselves. The file is read in a worker process with a time
    and memory limit (smartcity.ingest.isolate); remembered pillar assignments fill the pillar of
    actions whose file names none. Raises PermissionDenied when `actor` may not write an agency
    the file reports for.
    """
    early, result = _prepare(store, content, file_name, actor, profile, keep_reading=False)
    if early:
        return early
    # A large file's rows are checkpointed into the database file after the answer, not in the commit.
    with checkpoint_later(store, rows=0 if result.rejected_whole else len(result.actions)):
        with store.transaction() as cur:
            outcome = _write(cur, store, content, result, as_of, actor)
        if recompute and outcome.status == "loaded":
            from smartcity.kpi import recompute_kpis

            recompute_kpis(store, since=as_of)
    return outcome


def preview_file(store: Store, content: bytes, file_name: str, as_of: date, actor: Actor = SYSTEM_ACTOR,
                 *, profile: dict | None = None) -> Preview:
    """What `load_file` would do, without keeping anything: counts per pillar and agency, and the
    difference against each agency's current snapshot (new, changed, removed actions, status changes)."""
    from smartcity.changes import changes_sql, _ordered

    early, result = _prepare(store, content, file_name, actor, profile, keep_reading=True)
    empty = pd.DataFrame()
    if early:
        return Preview(early, empty, empty)
    captured: dict = {}
    try:
        with store.transaction() as cur:
            cur.execute("CREATE TEMP TABLE preview_before AS SELECT * FROM action_state(?::DATE)", [as_of])
            outcome = _write(cur, store, content, result, as_of, actor)
            captured["outcome"] = outcome
            if outcome.status == "loaded":
                agencies = sorted(_agency_codes(result.actions))
                marks = ", ".join("?" for _ in agencies)
                captured["by"] = cur.execute(
                    f"""SELECT agency_code, agency_short, pillar, count(*) AS actions
                        FROM action_state(?::DATE) WHERE agency_code IN ({marks})
                        GROUP BY ALL ORDER BY agency_code, pillar""", [as_of, *agencies]).df()
                sql = changes_sql("preview_before", "action_state(?::DATE)")
                changes = cur.execute(f"SELECT * FROM ({sql}) WHERE agency_code IN ({marks})",
                                      [as_of, *agencies]).df()
                captured["changes"] = _ordered(changes)
            raise _Rollback
    except _Rollback:
        pass
    outcome = captured["outcome"]
    outcome.upload_id = None
    if outcome.status == "loaded":
        outcome.status = "preview"
    return Preview(outcome, captured.get("by", empty), captured.get("changes", empty))


def inspect_upload(content: bytes, file_name: str) -> list[SheetColumns]:
    """The header and columns of each sheet of an uploaded file, for the column-mapping step when
    its headers were not recognised: smartcity.ingest.columns.inspect_columns, read in the worker
    process with the same size, time and memory limits as an upload. Raises Unreadable (its `key`
    and `params` name the message, as for a file problem) when the file cannot be read.
    Then: smartcity.mappings.save_profile(store, actor, name, {field: header_text}, sheet.signature),
    and load the file again (or pass profile={"columns": mapping} to load_file / preview_file)."""
    from smartcity.ingest.reader import Unreadable

    limit_mb = float(setting("max_upload_mb"))
    if len(content) > limit_mb * 1024 * 1024:
        raise Unreadable("err.file_too_large", file=file_name, size_mb=f"{len(content) / 1048576:.1f}",
                         limit_mb=f"{limit_mb:g}")
    return inspect_columns_isolated(content, file_name)


def safe_file_name(name: str) -> str:
    """The name a file is shown and stored under: its last path part, no control characters,
    at most 200 characters (the extension kept). Names are only ever stored as text."""
    import unicodedata

    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".") or "berkas"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 2] + "…." + ext) if dot and len(ext) <= 10 else base[:199] + "…"
    return base


def _prepare(store: Store, content: bytes, file_name: str, actor: Actor, profile: dict | None = None,
             keep_reading: bool = False) -> tuple[UploadOutcome | None, IngestResult | None]:
    """Size limit, duplicate check, ingest (with the saved mappings) and permission check:
    everything before writing. A preview keeps its reading for the load that follows it
    (smartcity.ingest.recent); a load takes a kept reading and lets it go."""
    file_name = safe_file_name(file_name)
    limit_mb = float(setting("max_upload_mb"))
    if len(content) > limit_mb * 1024 * 1024:
        problem = Problem("err.file_too_large", {"file": file_name, "size_mb": f"{len(content) / 1048576:.1f}",
                                                  "limit_mb": f"{limit_mb:g}"}, file=file_name)
        return UploadOutcome(file_name, "rejected", problems=[problem]), None

    sha = hashlib.sha256(content).hexdigest()
    # A duplicate is the same bytes loaded after the last mapping change: once an admin has
    # mapped an agency name or assigned a pillar, the very same file may be sent again.
    previous = store.query_one(
        """SELECT id, uploaded_at FROM uploads WHERE sha256 = ? AND status = 'loaded'
           AND uploaded_at >= coalesce(?::TIMESTAMP, '-infinity'::TIMESTAMP) ORDER BY id LIMIT 1""",
        [sha, mappings_changed_at(store)],
    )
    if previous:
        problem = Problem("err.duplicate_upload", {"upload_id": previous[0], "when": f"{previous[1]:%d-%m-%Y %H:%M}"},
                          file=file_name)
        return UploadOutcome(file_name, "duplicate", upload_id=previous[0], problems=[problem]), None

    profile = {**(profile or {}), "saved_profiles": saved_profiles(store)}
    result = ingest_isolated(content, file_name, store.registry(), profile=profile, keep=keep_reading, sha256=sha)
    apply_pillar_assignments(result, pillar_assignments(store))
    _hold_rows_without_pillar(result)
    require_agency_write(actor, _agency_codes(result.actions))
    return None, result


def _hold_rows_without_pillar(result: IngestResult) -> None:
    """An action needs a pillar to be counted; one the file never assigns is kept as a rejected
    row (with its values) so the agency or an admin can assign it, never silently dropped."""
    keep = []
    for row in loose_rows(result.actions):  # an ActionTable's Arrow rows all have a pillar
        if row.values.get("pillar"):
            keep.append(row)
            continue
        raw = {FIELDS_BY_NAME[k].label_id if k in FIELDS_BY_NAME else k: _text(v)
               for k, v in row.values.items() if v is not None and k in FIELDS_BY_NAME}
        problem = Problem("err.row.pillar_missing", {}, file=result.file_name, sheet=row.sheet or None, row=row.row,
                          column=FIELDS_BY_NAME["pillar"].label_id)
        result.rejected.append(RejectedRow(row.sheet, row.row, raw, [problem]))
    if len(keep) != len(loose_rows(result.actions)):
        if isinstance(result.actions, ActionTable):
            result.actions.rows = keep
        else:
            result.actions = keep
        result.rejected.sort(key=lambda r: (r.sheet or "", r.row))


def _agency_codes(actions) -> set[str]:
    if isinstance(actions, ActionTable):
        return actions.column("agency_code")
    return {row.values["agency_code"] for row in actions}


def _text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _write(cur, store: Store, content: bytes, result: IngestResult, as_of: date, actor: Actor) -> UploadOutcome:
    """Write one ingested file inside the caller's transaction."""
    status = "rejected" if result.rejected_whole else "loaded"
    rows_loaded = 0 if result.rejected_whole else len(result.actions)
    agencies = _agency_codes(result.actions)
    upload_id = cur.execute("SELECT nextval('upload_id_seq')").fetchall()[0][0]  # all: the cursor is then free
    _insert_file(cur, result.sha256, content)
    cur.execute(
        "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [upload_id, result.file_name, result.sha256, len(content), actor.username, datetime.now(), as_of,
         rows_loaded, len(result.rejected), status],
    )
    _insert_problems(cur, upload_id, result)
    if not result.rejected_whole and result.actions:
        _insert_actions(cur, upload_id, as_of, actor, result)
        cur.executemany(
            "INSERT INTO upload_agencies VALUES (?, ?, ?)", [(upload_id, code, as_of) for code in sorted(agencies)]
        )
    record(cur, actor, "upload", "upload", upload_id, agency_code=next(iter(agencies)) if len(agencies) == 1 else None,
           after={"file": result.file_name, "sha256": result.sha256, "as_of": as_of, "status": status,
                  "rows_loaded": rows_loaded, "rows_rejected": len(result.rejected), "agencies": sorted(agencies)})
    store.bump_version(cur)
    return UploadOutcome(result.file_name, status, upload_id, rows_loaded, len(result.rejected),
                         problems=result.all_problems(), warnings=list(result.warnings), result=result)


def _insert_file(cur, sha256: str, content: bytes) -> None:
    """Keep the file's bytes (once per content hash). They are handed to DuckDB as an Arrow column:
    bound as a query parameter, the 10 MB of a 100,000-row file took ~0.25 s to convert."""
    import pyarrow as pa

    with _arrow_view(cur, "incoming_file", pa.table({"content": pa.array([content], pa.binary())})):
        cur.execute(
            """INSERT INTO upload_files SELECT ?, content, ?, ? FROM incoming_file
               WHERE NOT EXISTS (SELECT 1 FROM upload_files WHERE sha256 = ?)""",
            [sha256, len(content), datetime.now(), sha256],
        )


@contextmanager
def _arrow_view(cur, name: str, data):
    """`data` (an Arrow table or a pandas frame) readable as the view `name` in `cur` while inside."""
    cur.register(name, data)
    try:
        yield
    finally:
        cur.unregister(name)


def _insert_problems(cur, upload_id: int, result: IngestResult) -> None:
    rows = []
    for level, problems in (("file", result.file_problems), ("warning", result.warnings)):
        rows += [_problem_row(upload_id, level, p) for p in problems]
    for rejected in result.rejected:
        rows += [_problem_row(upload_id, "row", p) for p in rejected.problems]
    if rows:
        _insert_many(cur, "upload_problems", rows, ("i", "s", "s", "i", "s", "s", "s", "s", "s"))
    if result.rejected:
        _insert_many(cur, "rejected_rows", [
            (upload_id, r.sheet, r.row, json.dumps(r.raw, ensure_ascii=False, default=str),
             "; ".join(p.message("id") for p in r.problems), "; ".join(p.message("en") for p in r.problems))
            for r in result.rejected
        ], ("i", "s", "i", "s", "s", "s"))


def _insert_many(cur, table: str, rows: list[tuple], kinds: tuple[str, ...]) -> None:
    """INSERT the rows (columns in the table's order; kinds "i" whole number, "s" text) as one Arrow
    table: executemany ran one statement per row (a file with 8,000 rejected rows and 12,000 messages
    took 20 s to keep them, now ~0.1 s)."""
    import pyarrow as pa

    columns = {}
    for i, kind in enumerate(kinds):
        values = [row[i] for row in rows]
        if kind == "s":
            columns[f"c{i}"] = pa.array([None if v is None else str(v) for v in values], pa.string())
        else:
            columns[f"c{i}"] = pa.array(values, pa.int64())
    with _arrow_view(cur, f"incoming_{table}", pa.table(columns)):
        cur.execute(f"INSERT INTO {table} SELECT * FROM incoming_{table}")


def _problem_row(upload_id: int, level: str, p: Problem) -> tuple:
    return (upload_id, level, p.sheet, p.row, p.column, p.key, json.dumps(p.params, ensure_ascii=False, default=str),
            p.message("id"), p.message("en"))


def _insert_actions(cur, upload_id: int, as_of: date, actor: Actor, result: IngestResult) -> None:
    """Create identities for new actions, then add one progress row per action (never update)."""
    try:
        frame = _incoming_arrow(result.actions) if type(result.actions) is list else _incoming_table(result.actions)
    except (TypeError, ValueError, OverflowError):  # a value of an unexpected type: the general path
        frame = _incoming_frame(list(result.actions))
    frame = _with_progress_ids(cur, frame)
    with _arrow_view(cur, "incoming", frame):
        cur.execute(
            """INSERT INTO actions
               SELECT nextval('action_id_seq'), i.agency_code, i.action_code, ?
               FROM (SELECT DISTINCT agency_code, action_code FROM incoming) i
               WHERE NOT EXISTS (SELECT 1 FROM actions a WHERE a.agency_code = i.agency_code AND a.action_code = i.action_code)""",
            [upload_id],
        )
        inserted = cur.execute(
            """INSERT INTO progress (id, action_id, as_of, upload_id, source, recorded_at, recorded_by,
                   pillar, dimension, program, activity, indicator, unit, baseline, target, actual,
                   actual_q1, actual_q2, actual_q3, actual_q4, quarter_rule, direction, budget, budget_spent,
                   start_date, due_date, reported_status, notes, owner, obstacle, follow_up, sheet, source_row,
                   budget_spent_q1, budget_spent_q2, budget_spent_q3, budget_spent_q4)
               SELECT i.progress_id, a.id, ?, ?, 'upload', ?, ?,
                   i.pillar, i.dimension, i.program, i.activity, i.indicator, i.unit, i.baseline, i.target, i.actual,
                   i.actual_q1, i.actual_q2, i.actual_q3, i.actual_q4, i.quarter_rule, i.direction, i.budget,
                   i.budget_spent, i.start_date, i.due_date, i.status, i.notes, i.owner, i.obstacle, i.follow_up,
                   i.sheet, i.source_row, i.budget_spent_q1, i.budget_spent_q2, i.budget_spent_q3, i.budget_spent_q4
               FROM incoming i JOIN actions a ON a.agency_code = i.agency_code AND a.action_code = i.action_code""",
            [as_of, upload_id, datetime.now(), actor.username],
        ).fetchall()[0][0]
    # Each row of the file is one snapshot of one action. Anything else (an action held twice: migration 9
    # dropped the index that refused it) is a bug, and the whole upload is refused.
    if inserted != len(frame):
        raise StoreError(detail=f"{inserted} progress rows written for {len(frame)} rows of the file")


def _with_progress_ids(cur, frame):
    """The rows with their progress ids (column progress_id), reserved from progress_id_seq in one
    statement. With nextval() inside the insert DuckDB wrote the rows on one thread; with the ids given
    it writes them on all (a 100,000-row upload's progress insert ~0.2 -> ~0.13 s)."""
    import pyarrow as pa

    ids = cur.execute("SELECT nextval('progress_id_seq') AS id FROM range(?)", [len(frame)]).fetchnumpy()["id"]
    if isinstance(frame, pd.DataFrame):
        frame["progress_id"] = ids
        return frame
    # Kept in the batches _incoming_table cut (views, not copies): DuckDB scans one batch per thread.
    table = frame.append_column("progress_id", pa.array(ids))
    return pa.Table.from_batches(table.to_batches(), schema=table.schema)


def _incoming_arrow(actions: list) -> "pa.Table":
    """The rows to insert as an Arrow table built column by column (typed columns that DuckDB scans
    without converting Python objects one by one). Raises TypeError or ValueError when a value is
    not of its column's type (str, float, date or None); the caller then takes the general path."""
    import pyarrow as pa

    names = ("agency_code", "code", *PROGRESS_FIELDS)
    by_column = list(zip(*[tuple(map(row.values.get, names)) for row in actions]))
    columns = {"agency_code": by_column[0], "action_code": by_column[1],
               "sheet": [row.sheet for row in actions], "source_row": [row.row for row in actions]}
    columns.update(zip(PROGRESS_FIELDS, by_column[2:]))
    columns["direction"] = [value or "higher" for value in columns["direction"]]
    arrays = {}
    for name, column in columns.items():
        kinds = set(map(type, column)) - {type(None)}
        if name == "source_row":
            arrays[name] = pa.array(column, pa.int64())
        elif name in _FLOAT_FIELDS:
            if kinds - {float}:
                column = [None if value is None else float(value) for value in column]
            arrays[name] = pa.array(column, pa.float64(), from_pandas=True)  # NaN is NULL, as from pandas
        elif name in _DATE_FIELDS:
            if kinds - {date}:
                raise TypeError(f"{name}: not a date")
            arrays[name] = pa.array(column, pa.date32())
        elif name == "action_code" and kinds - {str}:
            arrays[name] = pa.array([str(value) for value in column], pa.string())
        else:
            if kinds - {str}:
                raise TypeError(f"{name}: not text")
            arrays[name] = pa.array(column, pa.string())
    return pa.table(arrays)


def _incoming_table(actions: ActionTable) -> "pa.Table":
    """The rows of a bulk read as the Arrow table to insert: the Arrow columns renamed and typed as
    `_incoming_arrow` makes them, the rows read one by one appended."""
    import pyarrow as pa

    parts = []
    for table, _names, _optional in actions.tables:
        columns = {"agency_code": table.column("agency_code"), "action_code": table.column("code").cast(pa.string()),
                   "sheet": table.column("sheet"), "source_row": table.column("row").cast(pa.int64())}
        for name in PROGRESS_FIELDS:
            kind = pa.float64() if name in _FLOAT_FIELDS else pa.date32() if name in _DATE_FIELDS else pa.string()
            columns[name] = (table.column(name).cast(kind) if name in table.column_names
                             else pa.nulls(table.num_rows, kind))
        parts.append(pa.table(columns))
    if actions.rows:
        parts.append(_incoming_arrow(actions.rows))
    out = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    # In batches (views, not copies): DuckDB scans one batch per thread, where one 100,000-row batch
    # was converted on one core (the insert's scan of it 0.16 -> 0.10 s). Nothing reads the progress
    # ids in file order: an action's snapshots are ordered by date, time recorded, then id.
    return pa.Table.from_batches(out.to_batches(max_chunksize=12_500), schema=out.schema)


def _incoming_frame(actions: list) -> pd.DataFrame:
    """The rows to insert as a pandas frame, whatever the types of their values (slower)."""
    records = []
    for row in actions:
        v = row.values
        rec = {"agency_code": v["agency_code"], "action_code": str(v["code"]), "sheet": row.sheet, "source_row": row.row}
        for name in PROGRESS_FIELDS:
            value = v.get(name)
            if name in _FLOAT_FIELDS and value is not None:
                value = float(value)
            rec[name] = value
        rec["direction"] = rec["direction"] or "higher"
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    for name in _FLOAT_FIELDS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    for name in _DATE_FIELDS:
        frame[name] = pd.to_datetime(frame[name], errors="coerce").dt.date
    for name in set(PROGRESS_FIELDS) - _FLOAT_FIELDS - _DATE_FIELDS:
        frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
    return frame
