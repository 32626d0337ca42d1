"""The read model of the Tinjauan Mingguan (weekly review) page.

Everything the weekly meeting looks at, for one as-of date: who has not reported (with the
reminder to send them), what changed per agency since the last review (worst news first),
late and at-risk actions without a reason or follow-up, corrections of earlier snapshots,
and the meeting's decisions (last review's, with their follow-up, and this review's).
The review date of a decision is the as-of date under review. Nothing here knows about Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcity.changes import KINDS, corrections
from smartcity.decisions import decisions, open_from_last_review, previous_review_date
from smartcity.kpi import snapshot_dates
from smartcity.review import (agencies_not_reported, by_agency, missing_reasons, previous_snapshot, reminder_text,
                              review_since, stalled_base)
from smartcity.settings import setting
from smartcity.store import Store
from smartcity.views import Filters, KpiView, kpi_board, resolve_as_of

DEFAULT_STALLED_WEEKS = 2
REPORTED_KPI = "agencies_reported"    # the KPI of kpi_definitions.yaml that counts agencies reporting
BAD_NEWS = ("slipped_late", "slipped_at_risk", "removed", "stalled")


@dataclass
class AgencyChanges:
    """One agency's changes since the last review, worst first."""

    agency_code: str
    agency_short: str
    counts: dict[str, int]         # by kind, in the order of changes.KINDS (kinds with none left out)
    changes: pd.DataFrame          # the Review.changes rows of the agency

    @property
    def bad_news(self) -> bool:
        """Whether anything slipped, was removed or stalled."""
        return any(k in self.counts for k in BAD_NEWS)


@dataclass
class WeeklyReview:
    """The weekly review of the as-of date (see the module docstring)."""

    as_of: date
    since: date | None             # compared with (None: no earlier snapshot)
    since_choices: list[date]      # snapshot dates before as_of, newest first
    stalled_weeks: int
    stalled_base: date             # 'stalled' = no movement between this date and as_of
    counts: dict[str, int]         # changes by kind, KINDS order, kinds with none left out
    agencies: list[AgencyChanges]  # worst news first
    not_reported: pd.DataFrame     # agency_code, agency_name, last_report, days_since, owners
    agencies_in_scope: int
    cycle_days: int
    reminder: str                  # the message to the silent agencies ('' when all reported)
    reported_kpi: KpiView | None   # the agencies_reported KPI over the whole plan
    missing_reasons: pd.DataFrame  # review.missing_reasons rows in scope
    corrections: pd.DataFrame      # changes.corrections of dates up to as_of in scope, with agency_short
    decisions: pd.DataFrame        # this review's decisions (decisions.decisions rows)
    last_review: date | None       # the previous review date with decisions
    last_decisions: pd.DataFrame   # its decisions with their latest follow-up
    actions: pd.DataFrame          # agency_code, action_id, action_code, activity: what a decision may name


def _in_scope(df: pd.DataFrame, filters: Filters, *, pillar: bool = True) -> pd.DataFrame:
    if filters.agency and "agency_code" in df:
        df = df[df["agency_code"] == filters.agency]
    if filters.pillar and pillar and "pillar" in df:
        df = df[df["pillar"] == filters.pillar]
    return df.reset_index(drop=True)


def _by_agency(changes: pd.DataFrame) -> list[AgencyChanges]:
    groups = []
    for rows in by_agency(changes):
        counts = rows["kind"].value_counts()
        groups.append(AgencyChanges(str(rows["agency_code"].iloc[0]), str(rows["agency_short"].iloc[0]),
                                    {k: int(counts[k]) for k in KINDS if k in counts.index}, rows))
    return groups


def _reported_kpi(store: Store, as_of: date, lang: str) -> KpiView | None:
    board = kpi_board(store, Filters(as_of=as_of), lang)
    return next((k for k in board.kpis if k.id == REPORTED_KPI), None)


def weekly_review(store: Store, filters: Filters, since: date | None = None,
                  stalled_weeks: int = DEFAULT_STALLED_WEEKS, lang: str = "id") -> WeeklyReview | None:
    """The review of the filters' as-of date against `since` (default: the snapshot before it).

    The pillar and agency filters narrow the changes, reasons and decisions; `stalled_weeks` is
    how long an action's numbers must stand still to count as stalled. None on an empty database.
    """
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return None
    choices = [d for d in reversed(snapshot_dates(store)) if d < as_of]
    since = since if since in choices else previous_snapshot(store, as_of)
    if since is not None:
        review = review_since(store, since, as_of, stalled_weeks=stalled_weeks)
        changes = _in_scope(review.changes, filters)
    else:
        changes = pd.DataFrame(columns=["agency_code", "agency_short", "action_code", "kind"])
    state = store.query_df(
        """SELECT agency_code, pillar, action_id, action_code, activity FROM action_state(?::DATE)
           ORDER BY agency_code, action_code""", [as_of])
    state = _in_scope(state, filters)
    silent = agencies_not_reported(store, as_of)
    silent = silent[silent["agency_code"].isin(set(state["agency_code"]))].reset_index(drop=True)
    cur = store.cursor()
    try:
        fixes = corrections(cur)
    finally:
        cur.close()
    fixes = fixes[pd.to_datetime(fixes["as_of"]).dt.date <= as_of]
    names = store.query_df("SELECT code AS agency_code, short_name AS agency_short FROM agencies")
    fixes = _in_scope(fixes, filters).merge(names, on="agency_code", how="left")
    counts = changes["kind"].value_counts()
    last = previous_review_date(store, as_of)
    return WeeklyReview(
        as_of=as_of, since=since, since_choices=choices, stalled_weeks=stalled_weeks,
        stalled_base=stalled_base(as_of, stalled_weeks),
        counts={k: int(counts[k]) for k in KINDS if k in counts.index},
        agencies=_by_agency(changes),
        not_reported=silent, agencies_in_scope=int(state["agency_code"].nunique()),
        cycle_days=int(setting("review_cycle_days")),
        reminder=reminder_text(silent, as_of, lang) if len(silent) else "",
        reported_kpi=_reported_kpi(store, as_of, lang),
        missing_reasons=missing_reasons(store, as_of, filters.agency, filters.pillar),
        corrections=fixes,
        decisions=decisions(store, review_date=as_of, agency_code=filters.agency),
        last_review=last,
        last_decisions=_in_scope(open_from_last_review(store, as_of), filters, pillar=False),
        actions=state.drop(columns="pillar"),
    )
