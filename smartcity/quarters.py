"""An action's trend inside its year: performance (K) and rupiah spent (Rp) per quarter, TW I..IV.

Agencies report each quarter's realisation (the Renja form's "Realisasi Triwulan I..IV K | Rp",
a template's "Realisasi TW I" and "Realisasi Anggaran TW I"); the store keeps them per quarter
in progress.actual_q1..q4 and budget_spent_q1..q4. The year's figures follow from them: the
actual by the action's quarter rule (smartcity.ingest.rows.quarter_rule: "sum" for counts,
"latest" for levels), budget_spent always by the sum.

    detail = views.action_detail(store, filters, action_id)
    trend = quarter_trend(detail.fields)
    [(q.quarter, q.actual, q.budget_spent) for q in trend.quarters]   # four rows, TW I..IV
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from smartcity.domain import QUARTER_FIELDS, SPENT_QUARTER_FIELDS
from smartcity.formatting import is_missing

__all__ = ["QuarterFigures", "QuarterTrend", "quarter_trend"]


@dataclass(frozen=True)
class QuarterFigures:
    """What an action reported for one quarter; None where the quarter's cell was empty."""

    quarter: int                    # 1..4 (TW I..TW IV)
    actual: float | None            # K: the performance realised in the quarter
    budget_spent: float | None      # Rp: the rupiah spent in the quarter


@dataclass(frozen=True)
class QuarterTrend:
    """The four quarters of an action's year, with what the year's figures are measured against."""

    quarters: tuple[QuarterFigures, ...]   # always four, TW I..IV in order
    rule: str | None                       # how the year's actual follows from the quarters: sum | latest
    unit: str | None                       # the indicator's unit (satuan), for the K axis
    target: float | None                   # the year's target (K)
    budget: float | None                   # the year's budget (pagu, Rp)

    @property
    def reported(self) -> bool:
        """True when any quarter has a K or Rp value (otherwise there is no trend to show)."""
        return self.has_actual or self.has_spent

    @property
    def has_actual(self) -> bool:
        return any(q.actual is not None for q in self.quarters)

    @property
    def has_spent(self) -> bool:
        return any(q.budget_spent is not None for q in self.quarters)


def quarter_trend(fields: Mapping) -> QuarterTrend:
    """The quarter trend of one action from its fields (a row of action_state, as
    smartcity.views.action_detail returns in `.fields`): K and Rp of TW I..IV as stored."""
    quarters = tuple(
        QuarterFigures(n, _number(fields.get(k)), _number(fields.get(rp)))
        for n, (k, rp) in enumerate(zip(QUARTER_FIELDS, SPENT_QUARTER_FIELDS), start=1))
    return QuarterTrend(quarters, _text(fields.get("quarter_rule")), _text(fields.get("unit")),
                        _number(fields.get("target")), _number(fields.get("budget")))


def _number(value) -> float | None:
    """A stored number, or None for NULL (pandas gives NaN for a NULL in a DOUBLE column)."""
    return None if is_missing(value) else float(value)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None
