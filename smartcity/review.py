"""The weekly review: what changed since the last review, and which agencies have not reported."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from smartcity.changes import KINDS, changes_sql
from smartcity.i18n import t
from smartcity.report import latest_as_of
from smartcity.settings import setting
from smartcity.store import Store, scope_where


@dataclass
class Review:
    since: date
    as_of: date
    changes: pd.DataFrame        # changes_between rows, 'unchanged' left out, worst news first
    not_reported: pd.DataFrame   # agency_code, agency_name, last_report, days_since, owners
    stalled_weeks: int | None = None   # None: 'stalled' means no movement since `since`

    def counts(self) -> dict[str, int]:
        """Changes by kind, worst first (kinds with none left out)."""
        counts = self.changes["kind"].value_counts()
        return {k: int(counts[k]) for k in KINDS if k in counts.index}

    def as_json(self) -> dict:
        agencies = []
        for group in by_agency(self.changes):
            agencies.append({
                "agency": group["agency_code"].iloc[0],
                "name": group["agency_short"].iloc[0],
                "changes": [
                    {"action_code": r.action_code, "activity": r.activity, "kind": r.kind,
                     "status_before": _none(r.status_before), "status_after": _none(r.status_after),
                     "actual_before": _none(r.actual_before), "actual_after": _none(r.actual_after),
                     "budget_spent_before": _none(r.spent_before), "budget_spent_after": _none(r.spent_after)}
                    for r in group.itertuples()
                ],
            })
        return {
            "since": self.since.isoformat(),
            "as_of": self.as_of.isoformat(),
            "stalled_weeks": self.stalled_weeks,
            "counts": self.counts(),
            "agencies": agencies,
            "not_reported": [
                {"agency": r.agency_code, "name": r.agency_name,
                 "last_report": None if pd.isna(r.last_report) else pd.Timestamp(r.last_report).date().isoformat(),
                 "days_since": None if pd.isna(r.days_since) else int(r.days_since)}
                for r in self.not_reported.itertuples()
            ],
        }


def by_agency(changes: pd.DataFrame) -> list[pd.DataFrame]:
    """The changes split per agency, worst news first: the agency with the most 'slipped_late' first,
    then the most 'slipped_at_risk', and so on through changes.KINDS; ties by short name."""
    groups = [rows.reset_index(drop=True) for _, rows in changes.groupby("agency_code", sort=False)]
    counts = [rows["kind"].value_counts() for rows in groups]
    order = sorted(range(len(groups)), key=lambda i: (tuple(-int(counts[i].get(k, 0)) for k in KINDS),
                                                      str(groups[i]["agency_short"].iloc[0]).lower()))
    return [groups[i] for i in order]


def _none(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def previous_snapshot(store: Store, as_of: date) -> date | None:
    """The latest snapshot date before `as_of`: the date of the previous weekly review."""
    return store.query_one("SELECT max(as_of) FROM progress WHERE as_of < ?", [as_of])[0]


def review_since(store: Store, since: date, as_of: date | None = None, stalled_weeks: int | None = None) -> Review:
    """Changes per agency between `since` and `as_of` (default the latest date), worst news first.

    With `stalled_weeks` = N an action is 'stalled' when its actual and budget spent did not move
    over N weeks (its state on `as_of` against its state N x 7 days before) and it is not done;
    one that did not move since `since` but did within the N weeks is left out as unchanged.
    Without it, 'stalled' means no movement since `since` (as changes_between says).
    """
    as_of = as_of or latest_as_of(store) or date.today()
    sql, params = changes_sql_since(store, since, as_of, stalled_weeks)
    changes = store.query_df(f"SELECT * EXCLUDE (rank) FROM ({sql}) ORDER BY rank, agency_code, action_code", params)
    return Review(since, as_of, changes, agencies_not_reported(store, as_of), stalled_weeks)


def stalled_base(as_of: date, weeks: int) -> date:
    """The date a 'stalled for `weeks` weeks' check compares `as_of` with."""
    return as_of - timedelta(weeks=weeks)


def changes_sql_since(store: Store, since: date, as_of: date, stalled_weeks: int | None = None,
                      agency_code: str | None = None, pillar: str | None = None) -> tuple[str, list]:
    """The query of review_since's changes (in the scope of an agency and pillar, when given), with
    each row's `rank` (its kind's place in KINDS: worst first), and its parameters. In SQL, so that a
    page can count and cut them there (100,000 actions: issue 7). The states are read from those the
    store keeps (Store.state_sql), valid while its data version stands."""
    changes = changes_sql(store.state_sql(since), store.state_sql(as_of))
    if stalled_weeks is None:
        judged = f"SELECT * FROM ({changes})"
    else:
        # Re-judge 'stalled' over the N weeks: the state on as_of (the 'after' side) against the state
        # N weeks before. 'moved' since a `since` further back, yet still over the N weeks: stalled;
        # 'stalled' since `since` but moved within the N weeks: unchanged. Other kinds stay.
        judged = f"""
            WITH ch AS ({changes}),
            marked AS (
                SELECT ch.*, coalesce(ch.in_after AND ch.status_after <> 'done' AND b.action_id IS NOT NULL
                                      AND ch.actual_after IS NOT DISTINCT FROM b.actual
                                      AND ch.spent_after IS NOT DISTINCT FROM b.budget_spent, false) AS still
                FROM ch LEFT JOIN {store.state_sql(stalled_base(as_of, stalled_weeks))} b
                     ON b.agency_code = ch.agency_code AND b.action_code = ch.action_code
            )
            SELECT * EXCLUDE (still) REPLACE (
                CASE WHEN kind IN ('stalled', 'moved') AND still THEN 'stalled'
                     WHEN kind = 'stalled' THEN 'unchanged'
                     ELSE kind END AS kind)
            FROM marked"""
    where, params = scope_where(pillar, agency_code)
    return (f"""SELECT *, list_position({list(KINDS)!r}, kind) AS rank FROM ({judged})
                WHERE kind <> 'unchanged' {where}""", params)


def agencies_not_reported(store: Store, as_of: date, cycle_days: int | None = None) -> pd.DataFrame:
    """Agencies with actions in the plan that sent no upload or update in the last `cycle_days`.

    Days since the last report count from the last snapshot date on or before `as_of`; the
    responsible persons are those named on the agency's actions.
    """
    cycle = int(cycle_days if cycle_days is not None else setting("review_cycle_days"))
    # Each agency's last report is its actions' latest snapshot date (action_state's agency_last_report:
    # an upload that leaves actions out reports the rest on its date), read from the state kept per data
    # version instead of scanning every snapshot (issue 7).
    return store.query_df(
        f"""WITH s AS (SELECT agency_code, agency_last_report, owner FROM {store.state_sql(as_of)}),
           last AS (SELECT agency_code, max(agency_last_report) AS last_report FROM s GROUP BY agency_code),
           owners AS (
               SELECT agency_code, string_agg(DISTINCT owner, ', ' ORDER BY owner) AS owners
               FROM s WHERE owner IS NOT NULL GROUP BY agency_code
           )
           SELECT l.agency_code, coalesce(ag.name, l.agency_code) AS agency_name, l.last_report,
                  date_diff('day', l.last_report, ?::DATE) AS days_since, o.owners
           FROM last l LEFT JOIN agencies ag ON ag.code = l.agency_code LEFT JOIN owners o USING (agency_code)
           WHERE date_diff('day', l.last_report, ?::DATE) >= ?
           ORDER BY days_since DESC, l.agency_code""",
        [as_of, as_of, cycle],
    )


def missing_reasons(store: Store, as_of: date, agency_code: str | None = None,
                    pillar: str | None = None) -> pd.DataFrame:
    """Late and at-risk actions that lack a reason (faktor penghambat) or a follow-up (tindak lanjut)."""
    sql, params = _missing_sql(store, as_of, agency_code, pillar)
    return store.query_df(sql, params)


def first_missing_reasons(store: Store, as_of: date, agency_code: str | None = None, pillar: str | None = None,
                          limit: int = 1_000) -> tuple[pd.DataFrame, int]:
    """The first `limit` of missing_reasons, and how many there are (one query, its rows kept in the
    database file for the data version: Store.kept_rows)."""
    def query() -> tuple[str, list]:
        sql, params = _missing_sql(store, as_of, agency_code, pillar)
        return (f"SELECT *, count(*) OVER () AS total FROM ({sql}) ORDER BY {_MISSING_ORDER} LIMIT ?",
                [*params, limit])

    rows = store.kept_rows("review.first_missing_reasons", (as_of, agency_code, pillar, limit), query,
                           order=_MISSING_ORDER)
    total = int(rows["total"].iloc[0]) if len(rows) else 0
    return rows.drop(columns="total"), total


def _missing_sql(store: Store, as_of: date, agency_code: str | None, pillar: str | None) -> tuple[str, list]:
    extra, params = scope_where(pillar, agency_code)
    return (f"""SELECT action_id, progress_id, agency_code, agency_short, action_code, activity, pillar, status, owner,
                   obstacle, follow_up, obstacle IS NULL AS missing_obstacle, follow_up IS NULL AS missing_follow_up
            FROM {store.state_sql(as_of)}
            WHERE status IN ('late', 'at_risk') AND (obstacle IS NULL OR follow_up IS NULL) {extra}
            ORDER BY {_MISSING_ORDER}""", params)


# Late first, then at risk; by agency and code.
_MISSING_ORDER = "CASE status WHEN 'late' THEN 0 ELSE 1 END, agency_code, action_code"


def reminder_text(not_reported: pd.DataFrame, as_of: date, lang: str = "id") -> str:
    """A message ready to paste into WhatsApp or e-mail, asking silent agencies to report."""
    lines = [t("review.reminder_head", lang, date=as_of.strftime("%d-%m-%Y")), ""]
    for i, r in enumerate(not_reported.itertuples(), start=1):
        who = f" ({t('review.reminder_pic', lang)}: {r.owners})" if isinstance(r.owners, str) and r.owners else ""
        last = pd.Timestamp(r.last_report).strftime("%d-%m-%Y")
        lines.append(f"{i}. {r.agency_name}{who}: {t('review.reminder_last', lang, date=last, days=int(r.days_since))}")
    lines += ["", t("review.reminder_tail", lang)]
    return "\n".join(lines)
