"""History: achievement, budget absorption and status counts on every snapshot date, overall, per
pillar or per agency.

One query over every snapshot date at once, by the rules of the `action_state(d)` macro (its SQL
in smartcity.store), so each date is counted as the pages count it and shows the data as it was
on that date (an action left out of a later upload still counts on the dates before).
Percentages are 0-100. Evaluating the macro per date (stacked with UNION ALL) took 52 scans of
every snapshot, 10-30 s at 52 dates x 100,000 actions (issue 7). Here each action's snapshot
of a date is kept for the dates until its next one (one pass over the snapshots), and the
figures are summed per date, pillar and agency (history_grid, a few thousand rows), from which
each breakdown and filter is made (breakdown). tests/test_history.py checks it against the
macro per date.

That pass still took 2.5-3.5 s at 5.2 million snapshots, on every cold page: the grid's rows are
kept (history_figures) when the KPIs are recomputed after a write, and history_grid reads them
(tests/test_history_kept.py checks them against the pass, computed_grid).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from smartcity.errors import StoreError
from smartcity.settings import setting
from smartcity.store import STATUS_SQL, Store, measures_sql
from smartcity.views import PILLARS, STATUSES, Filters, resolve_as_of

# What the rows are grouped by: everything together, per pillar, per agency.
BREAKDOWNS = ("all", "pillar", "agency")

# action_state(d) of every snapshot date d on or before $as_of, for the actions with ids $lo..$hi, as
# rows of (state_date, pillar, agency_code, budget, budget_spent, achievement_capped, status). The
# steps and the formulas are those of store.ACTION_STATE_SQL (with `known` NULL: store.measures_sql
# and store.STATUS_SQL, the same text), for all dates at once:
#   pick   an action's snapshots in order (date, recorded, id): the last of a date is the one it shows
#          for that date, and the next row's date is when the action's next snapshot date begins;
#   span   the dates it stays the action's latest: from its date up to that next snapshot date;
#   cover  per agency and date, its last upload on or before the date; an upload that left the
#          action out (a later covered date than the action's snapshot) drops it from that date on.
# One window over narrow columns finds pick and span together (a GROUP BY of every action and date
# first took twice the time and ~1 GB at 5.2 M snapshots), and only then is the wide row fetched by id.
_STATES_SQL = """
WITH dates AS (
    SELECT as_of AS d, row_number() OVER (ORDER BY as_of) AS i
    FROM (SELECT DISTINCT as_of FROM progress WHERE as_of <= $as_of)
),
pick AS (
    SELECT id AS progress_id, action_id, as_of,
        lead(as_of) OVER (PARTITION BY action_id ORDER BY as_of, recorded_at, id) AS next_as_of
    FROM progress WHERE as_of <= $as_of AND action_id BETWEEN $lo AND $hi
),
span AS (
    SELECT p.progress_id, p.action_id, p.as_of, d1.i AS first_i,
        coalesce(d2.i, (SELECT count(*) FROM dates) + 1) AS end_i
    FROM pick p JOIN dates d1 ON d1.d = p.as_of LEFT JOIN dates d2 ON d2.d = p.next_as_of
    WHERE p.next_as_of IS DISTINCT FROM p.as_of
),
shown AS (
    SELECT action_id, as_of, progress_id, unnest(range(first_i, end_i)) AS i FROM span
),
cover AS (
    SELECT dt.i, ua.agency_code, max(ua.as_of) AS covered_as_of
    FROM dates dt JOIN upload_agencies ua ON ua.as_of <= dt.d
    GROUP BY dt.i, ua.agency_code
),
live AS (
    SELECT dt.d AS state_date, sh.progress_id, a.agency_code
    FROM shown sh JOIN dates dt ON dt.i = sh.i
    JOIN actions a ON a.id = sh.action_id
    LEFT JOIN cover c ON c.i = sh.i AND c.agency_code = a.agency_code
    WHERE c.covered_as_of IS NULL OR sh.as_of >= c.covered_as_of
),
measured AS (
    SELECT l.state_date, l.agency_code, p.pillar, p.budget, p.budget_spent, p.reported_status, p.start_date,
        p.due_date,
        """ + measures_sql("l.state_date") + """
    FROM live l JOIN progress p ON p.id = l.progress_id
)
SELECT state_date, pillar, agency_code, budget, budget_spent,""" + STATUS_SQL + """
FROM measured
"""

# The figures per date, pillar and agency as sums and counts, so that any grouping of them (all,
# per pillar, per agency; any filter) adds up to what _MEASURES gives over the actions themselves.
_FIGURES = """count(*) AS actions,
    sum(achievement_capped) AS achievement_sum, count(achievement_capped) AS achievement_n,
    sum(budget) AS budget, sum(budget_spent) AS budget_spent,
    """ + ",\n    ".join(f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUSES)
_GRID_SQL = """
WITH s AS ({states})
SELECT state_date AS as_of, pillar, agency_code, """ + _FIGURES + """
FROM s GROUP BY ALL"""


def figures_sql(state: str) -> str:
    """The query of one date's history_grid rows (without agency_short) from `state`, that date's
    action_state rows (a table or a parenthesised query); its one parameter is the date. The KPIs'
    recomputation (smartcity.kpi.recompute_kpis) keeps these, from the state it evaluates anyway."""
    return f"SELECT ?::DATE AS as_of, pillar, agency_code, {_FIGURES} FROM {state} GROUP BY pillar, agency_code"


# Actions per query: the query's memory grows with the snapshots it holds; the actions are taken
# this many at a time and their sums added. At 100,000 actions x 52 dates (issue 7) one query over
# all of them raised a bare process's peak by ~520 MB, slices of 25,000 by ~290 MB and of 12,500 by
# ~230 MB, in about the same time (each slice reads the snapshots again, but sorts fewer); on the
# Tinjauan page, slices of 10,000 add ~65 MB to the peak of the rest of the page, 20,000 ~85 MB.
SLICE_ACTIONS = 10_000

COLUMNS = ["as_of", "key", "label", "actions", "achievement", "budget", "budget_spent", "absorption", *STATUSES]


@dataclass
class History:
    """Figures per snapshot date (up to `as_of`) and group; `rows` has the columns of COLUMNS, by date then key."""

    as_of: date | None
    by: str                        # all | pillar | agency
    rows: pd.DataFrame

    @property
    def dates(self) -> list[date]:
        return sorted(set(self.rows["as_of"]))

    def keys(self) -> list[str]:
        """The groups: pillars in their usual order, agencies by short name."""
        return list(dict.fromkeys(self.rows["key"]))


def history_grid(store: Store, as_of: date) -> pd.DataFrame:
    """Sums and counts per snapshot date (up to `as_of`), pillar and agency: as_of, pillar, agency_code,
    agency_short, actions, achievement_sum, achievement_n, budget, budget_spent and the status counts.
    A few thousand rows at most (dates x pillars x agencies), from which `breakdown` makes a History.

    Read from the figures kept when the KPIs were recomputed (history_figures) when they cover every
    snapshot date up to `as_of`; otherwise (a database from before them, snapshots written without a
    recomputation) computed over the snapshots (computed_grid), and kept when the store may be written."""
    grid = _kept_grid(store, as_of)
    if grid is None:
        basis = figures_basis(store)     # before computing: a write meanwhile leaves the figures stale
        grid = _computed_sums(store, as_of)
        if not store.read_only:
            dates = [r[0] for r in store.cursor().execute(
                "SELECT DISTINCT as_of FROM progress WHERE as_of <= ?", [as_of]).fetchall()]
            try:
                with store.transaction() as cur:
                    keep_figures(cur, grid, dates, basis)
            except StoreError:
                pass    # not kept this time (the figures are derived): shown all the same, kept by a later call
    return _named(store, grid)


def computed_grid(store: Store, as_of: date) -> pd.DataFrame:
    """history_grid computed over the snapshots, every date in one pass (the reference of the kept figures)."""
    return _named(store, _computed_sums(store, as_of))


def _computed_sums(store: Store, as_of: date) -> pd.DataFrame:
    lo, hi = store.query_one("SELECT min(id), max(id) FROM actions")
    parts = []
    if lo is not None:
        sql = _GRID_SQL.format(states=_STATES_SQL.format(at_risk_gap=float(setting("at_risk_gap")),
                                                         late_gap=float(setting("late_gap"))))
        for start in range(lo, hi + 1, SLICE_ACTIONS):
            parts.append(store.query_df(sql, {"as_of": as_of, "lo": start, "hi": start + SLICE_ACTIONS - 1}))
    grid = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KEPT_COLUMNS)
    # An agency's actions may fall in two slices: add their sums (min_count: no budget stays no budget).
    # Sorted: the slices' queries return their groups in no set order, and the same data gives the same grid.
    return grid.groupby(["as_of", "pillar", "agency_code"], as_index=False, sort=True).sum(min_count=1)


def _named(store: Store, grid: pd.DataFrame) -> pd.DataFrame:
    names = store.query_df("SELECT code AS agency_code, short_name AS agency_short FROM agencies")
    grid = grid.merge(names, on="agency_code", how="left")
    grid["agency_short"] = grid["agency_short"].fillna(grid["agency_code"])
    grid["as_of"] = pd.to_datetime(grid["as_of"]).dt.date
    return grid[_GRID_COLUMNS]


_GRID_COLUMNS = ["as_of", "pillar", "agency_code", "actions", "achievement_sum", "achievement_n", "budget",
                 "budget_spent", *STATUSES, "agency_short"]
KEPT_COLUMNS = _GRID_COLUMNS[:-1]    # the columns of history_figures
_COUNTS = ["actions", "achievement_n", *STATUSES]


# -- the kept figures (history_figures, history_dates) -----------------------------------------------
# The figures of a date d follow from the snapshots and uploads dated on or before d only, so the
# grid up to X is the kept rows dated on or before X. They are trusted when history_dates names
# every snapshot date up to X, judged by the status gaps in force, and when no snapshot or upload
# was written since they were kept without them being kept again (the basis: the highest snapshot
# id and the number of upload reports, which every such write raises; kept in meta).

def figures_basis(store: Store) -> str:
    """What the snapshots are now, as the kept figures record it: highest progress id / upload reports."""
    top, covers = store.query_one("SELECT (SELECT max(id) FROM progress), (SELECT count(*) FROM upload_agencies)")
    return f"{top}/{covers}"


def _gaps() -> list[float]:
    return [float(setting("at_risk_gap")), float(setting("late_gap"))]


def keep_figures(cur, figures: pd.DataFrame, dates: list[date], basis: str) -> None:
    """Replace the kept figures of `dates` by `figures` (rows of those dates with KEPT_COLUMNS), in the
    caller's transaction, and record `basis` (figures_basis before they were computed)."""
    if dates:
        marks = ", ".join("?" for _ in dates)
        cur.execute(f"DELETE FROM history_figures WHERE as_of IN ({marks})", dates)
        cur.execute(f"DELETE FROM history_dates WHERE as_of IN ({marks})", dates)
        cur.execute("INSERT INTO history_dates SELECT unnest(?::DATE[]), ?, ?, now()::TIMESTAMP", [dates, *_gaps()])
    if len(figures):
        new_figures = figures[KEPT_COLUMNS]
        cur.register("new_figures", new_figures)
        try:
            cur.execute(f"INSERT INTO history_figures SELECT as_of::DATE, {', '.join(KEPT_COLUMNS[1:])} FROM new_figures")
        finally:
            cur.unregister("new_figures")
    cur.execute("INSERT OR REPLACE INTO meta VALUES ('history_basis', ?)", [basis])


def _kept_grid(store: Store, as_of: date) -> pd.DataFrame | None:
    """The kept figures up to `as_of`, or None when they do not cover it (see above)."""
    try:
        missing, kept_basis = store.query_one(
            """SELECT (SELECT count(*) FROM (SELECT DISTINCT as_of FROM progress WHERE as_of <= $as_of) p
                       LEFT JOIN history_dates h USING (as_of)
                       WHERE h.as_of IS NULL OR h.at_risk_gap <> $at_risk_gap OR h.late_gap <> $late_gap),
                      (SELECT value FROM meta WHERE key = 'history_basis')""",
            dict(zip(("as_of", "at_risk_gap", "late_gap"), [as_of, *_gaps()])))
    except duckdb.CatalogException:    # a read-only database from before the kept figures
        return None
    if missing or kept_basis != figures_basis(store):
        return None
    grid = store.query_df(f"SELECT {', '.join(KEPT_COLUMNS)} FROM history_figures WHERE as_of <= ?", [as_of])
    grid[_COUNTS] = grid[_COUNTS].astype("int64")
    return grid


def breakdown(grid: pd.DataFrame, as_of: date | None, filters: Filters, by: str = "all") -> History:
    """The History of the actions in the filters' scope from a history_grid: overall (`by` = all),
    per pillar or per agency, by date then group (pillars in their usual order, agencies by short name)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown '{by}'; use one of: {', '.join(BREAKDOWNS)}")
    rows = grid
    if filters.pillar:
        rows = rows[rows["pillar"] == filters.pillar]
    if filters.agency:
        rows = rows[rows["agency_code"] == filters.agency]
    if rows.empty:
        return History(as_of, by, pd.DataFrame(columns=COLUMNS))
    rows = rows.assign(key="all", label="all") if by == "all" else rows.assign(
        key=rows["pillar"] if by == "pillar" else rows["agency_code"],
        label=rows["pillar"] if by == "pillar" else rows["agency_short"])
    sums = ["actions", "achievement_sum", "achievement_n", "budget", "budget_spent", *STATUSES]
    groups = rows.groupby(["as_of", "key"], sort=False)
    out = groups[sums].sum(min_count=1).join(groups["label"].first()).reset_index()
    out["achievement"] = out["achievement_sum"] / out["achievement_n"].where(out["achievement_n"] > 0) * 100
    out["absorption"] = out["budget_spent"] / out["budget"].where(out["budget"] != 0) * 100
    order = {p: i for i, p in enumerate(PILLARS)}
    out["order"] = (out["key"].map(order) if by == "pillar" else
                    out["label"].str.lower() if by == "agency" else 0)
    out = out.sort_values(["as_of", "order", "key"], kind="stable").reset_index(drop=True)
    for c in ("actions", *STATUSES):
        out[c] = out[c].astype("int64")
    return History(as_of, by, out[COLUMNS])


def history(store: Store, filters: Filters, by: str = "all") -> History:
    """Achievement, absorption and status counts of the actions in the filters' scope on every
    snapshot date on or before the filters' as-of date, overall (`by` = all), per pillar or per agency."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown '{by}'; use one of: {', '.join(BREAKDOWNS)}")
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return History(None, by, pd.DataFrame(columns=COLUMNS))
    return breakdown(history_grid(store, as_of), as_of, filters, by)
