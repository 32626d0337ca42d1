"""History: achievement, budget absorption and status counts on every snapshot date, overall, per
pillar or per agency.

One query over the snapshot dates: `action_state(d)` for each date d, stacked (UNION ALL), so each
date is counted by the same rules as the pages, and shows the data as it was on that date (an
action left out of a later upload still counts on the dates before). Percentages are 0-100.
(A LATERAL join over the dates did the same, but DuckDB decorrelates it into one plan over every
date x every snapshot: 1.6-1.9x slower at 52 dates x 100,000 actions, issue 7.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcity.store import Store
from smartcity.views import _MEASURES, PILLARS, STATUSES, Filters, resolve_as_of

# What the rows are grouped by: (key, label, order) expressions over action_state.
BREAKDOWNS: dict[str, tuple[str, str, str]] = {
    "all": ("'all'", "'all'", "1"),
    "pillar": ("pillar", "pillar", f"list_position({list(PILLARS)!r}, pillar)"),
    "agency": ("agency_code", "any_value(agency_short)", "lower(any_value(agency_short))"),
}

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
    cur = store.cursor()
    try:
        cur.begin()  # the dates and the figures from one snapshot of the data, as a single query would
        dates = [r[0] for r in cur.execute(
            "SELECT DISTINCT as_of FROM progress WHERE as_of <= ? ORDER BY 1", [as_of]).fetchall()]
        # No date yet: one empty branch, so the frame still has its columns and their types.
        branches = ["(SELECT * FROM action_state(?::DATE))"] * len(dates) or ["(SELECT * FROM action_state(?::DATE) LIMIT 0)"]
        where, params = "", dates or [as_of]
        if filters.pillar:
            where += " AND pillar = ?"
            params.append(filters.pillar)
        if filters.agency:
            where += " AND agency_code = ?"
            params.append(filters.agency)
        rows = cur.execute(f"""
            WITH s AS (SELECT * FROM ({" UNION ALL ".join(branches)}) WHERE true {where})
            SELECT state_date AS as_of, {key} AS key, {label} AS label, {_MEASURES}
            FROM s GROUP BY state_date, {key}
            ORDER BY as_of, {order}, key""", params).df()
        cur.rollback()  # nothing was written
    finally:
        cur.close()
    rows["as_of"] = pd.to_datetime(rows["as_of"]).dt.date
    return History(as_of, by, rows[COLUMNS])
