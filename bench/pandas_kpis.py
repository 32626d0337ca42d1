"""The baseline for the KPI benchmark: recompute + report done in pandas on data already in memory.

The same rules as store.ACTION_STATE_SQL, kpi.kpi_sql and report.summary_report, written the
way a pandas programmer would: the latest snapshot per action on or before the date (sort +
drop_duplicates), the agencies' coverage, the derived columns and the status with np.select,
then every KPI of kpi_definitions.yaml overall, per pillar and per agency with groupby, and
the report's per-pillar figures. `load_frames` reads the columns this needs once (untimed);
`kpis_and_report` is what is timed. `kpi_differences` and `report_differences` check that both ways agree, so the
comparison is between equal work.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from smartcity.kpi import KpiDefinition, Measure
from smartcity.settings import setting
from smartcity.store import Store

PROGRESS_COLUMNS = ("id", "action_id", "as_of", "recorded_at", "pillar", "baseline", "target", "actual", "direction",
                    "budget", "budget_spent", "start_date", "due_date", "reported_status")


def load_frames(store: Store) -> dict[str, pd.DataFrame]:
    """The tables the computation reads, as DataFrames (dates as datetime64)."""
    cur = store.cursor()
    try:
        progress = cur.execute(f"SELECT {', '.join(PROGRESS_COLUMNS)} FROM progress").df()
        actions = cur.execute("SELECT id AS action_id, agency_code FROM actions").df()
        cover = cur.execute("SELECT agency_code, as_of FROM upload_agencies").df()
    finally:
        cur.close()
    for frame, columns in ((progress, ("as_of", "start_date", "due_date")), (cover, ("as_of",))):
        for name in columns:
            frame[name] = pd.to_datetime(frame[name])
    return {"progress": progress, "actions": actions, "cover": cover}


def action_state(frames: dict[str, pd.DataFrame], d: date) -> pd.DataFrame:
    """Every action's state on `d`: store.ACTION_STATE_SQL in pandas (without the `known` option)."""
    day = pd.Timestamp(d)
    p = frames["progress"]
    p = p[p["as_of"] <= day].sort_values(["action_id", "as_of", "recorded_at", "id"], ascending=False)
    s = p.drop_duplicates("action_id").merge(frames["actions"], on="action_id")
    cover = frames["cover"]
    covered = cover[cover["as_of"] <= day].groupby("agency_code")["as_of"].max().rename("covered_as_of")
    s = s.join(covered, on="agency_code")
    s = s[s["covered_as_of"].isna() | (s["as_of"] >= s["covered_as_of"])]
    s = s.assign(agency_last_report=s.groupby("agency_code")["as_of"].transform("max"))

    base = s["baseline"].fillna(0.0)
    target, actual = s["target"], s["actual"]
    lower = s["direction"] == "lower"
    reached = (lower & (actual <= target)) | (~lower & (actual >= target))
    progress = np.where(target.isna() | actual.isna(), np.nan,
                        np.where(target == base, reached.astype(float), (actual - base) / (target - base)))
    start, due = s["start_date"], s["due_date"]
    span = (due - start).dt.days
    elapsed = np.select(
        [start.isna() | due.isna() | (due <= start), day <= start, day >= due],
        [np.nan, 0.0, 1.0], ((day - start).dt.days / span).to_numpy(dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        achievement = np.where(target.isna() | actual.isna() | (target == 0), np.nan,
                               np.where(lower, (2 * target - actual) / target, actual / target))
        absorption = np.where(s["budget"].isna() | (s["budget"] == 0), np.nan, s["budget_spent"] / s["budget"])
    capped = np.clip(achievement, 0.0, 1.0)  # an action without achievement stays out of the mean

    gap, late_gap = float(setting("at_risk_gap")), float(setting("late_gap"))
    prog0 = np.nan_to_num(progress, nan=0.0)
    has_elapsed = ~np.isnan(elapsed)
    status = np.select(
        [progress >= 1,
         np.isnan(progress) & s["reported_status"].notna(),
         start.notna() & (day < start) & (prog0 <= 0),
         due.notna() & (day > due),
         ~has_elapsed & (prog0 > 0),
         ~has_elapsed,
         (prog0 <= 0) & (elapsed <= gap),
         elapsed - prog0 <= gap,
         elapsed - prog0 <= late_gap],
        [np.full(len(s), "done", dtype=object), s["reported_status"].to_numpy(dtype=object), "not_started", "late",
         "on_track", "not_started", "not_started", "on_track", "at_risk"],
        "late")
    days_since = (day - s["agency_last_report"]).dt.days
    return s.assign(progress=progress, elapsed=elapsed, achievement=achievement, achievement_capped=capped,
                    budget_absorption=absorption, status=status, days_since_report=days_since,
                    reported_in_cycle=days_since < int(setting("review_cycle_days")))


def _mask(state: pd.DataFrame, measure: Measure) -> pd.Series:
    """The rows meeting every condition (SQL semantics: a comparison with NULL is false)."""
    keep = pd.Series(True, index=state.index)
    for c in measure.where:
        col = state[c.field]
        if c.op == "is_null":
            keep &= col.isna()
        elif c.op == "not_null":
            keep &= col.notna()
        elif c.op in ("in", "not_in"):
            hit = col.isin(c.value)
            keep &= col.notna() & (~hit if c.op == "not_in" else hit)
        else:
            ops = {"eq": col.eq, "ne": col.ne, "lt": col.lt, "le": col.le, "gt": col.gt, "ge": col.ge}
            keep &= col.notna() & ops[c.op](c.value)
    return keep


_PANDAS_AGG = {"mean": "mean", "sum": "sum", "min": "min", "max": "max", "median": "median", "count": "count",
               "count_distinct": "nunique"}


def _measure(state: pd.DataFrame, measure: Measure, by: str | None):
    """aggregate(field) FILTER (WHERE ...), overall (by=None) or per value of `by`."""
    rows = state[_mask(state, measure)] if measure.where else state
    if measure.field is None:  # count(*)
        return len(rows) if by is None else rows.groupby(by).size()
    col = rows[measure.field] if by is None else rows.groupby(by)[measure.field]
    value = getattr(col, _PANDAS_AGG[measure.aggregate])()
    if by is None and measure.aggregate == "sum" and not len(rows):
        return np.nan  # SQL sum over no rows is NULL
    return value


def compute_kpis(state: pd.DataFrame, d: date, kpis: list[KpiDefinition]) -> list[tuple]:
    """Rows (kpi_id, scope_type, scope_key, as_of, value, target, status, n) like kpi.compute_kpis."""
    rows = []
    for kpi in kpis:
        s = state if kpi.pillar == "all" else state[state["pillar"] == kpi.pillar]
        f = kpi.formula
        scopes = [("all", None)] + ([("pillar", "pillar")] if kpi.pillar == "all" else []) + [("agency", "agency_code")]
        for scope_type, by in scopes:
            num = _measure(s, f.numerator, by)
            den = _measure(s, f.denominator, by) if f.denominator else None
            if by is None:
                values = {"": _ratio(num, den)}
                counts = {"": len(s)}
            else:
                counts = s.groupby(by).size()
                num = pd.Series(num).reindex(counts.index)
                den = None if den is None else pd.Series(den).reindex(counts.index)
                if f.numerator.aggregate in ("count", "count_distinct"):
                    num = num.fillna(0)
                if den is not None and f.denominator.aggregate in ("count", "count_distinct"):
                    den = den.fillna(0)
                values = {k: _ratio(num[k], None if den is None else den[k]) for k in counts.index}
            for key, value in values.items():
                value = None if value is None or pd.isna(value) else float(value) * f.scale
                rows.append((kpi.id, scope_type, key, d, value, kpi.target, kpi.rag(value), int(counts[key])))
    return rows


def _ratio(num, den):
    if den is None:
        return num
    return np.nan if pd.isna(den) or den == 0 or pd.isna(num) else num / den


def report(state: pd.DataFrame) -> dict:
    """summary_report's totals and per-pillar figures."""
    pillars = {}
    for pillar, g in state.groupby("pillar"):
        counts = g["status"].value_counts()
        pillars[pillar] = {
            "actions": len(g), "achievement": round(float(g["achievement_capped"].mean() * 100), 4),
            "budget": float(g["budget"].sum()), "budget_spent": float(g["budget_spent"].sum()),
            "status": {k: int(counts.get(k, 0)) for k in ("not_started", "on_track", "at_risk", "late", "done")},
        }
    return {"actions": len(state), "agencies": int(state["agency_code"].nunique()),
            "budget": float(state["budget"].sum()), "budget_spent": float(state["budget_spent"].sum()),
            "pillars": pillars}


def kpis_and_report(frames: dict[str, pd.DataFrame], d: date, kpis: list[KpiDefinition]) -> tuple[list, dict]:
    """What is timed: one date's action state, every KPI at every scope, and the report."""
    state = action_state(frames, d)
    return compute_kpis(state, d, kpis), report(state)


def kpi_differences(duck_rows: list[tuple], pd_rows: list[tuple]) -> list[str]:
    """Differences between KPI rows from DuckDB and from pandas (empty when they agree)."""
    problems = []
    duck = {(r[0], r[1], r[2]): (r[4], r[7]) for r in duck_rows}
    mine = {(r[0], r[1], r[2]): (r[4], r[7]) for r in pd_rows}
    if set(duck) != set(mine):
        problems.append(f"KPI scopes differ: {sorted(set(duck) ^ set(mine))[:5]}")
    for key in sorted(set(duck) & set(mine)):
        (a, n_a), (b, n_b) = duck[key], mine[key]
        if n_a != n_b or (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-6 * max(1.0, abs(a))):
            problems.append(f"KPI {key}: duckdb {a} (n={n_a}) vs pandas {b} (n={n_b})")
    return problems[:10]


def report_differences(duck_report: dict, pd_report: dict) -> list[str]:
    """Differences between summary_report and the pandas report (empty when they agree)."""
    problems = []
    for name in ("actions", "agencies", "budget", "budget_spent"):
        if abs(float(duck_report[name]) - float(pd_report[name])) > 1e-6 * max(1.0, abs(float(duck_report[name]))):
            problems.append(f"report {name}: {duck_report[name]} vs {pd_report[name]}")
    for pillar, figures in pd_report["pillars"].items():
        theirs = duck_report["pillars"].get(pillar, {})
        for name in ("actions", "status"):
            if theirs.get(name) != figures[name]:
                problems.append(f"report {pillar} {name}: {theirs.get(name)} vs {figures[name]}")
        if theirs.get("achievement") is not None and abs(theirs["achievement"] - figures["achievement"]) > 1e-3:
            problems.append(f"report {pillar} achievement: {theirs['achievement']} vs {figures['achievement']}")
    return problems[:10]
