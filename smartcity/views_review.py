"""The read model of the Tinjauan Mingguan (weekly review) page.

Everything the weekly meeting looks at, for one as-of date: who has not reported (with the
reminder to send them), what changed per agency since the last review (worst news first),
late and at-risk actions without a reason or follow-up, corrections of earlier snapshots,
and the meeting's decisions (last review's, with their follow-up, and this review's).
The review date of a decision is the as-of date under review. Nothing here knows about Streamlit.

The read model holds counts of everything and the first rows of each long list only (a page
takes it out of the cache on every rerun); the every_* functions give a whole list, for the
Excel downloads, when they are pressed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcity.changes import CORRECTIONS_ORDER, KINDS, corrections_sql
from smartcity.decisions import decisions, open_from_last_review, previous_review_date
from smartcity.kpi import snapshot_dates
from smartcity.review import (agencies_not_reported, by_agency, changes_sql_since, first_missing_reasons,
                              missing_reasons, previous_snapshot, reminder_text, stalled_base)
from smartcity.settings import setting
from smartcity.store import Store, scope_where
from smartcity.views import Filters, KpiView, kpi_board, resolve_as_of

DEFAULT_STALLED_WEEKS = 2
REPORTED_KPI = "agencies_reported"    # the KPI of kpi_definitions.yaml that counts agencies reporting
BAD_NEWS = ("slipped_late", "slipped_at_risk", "removed", "stalled")
# Rows a long list of the review keeps: the page shows these (a rerun takes the whole review out of
# the cache, and 84,000 changes or 44,000 red actions took ~1 s a rerun to copy and draw: issue 7);
# the counts are of every row, and the Excel downloads query every row when they are pressed.
CHANGES_SHOWN = 25                    # per agency, worst first (30 agencies: 750 rows; the Excel holds all)
# Red actions without reasons and corrections: the worst 200 are more than a meeting goes through, and
# styling 1,000 rows took ~0.1 s of the page's first run (issue 7).
ROWS_SHOWN = 200


@dataclass
class AgencyChanges:
    """One agency's changes since the last review: the counts of all, the worst CHANGES_SHOWN rows."""

    agency_code: str
    agency_short: str
    counts: dict[str, int]         # by kind, in the order of changes.KINDS (kinds with none left out)
    shown: pd.DataFrame            # the rows shown of every agency in the review (one frame, shared)

    @property
    def changes(self) -> pd.DataFrame:
        """Its first CHANGES_SHOWN Review.changes rows, worst first. Cut from the review's one frame of
        rows shown when asked: 31 frames of their own took ~0.1 s to pickle into the page's cache."""
        return self.shown[self.shown["agency_code"] == self.agency_code].reset_index(drop=True)

    @property
    def bad_news(self) -> bool:
        """Whether anything slipped, was removed or stalled."""
        return any(k in self.counts for k in BAD_NEWS)

    @property
    def total(self) -> int:
        """How many changes the agency has (`changes` holds the first of them)."""
        return sum(self.counts.values())


@dataclass
class WeeklyReview:
    """The weekly review of the as-of date (see the module docstring): counts of every row, and the
    first rows of each long list (every row: every_change, every_missing_reason, every_correction)."""

    as_of: date
    filters: Filters               # the scope reviewed (for the every_* lists)
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
    missing_reasons: pd.DataFrame  # the first ROWS_SHOWN review.missing_reasons rows in scope
    missing_total: int             # ... and how many there are
    corrections: pd.DataFrame      # the first ROWS_SHOWN of every_correction
    corrections_total: int
    decisions: pd.DataFrame        # this review's decisions (decisions.decisions rows)
    last_review: date | None       # the previous review date with decisions
    last_decisions: pd.DataFrame   # its decisions with their latest follow-up


def _in_scope(df: pd.DataFrame, filters: Filters, *, pillar: bool = True) -> pd.DataFrame:
    if filters.agency and "agency_code" in df:
        df = df[df["agency_code"] == filters.agency]
    if filters.pillar and pillar and "pillar" in df:
        df = df[df["pillar"] == filters.pillar]
    return df.reset_index(drop=True)


def _first_changes(store: Store, filters: Filters, since: date, as_of: date, stalled_weeks: int) -> list[AgencyChanges]:
    """Each agency's counts by kind and its first CHANGES_SHOWN changes, agencies worst news first
    (review.by_agency's order). Counted and cut in the query: of each agency it returns the rows
    shown and, for the count of each kind, one row carrying it (kind_n)."""
    def query() -> tuple[str, list]:
        sql, params = changes_sql_since(store, since, as_of, stalled_weeks, filters.agency, filters.pillar)
        return f"""
            SELECT * FROM (
                SELECT *, count(*) OVER (PARTITION BY agency_code, kind) AS kind_n,
                    row_number() OVER (PARTITION BY agency_code ORDER BY rank, action_code) AS place,
                    row_number() OVER (PARTITION BY agency_code, kind ORDER BY action_code) AS kind_place
                FROM ({sql}))
            WHERE place <= ? OR kind_place = 1""", [*params, CHANGES_SHOWN]

    # Kept in the database file for the data version: a restarted server reads these rows (Store.kept_rows).
    key = (since, as_of, stalled_weeks, filters.agency, filters.pillar, CHANGES_SHOWN)
    rows = store.kept_rows("review.first_changes", key, query, order="rank, agency_code, action_code")
    shown = rows[rows["place"] <= CHANGES_SHOWN].drop(columns=["rank", "kind_n", "place", "kind_place"])
    shown = shown.reset_index(drop=True)
    firsts = rows[rows["kind_place"] == 1]
    found: dict[str, dict[str, int]] = {}
    for code, kind, n in zip(firsts["agency_code"], firsts["kind"], firsts["kind_n"]):
        found.setdefault(code, {})[kind] = int(n)
    names = dict(zip(rows["agency_code"], rows["agency_short"]))
    groups = [AgencyChanges(str(code), str(names[code]), {k: counts[k] for k in KINDS if k in counts}, shown)
              for code, counts in found.items()]
    return sorted(groups, key=lambda g: (tuple(-g.counts.get(k, 0) for k in KINDS), g.agency_short.lower()))


def _reported_kpi(store: Store, as_of: date, lang: str) -> KpiView | None:
    board = kpi_board(store, Filters(as_of=as_of), lang, only=REPORTED_KPI)
    return next(iter(board.kpis), None)


def every_change(store: Store, filters: Filters, since: date, as_of: date,
                 stalled_weeks: int = DEFAULT_STALLED_WEEKS) -> pd.DataFrame:
    """Every change in scope between `since` and `as_of`, agency by agency (worst news first), each
    agency's worst first: what the page's changes show, whole (for the Excel download)."""
    sql, params = changes_sql_since(store, since, as_of, stalled_weeks, filters.agency, filters.pillar)
    rows = store.query_df(f"SELECT * EXCLUDE (rank) FROM ({sql}) ORDER BY rank, agency_code, action_code", params)
    groups = by_agency(rows)
    return pd.concat(groups, ignore_index=True) if groups else rows


def every_missing_reason(store: Store, filters: Filters, as_of: date) -> pd.DataFrame:
    """Every late or at-risk action in scope without a reason or follow-up (review.missing_reasons)."""
    return missing_reasons(store, as_of, filters.agency, filters.pillar)


def every_correction(store: Store, filters: Filters, as_of: date) -> pd.DataFrame:
    """Corrections of dates up to `as_of` in scope, newest first, with the agency's short name."""
    # Kept in the database file for the data version (Store.kept_rows): the pairing scans every snapshot.
    fixes = store.kept_rows("changes.corrections", (), corrections_sql, CORRECTIONS_ORDER)
    fixes = fixes[pd.to_datetime(fixes["as_of"]).dt.date <= as_of]
    names = store.query_df("SELECT code AS agency_code, short_name AS agency_short FROM agencies")
    return _in_scope(fixes, filters).merge(names, on="agency_code", how="left")


def decision_actions(store: Store, filters: Filters, agency_code: str) -> pd.DataFrame:
    """The actions of `agency_code` in the filters' scope on their as-of date, by code: what a decision
    may name (none for an agency outside the agency filter)."""
    as_of = resolve_as_of(store, filters)
    if as_of is None or not agency_code:
        return pd.DataFrame(columns=["action_id", "action_code", "activity"])
    where, params = scope_where(filters.pillar, filters.agency)
    return store.query_df(
        f"""SELECT action_id, action_code, activity FROM {store.state_sql(as_of)}
            WHERE agency_code = ? {where} ORDER BY action_code""", [agency_code, *params])


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
    agencies = _first_changes(store, filters, since, as_of, stalled_weeks) if since is not None else []
    where, params = scope_where(filters.pillar, filters.agency)
    in_scope = set(store.query_df(f"SELECT DISTINCT agency_code FROM {store.state_sql(as_of)} WHERE true {where}",
                                  params)["agency_code"])
    silent = agencies_not_reported(store, as_of)
    silent = silent[silent["agency_code"].isin(in_scope)].reset_index(drop=True)
    missing, missing_total = first_missing_reasons(store, as_of, filters.agency, filters.pillar, ROWS_SHOWN)
    fixes = every_correction(store, filters, as_of)
    last = previous_review_date(store, as_of)
    return WeeklyReview(
        as_of=as_of, filters=filters, since=since, since_choices=choices, stalled_weeks=stalled_weeks,
        stalled_base=stalled_base(as_of, stalled_weeks),
        counts={k: n for k in KINDS if (n := sum(g.counts.get(k, 0) for g in agencies))},
        agencies=agencies,
        not_reported=silent, agencies_in_scope=len(in_scope),
        cycle_days=int(setting("review_cycle_days")),
        reminder=reminder_text(silent, as_of, lang) if len(silent) else "",
        reported_kpi=_reported_kpi(store, as_of, lang),
        missing_reasons=missing, missing_total=missing_total,
        corrections=fixes.head(ROWS_SHOWN), corrections_total=len(fixes),
        decisions=decisions(store, review_date=as_of, agency_code=filters.agency),
        last_review=last,
        last_decisions=_in_scope(open_from_last_review(store, as_of), filters, pillar=False),
    )
