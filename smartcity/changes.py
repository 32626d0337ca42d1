"""What changed between two as-of dates: new, removed, completed and slipped actions, moved numbers.

Both sides come from `action_state`, so a change is judged by the same rules as every page.
Used by the weekly review and by the upload preview (which compares inside a transaction that
is then rolled back).
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

# How bad a status is, for "got worse": done/on track/not started are fine, at risk is worse, late worst.
STATUS_RANK_SQL = "CASE {s} WHEN 'late' THEN 3 WHEN 'at_risk' THEN 2 WHEN 'on_track' THEN 1 WHEN 'not_started' THEN 1 WHEN 'done' THEN 0 END"

# Change kinds, worst news first.
KINDS = ("slipped_late", "slipped_at_risk", "removed", "stalled", "new", "completed", "improved", "moved")

_CHANGES_SQL = f"""
WITH before AS (SELECT * FROM {{before}}),
     after AS (SELECT * FROM {{after}}),
     joined AS (
        SELECT coalesce(a.agency_code, b.agency_code) AS agency_code,
               coalesce(a.agency_short, b.agency_short) AS agency_short,
               coalesce(a.action_code, b.action_code) AS action_code,
               coalesce(a.activity, b.activity) AS activity,
               coalesce(a.pillar, b.pillar) AS pillar,
               b.status AS status_before, a.status AS status_after,
               b.actual AS actual_before, a.actual AS actual_after,
               b.budget_spent AS spent_before, a.budget_spent AS spent_after,
               b.progress_id AS snapshot_before, a.progress_id AS snapshot_after,
               a.action_id IS NOT NULL AS in_after, b.action_id IS NOT NULL AS in_before
        FROM after a FULL OUTER JOIN before b ON a.action_id = b.action_id
     )
SELECT *,
    CASE
        WHEN NOT in_before THEN 'new'
        WHEN NOT in_after THEN 'removed'
        WHEN status_after = 'done' AND status_before <> 'done' THEN 'completed'
        WHEN status_after = 'late' AND status_before <> 'late' THEN 'slipped_late'
        WHEN {STATUS_RANK_SQL.format(s='status_after')} > {STATUS_RANK_SQL.format(s='status_before')} THEN 'slipped_at_risk'
        WHEN {STATUS_RANK_SQL.format(s='status_after')} < {STATUS_RANK_SQL.format(s='status_before')} THEN 'improved'
        WHEN actual_after IS DISTINCT FROM actual_before OR spent_after IS DISTINCT FROM spent_before THEN 'moved'
        WHEN status_after <> 'done' THEN 'stalled'
        ELSE 'unchanged'
    END AS kind
FROM joined
"""


def changes_between(cur: duckdb.DuckDBPyConnection, before: date, after: date) -> pd.DataFrame:
    """One row per action that exists on either date, with its change `kind`, worst news first.

    Kinds: slipped_late, slipped_at_risk, removed, stalled (numbers did not move and not done),
    new, completed, improved, moved (actual or budget spent changed), unchanged.
    """
    return _ordered(cur.execute(changes_sql("action_state(?::DATE)", "action_state(?::DATE)"), [before, after]).df())


def changes_sql(before: str, after: str) -> str:
    """The change query between two table expressions shaped like action_state (trusted SQL only)."""
    return _CHANGES_SQL.replace("{before}", before).replace("{after}", after)


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    order = {k: i for i, k in enumerate((*KINDS, "unchanged"))}
    df["rank"] = df["kind"].map(order)
    return df.sort_values(["rank", "agency_code", "action_code"]).drop(columns="rank").reset_index(drop=True)


# Newest correction first; the rows of one upload by agency and action.
CORRECTIONS_ORDER = "recorded_at DESC, agency_code, action_code, as_of"


def corrections_sql() -> tuple[str, list]:
    """Snapshots that corrected an earlier-recorded one: sent again for the same date, or back-dated
    behind a later snapshot. Both values are kept; this lists them side by side (the SQL, without its
    order: CORRECTIONS_ORDER; and its parameters, none)."""
    # A snapshot and the one it corrected come from batches (as_of, recorded_at) that pair up the
    # same way; the batches are few (an upload is one), so pairing them first leaves the join of
    # progress with itself only the rows that can be corrections (none, in most databases: issue 7).
    return (
        """WITH batch AS (SELECT DISTINCT as_of, recorded_at FROM progress),
                 pair AS (
                    SELECT c.as_of AS c_as_of, c.recorded_at AS c_recorded_at,
                           o.as_of AS o_as_of, o.recorded_at AS o_recorded_at
                    FROM batch c JOIN batch o ON o.recorded_at < c.recorded_at AND o.as_of >= c.as_of
                 )
            SELECT a.agency_code, a.action_code, c.activity, c.as_of, c.recorded_at, c.recorded_by,
                   o.actual AS actual_before, c.actual AS actual_after,
                   o.budget_spent AS spent_before, c.budget_spent AS spent_after,
                   o.recorded_at AS original_recorded_at
            FROM progress c
            JOIN actions a ON a.id = c.action_id
            JOIN progress o ON o.action_id = c.action_id AND o.recorded_at < c.recorded_at
                 AND (o.as_of = c.as_of OR o.as_of > c.as_of)
            WHERE (c.as_of, c.recorded_at) IN (SELECT (c_as_of, c_recorded_at) FROM pair)
              AND (o.as_of, o.recorded_at) IN (SELECT (o_as_of, o_recorded_at) FROM pair)
            QUALIFY row_number() OVER (PARTITION BY c.id ORDER BY (o.as_of = c.as_of) DESC, o.recorded_at DESC) = 1""",
        [])
