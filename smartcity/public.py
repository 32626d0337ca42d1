"""The public progress view (the kolaborasi pillar: transparency): what citizens and partners may see.

Only whitelisted columns ever leave this module: figures per pillar and per agency, the KPIs
marked `public: true` in kpi_definitions.yaml, and the completed actions described by their
activity and indicator. No person is named (owner, recorded_by, uploaded_by) and no internal
text is shown (notes, obstacles, follow-ups, review decisions): those columns are never
selected, and `PUBLIC_COLUMNS` is checked on every table before it is returned. The one
exception is deliberate: the notes of a completed action an admin marked public
(smartcity.publication) are selected as `public_note`; every other action's is NULL.

The view is always of the latest date with data and ignores the dashboard's internal filters.
Percentages are scaled to 0-100, money is in rupiah. The completed actions (about 48,000 of a
plan of 100,000 by the end of its year) are read a page per pillar at a time (completed_actions);
the pillars' figures count them all.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from smartcity.kpi import load_kpis
from smartcity.store import Store
from smartcity.views import PILLARS, Filters, Summary, kpi_rows, plan_figures, resolve_as_of

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

# Completed actions shown at once per pillar; the rest a page at a time.
COMPLETED_PAGE = 50

# One page of each pillar's completed actions (`w`: the pillar and the rows before its page), with
# the pillar's count. The notes only of actions marked public (action_publication); never any other
# internal text. A page past the end (the data changed meanwhile) is the last one. {state}: the actions
# as they stood on the date (Store.state_sql).
_COMPLETED_SQL = """
WITH done AS (
    SELECT s.agency_short, s.pillar, s.activity, s.indicator, s.unit, s.target, s.actual,
           CASE WHEN p.public THEN nullif(trim(s.notes), '') END AS public_note,
           row_number() OVER (PARTITION BY s.pillar ORDER BY lower(s.agency_short), s.action_code) AS n,
           count(*) OVER (PARTITION BY s.pillar) AS total
    FROM {state} s LEFT JOIN action_publication p ON p.action_id = s.action_id
    WHERE s.status = 'done'
),
w AS (SELECT unnest($pillars::VARCHAR[]) AS pillar, unnest($skips::BIGINT[]) AS skip),
paged AS (SELECT d.*, least(w.skip, (d.total - 1) // $size * $size) AS skipped FROM done d JOIN w USING (pillar))
SELECT * FROM paged WHERE n > skipped AND n <= skipped + $size ORDER BY pillar, n"""


@dataclass(frozen=True)
class PublicView:
    """The public page: the date, the whole plan and each pillar, agencies, public KPIs."""

    as_of: date
    total: Summary
    pillars: list[Summary]
    agencies: pd.DataFrame         # PUBLIC_COLUMNS["agencies"], best achievement first
    kpis: pd.DataFrame             # PUBLIC_COLUMNS["kpis"], in definition order


@dataclass(frozen=True)
class CompletedPage:
    """One page of a pillar's completed actions, and how many it has in all."""

    pillar: str
    rows: pd.DataFrame             # PUBLIC_COLUMNS["completed"], by agency and code
    total: int
    page: int                      # 1-based
    pages: int
    page_size: int

    @property
    def first(self) -> int:
        """The number of the first row shown (1-based; 0 when there is none)."""
        return (self.page - 1) * self.page_size + 1 if len(self.rows) else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if len(self.rows) else 0


def _only(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """`df` cut to the whitelisted columns of `table`, in their order."""
    return df.reindex(columns=list(PUBLIC_COLUMNS[table])).reset_index(drop=True)


def public_kpis(store: Store, as_of: date, lang: str = "id") -> pd.DataFrame:
    """The KPIs marked public, over the whole plan, on the KPI date for `as_of`."""
    public = {k.id: k for k in load_kpis(store=store) if k.public}
    values = kpi_rows(store, as_of, lang)
    rows = [{"kpi_id": v.kpi_id, "name": v.name, "description": public[v.kpi_id].description.get(lang),
             "unit": v.unit, "direction": public[v.kpi_id].direction, "value": v.value, "target": v.target,
             "status": v.status}
            for v in values.itertuples(index=False) if v.kpi_id in public]
    return _only(pd.DataFrame(rows, columns=list(PUBLIC_COLUMNS["kpis"])), "kpis")


def public_view(store: Store, lang: str = "id") -> PublicView | None:
    """Everything the public page shows but the completed actions, on the latest date with data (None when
    there is none)."""
    as_of = resolve_as_of(store, Filters())
    if as_of is None:
        return None
    total, pillars, agencies = plan_figures(store, Filters(as_of=as_of), as_of)
    return PublicView(
        as_of=as_of,
        total=total,
        pillars=pillars,
        agencies=_only(agencies, "agencies"),
        kpis=public_kpis(store, as_of, lang),
    )


def completed_actions(store: Store, as_of: date, pages: Mapping[str, int] | None = None,
                      page_size: int | None = None) -> dict[str, CompletedPage]:
    """Per pillar, page `pages[pillar]` (1-based; default 1) of its completed actions on `as_of`, in one query.

    Each page holds at most `page_size` (COMPLETED_PAGE) actions described by PUBLIC_COLUMNS["completed"] only.
    """
    pages, page_size = pages or {}, page_size or COMPLETED_PAGE
    skips = [max(0, int(pages.get(p, 1)) - 1) * page_size for p in PILLARS]
    sql = _COMPLETED_SQL.format(state=store.state_sql(as_of))
    df = store.query_df(sql, {"pillars": list(PILLARS), "skips": skips, "size": page_size})
    result = {}
    for pillar in PILLARS:
        mine = df[df["pillar"] == pillar]
        total = int(mine["total"].iloc[0]) if len(mine) else 0
        page = int(mine["skipped"].iloc[0]) // page_size + 1 if len(mine) else 1
        result[pillar] = CompletedPage(pillar, _only(mine, "completed"), total, page,
                                       max(1, -(-total // page_size)), page_size)
    return result
