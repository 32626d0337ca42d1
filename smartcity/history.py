"""History: achievement, budget absorption and status counts on every snapshot date, overall, per
pillar or per agency.

One query over every snapshot date at once, by the rules of the `action_state(d)` macro (its SQL
in smartcity.store), so each date is counted as the pages count it and shows the data as it was
on that date (an action left out of a later upload still counts on the dates before).
Percentages are 0-100. Evaluating the macro per date (stacked with UNION ALL) took 52 scans of
every snapshot, 10-30 s at 52 dates x 100,000 actions (issue 7). Here each action's snapshot
of a date is kept for the dates until its next one (one pass over the snapshots), and the
figures are grouped from those rows. tests/test_history.py checks it against the macro per date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcity.settings import setting
from smartcity.store import STATUS_SQL, Store, measures_sql
from smartcity.views import _MEASURES, PILLARS, STATUSES, Filters, resolve_as_of

# What the rows are grouped by: (key, label, order) expressions over action_state.
BREAKDOWNS: dict[str, tuple[str, str, str]] = {
    "all": ("'all'", "'all'", "1"),
    "pillar": ("pillar", "pillar", f"list_position({list(PILLARS)!r}, pillar)"),
    "agency": ("agency_code", "any_value(agency_short)", "lower(any_value(agency_short))"),
}

# action_state(d) of every snapshot date d on or before the first parameter, as rows of (state_date,
# pillar, agency_code, agency_short, budget, budget_spent, achievement_capped, status). The steps
# and the formulas are those of store.ACTION_STATE_SQL (with `known` NULL: store.measures_sql and
# store.STATUS_SQL, the same text), for all dates at once:
#   pick   the snapshot an action shows for one date: of that date's rows the last recorded, then highest id;
#   span   the dates it stays the action's latest: from its date up to the action's next snapshot date;
#   cover  per agency and date, its last upload on or before the date; an upload that left the
#          action out (a later covered date than the action's snapshot) drops it from that date on.
_STATES_SQL = """
WITH dates AS (
    SELECT as_of AS d, row_number() OVER (ORDER BY as_of) AS i
    FROM (SELECT DISTINCT as_of FROM progress WHERE as_of <= ?::DATE)
),
pick AS (
    SELECT action_id, as_of, arg_max(id, (recorded_at, id)) AS progress_id
    FROM progress WHERE as_of <= ?::DATE GROUP BY action_id, as_of
),
span AS (
    SELECT p.action_id, p.as_of, p.progress_id, dt.i AS first_i,
        coalesce(lead(dt.i) OVER (PARTITION BY p.action_id ORDER BY p.as_of),
                 (SELECT count(*) FROM dates) + 1) AS end_i
    FROM pick p JOIN dates dt ON dt.d = p.as_of
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
    SELECT l.state_date, l.agency_code, coalesce(ag.short_name, l.agency_code) AS agency_short,
        p.pillar, p.budget, p.budget_spent, p.reported_status, p.start_date, p.due_date,
        """ + measures_sql("l.state_date") + """
    FROM live l JOIN progress p ON p.id = l.progress_id
    LEFT JOIN agencies ag ON ag.code = l.agency_code
)
SELECT state_date, pillar, agency_code, agency_short, budget, budget_spent,""" + STATUS_SQL + """
FROM measured
"""

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


def history(store: Store, filters: Filters, by: str = "all") -> History:
    """Achievement, absorption and status counts of the actions in the filters' scope on every
    snapshot date on or before the filters' as-of date, overall (`by` = all), per pillar or per agency."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown '{by}'; use one of: {', '.join(BREAKDOWNS)}")
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return History(None, by, pd.DataFrame(columns=COLUMNS))
    key, label, order = BREAKDOWNS[by]
    where, params = "", [as_of, as_of]
    if filters.pillar:
        where += " AND pillar = ?"
        params.append(filters.pillar)
    if filters.agency:
        where += " AND agency_code = ?"
        params.append(filters.agency)
    rows = store.query_df(f"""
        WITH s AS ({_STATES_SQL.format(at_risk_gap=float(setting("at_risk_gap")),
                                        late_gap=float(setting("late_gap")))})
        SELECT state_date AS as_of, {key} AS key, {label} AS label, {_MEASURES}
        FROM s WHERE true {where} GROUP BY state_date, {key}
        ORDER BY as_of, {order}, key""", params)
    rows["as_of"] = pd.to_datetime(rows["as_of"]).dt.date
    return History(as_of, by, rows[COLUMNS])
