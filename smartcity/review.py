"""The weekly review: what changed since the last review, and which agencies have not reported."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from smartcity.changes import KINDS, _ordered, changes_between
from smartcity.i18n import t
from smartcity.report import latest_as_of
from smartcity.settings import setting
from smartcity.store import Store


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
    cur = store.cursor()
    try:
        changes = changes_between(cur, since, as_of)
    finally:
        cur.close()
    if stalled_weeks is not None:
        changes = _stalled_over(store, changes, as_of, stalled_weeks)
    changes = changes[changes["kind"] != "unchanged"].reset_index(drop=True)
    return Review(since, as_of, changes, agencies_not_reported(store, as_of), stalled_weeks)


def stalled_base(as_of: date, weeks: int) -> date:
    """The date a 'stalled for `weeks` weeks' check compares `as_of` with."""
    return as_of - timedelta(weeks=weeks)


def _stalled_over(store: Store, changes: pd.DataFrame, as_of: date, weeks: int) -> pd.DataFrame:
    """Re-judge 'stalled' over `weeks` weeks (see review_since); other kinds stay as they are."""
    still = store.query_df(
        """SELECT a.agency_code, a.action_code
           FROM action_state(?::DATE) a JOIN action_state(?::DATE) b USING (action_id)
           WHERE a.status <> 'done' AND a.actual IS NOT DISTINCT FROM b.actual
             AND a.budget_spent IS NOT DISTINCT FROM b.budget_spent""", [as_of, stalled_base(as_of, weeks)])
    stalled = set(zip(still["agency_code"], still["action_code"]))
    in_stalled = pd.Series([k in stalled for k in zip(changes["agency_code"], changes["action_code"])],
                           index=changes.index, dtype=bool)
    changes = changes.copy()
    # 'moved' since a `since` further back than the N weeks, yet still over the N weeks: stalled.
    changes.loc[changes["kind"].isin(["stalled", "moved"]) & in_stalled, "kind"] = "stalled"
    changes.loc[(changes["kind"] == "stalled") & ~in_stalled, "kind"] = "unchanged"
    return _ordered(changes)


def agencies_not_reported(store: Store, as_of: date, cycle_days: int | None = None) -> pd.DataFrame:
    """Agencies with actions in the plan that sent no upload or update in the last `cycle_days`.

    Days since the last report count from the last snapshot date on or before `as_of`; the
    responsible persons are those named on the agency's actions.
    """
    cycle = int(cycle_days if cycle_days is not None else setting("review_cycle_days"))
    return store.query_df(
        """WITH last AS (
               SELECT a.agency_code, max(p.as_of) AS last_report
               FROM progress p JOIN actions a ON a.id = p.action_id
               WHERE p.as_of <= ? GROUP BY a.agency_code
           ),
           owners AS (
               SELECT agency_code, string_agg(DISTINCT owner, ', ' ORDER BY owner) AS owners
               FROM action_state(?::DATE) WHERE owner IS NOT NULL GROUP BY agency_code
           )
           SELECT l.agency_code, coalesce(ag.name, l.agency_code) AS agency_name, l.last_report,
                  date_diff('day', l.last_report, ?::DATE) AS days_since, o.owners
           FROM last l LEFT JOIN agencies ag ON ag.code = l.agency_code LEFT JOIN owners o USING (agency_code)
           WHERE date_diff('day', l.last_report, ?::DATE) >= ?
           ORDER BY days_since DESC, l.agency_code""",
        [as_of, as_of, as_of, as_of, cycle],
    )


def missing_reasons(store: Store, as_of: date, agency_code: str | None = None,
                    pillar: str | None = None) -> pd.DataFrame:
    """Late and at-risk actions that lack a reason (faktor penghambat) or a follow-up (tindak lanjut)."""
    extra, params = "", [as_of]
    if agency_code:
        extra += " AND agency_code = ?"
        params.append(agency_code)
    if pillar:
        extra += " AND pillar = ?"
        params.append(pillar)
    return store.query_df(
        f"""SELECT action_id, progress_id, agency_code, agency_short, action_code, activity, pillar, status, owner,
                   obstacle, follow_up, obstacle IS NULL AS missing_obstacle, follow_up IS NULL AS missing_follow_up
            FROM action_state(?::DATE)
            WHERE status IN ('late', 'at_risk') AND (obstacle IS NULL OR follow_up IS NULL) {extra}
            ORDER BY CASE status WHEN 'late' THEN 0 ELSE 1 END, agency_code, action_code""", params)


def reminder_text(not_reported: pd.DataFrame, as_of: date, lang: str = "id") -> str:
    """A message ready to paste into WhatsApp or e-mail, asking silent agencies to report."""
    lines = [t("review.reminder_head", lang, date=as_of.strftime("%d-%m-%Y")), ""]
    for i, r in enumerate(not_reported.itertuples(), start=1):
        who = f" ({t('review.reminder_pic', lang)}: {r.owners})" if isinstance(r.owners, str) and r.owners else ""
        last = pd.Timestamp(r.last_report).strftime("%d-%m-%Y")
        lines.append(f"{i}. {r.agency_name}{who}: {t('review.reminder_last', lang, date=last, days=int(r.days_since))}")
    lines += ["", t("review.reminder_tail", lang)]
    return "\n".join(lines)
