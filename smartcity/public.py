"""The public progress view (the kolaborasi pillar: transparency): what citizens and partners may see.

Only whitelisted columns ever leave this module: figures per pillar and per agency, the KPIs
marked `public: true` in kpi_definitions.yaml, and the completed actions described by their
activity and indicator. No person is named (owner, recorded_by, uploaded_by) and no internal
text is shown (notes, obstacles, follow-ups, review decisions): those columns are never
selected, and `PUBLIC_COLUMNS` is checked on every table before it is returned. The one
exception is deliberate: the notes of a completed action an admin marked public
(smartcity.publication) are selected as `public_note`; every other action's is NULL.

The view is always of the latest date with data and ignores the dashboard's internal filters.
Percentages are scaled to 0-100, money is in rupiah.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcity.kpi import load_kpis
from smartcity.store import Store
from smartcity.views import Filters, Summary, agency_table, kpi_board, overview, resolve_as_of

# Every column a public table may hold, per table. Anything else is a bug, not a feature.
PUBLIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": ("agency_short", "agency_name", "actions", "achievement", "absorption", "done"),
    "kpis": ("kpi_id", "name", "description", "unit", "direction", "value", "target", "status"),
    "completed": ("agency_short", "pillar", "activity", "indicator", "unit", "target", "actual", "public_note"),
}

# Columns that hold a person's name or internal text: never in a public table (tests check this).
PRIVATE_COLUMNS = frozenset({
    "owner", "owners", "recorded_by", "uploaded_by", "decided_by", "username", "notes", "obstacle",
    "follow_up", "reported_status", "file_name", "sheet", "source_row", "upload_id", "decision",
})

# The notes only of actions marked public (action_publication); never any other internal text.
_COMPLETED_SQL = """
SELECT s.agency_short, s.pillar, s.activity, s.indicator, s.unit, s.target, s.actual,
       CASE WHEN p.public THEN nullif(trim(s.notes), '') END AS public_note
FROM action_state(?::DATE) s LEFT JOIN action_publication p ON p.action_id = s.action_id
WHERE s.status = 'done'
ORDER BY s.pillar, lower(s.agency_short), s.action_code"""


@dataclass(frozen=True)
class PublicView:
    """The public page: the date, the whole plan and each pillar, agencies, public KPIs, completed actions."""

    as_of: date
    total: Summary
    pillars: list[Summary]
    agencies: pd.DataFrame         # PUBLIC_COLUMNS["agencies"], best achievement first
    kpis: pd.DataFrame             # PUBLIC_COLUMNS["kpis"], in definition order
    completed: pd.DataFrame        # PUBLIC_COLUMNS["completed"], by pillar and agency

    def completed_in(self, pillar: str) -> pd.DataFrame:
        """The completed actions of one pillar."""
        return self.completed[self.completed["pillar"] == pillar].reset_index(drop=True)


def _only(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """`df` cut to the whitelisted columns of `table`, in their order."""
    return df.reindex(columns=list(PUBLIC_COLUMNS[table])).reset_index(drop=True)


def public_kpis(store: Store, as_of: date, lang: str = "id") -> pd.DataFrame:
    """The KPIs marked public, over the whole plan, on the KPI date for `as_of`."""
    public = {k.id for k in load_kpis(store=store) if k.public}
    board = kpi_board(store, Filters(as_of=as_of), lang)
    rows = [{"kpi_id": k.id, "name": k.name, "description": k.description, "unit": k.unit,
             "direction": k.direction, "value": k.value, "target": k.target, "status": k.status}
            for k in board.kpis if k.id in public]
    return _only(pd.DataFrame(rows, columns=list(PUBLIC_COLUMNS["kpis"])), "kpis")


def public_view(store: Store, lang: str = "id") -> PublicView | None:
    """Everything the public page shows, on the latest date with data (None when there is none)."""
    as_of = resolve_as_of(store, Filters())
    if as_of is None:
        return None
    scope = Filters(as_of=as_of)
    summary = overview(store, scope)
    return PublicView(
        as_of=as_of,
        total=summary.total,
        pillars=summary.pillars,
        agencies=_only(agency_table(store, scope, as_of), "agencies"),
        kpis=public_kpis(store, as_of, lang),
        completed=_only(store.query_df(_COMPLETED_SQL, [as_of]), "completed"),
    )
