"""The leadership briefing: the figures behind the PDF/PPTX export for the Bupati's meeting.

`briefing_data` gathers, for one as-of date and the dashboard's filters, everything the
briefing shows: the three pillars against their KPI targets, the headline KPIs and how they
moved since the previous briefing, the top risks, the agencies ranked, and what changed.
Every aggregate is computed in DuckDB over the `action_state` macro (the same rules as every
page and KPI); the exports in `briefing_pdf` and `briefing_pptx` only lay it out, with the
charts and words they share from `charts_static`.

Percentages are scaled to 0-100 (75.5 means 75,5%), money is in rupiah.
"""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from smartcity.changes import KINDS
from smartcity.domain import Pillar, Status
from smartcity.errors import SmartCityError
from smartcity.kpi import KpiDefinition, compute_kpis, load_kpis
from smartcity.review import changes_sql_since
from smartcity.store import Store, scope_where
from smartcity.views import Filters, predikat, resolve_as_of

PILLARS = tuple(p.value for p in Pillar)
STATUSES = tuple(s.value for s in Status)
TOP_RISKS = 10            # rows of the risks page
PILLAR_RISKS = 6          # late / at-risk actions listed on a pillar's page
TOP_CHANGES = 8           # changes listed under the counts


class BriefingError(SmartCityError):
    """The briefing cannot be made (no data, unknown output format)."""

    key = "brief.no_data"


@dataclass(frozen=True)
class Measure:
    """A figure against its target; `status` is green/amber/red/none by the KPI's thresholds."""

    value: float | None
    target: float | None = None
    status: str = "none"


@dataclass
class PillarBrief:
    """One pillar (or the whole scope, key 'all'): figures, agencies, and its late/at-risk actions."""

    key: str
    actions: int = 0
    achievement: Measure = Measure(None)
    absorption: Measure = Measure(None)
    budget: float = 0.0
    budget_spent: float = 0.0
    status_counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})
    agencies: pd.DataFrame = field(default_factory=pd.DataFrame)   # ranked by achievement (see _AGENCY_SQL)
    risks: pd.DataFrame = field(default_factory=pd.DataFrame)      # worst first, at most PILLAR_RISKS

    @property
    def predikat(self) -> str | None:
        """The predikat band key of the achievement (i18n 'predikat.<key>')."""
        return predikat(self.achievement.value)

    @property
    def risk_count(self) -> int:
        return self.status_counts.get("late", 0) + self.status_counts.get("at_risk", 0)


@dataclass(frozen=True)
class KpiBrief:
    """A headline KPI: its value, target and traffic light, and its change since the previous briefing."""

    id: str
    name: str
    unit: str
    direction: str
    value: float | None
    target: float | None
    status: str
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


@dataclass
class Changes:
    """What changed since the previous briefing: counts by kind (worst news first) and the top items."""

    since: date | None
    counts: dict[str, int]
    top: pd.DataFrame      # agency_short, action_code, activity, pillar, kind, status_before, status_after


@dataclass
class Briefing:
    """Everything one briefing shows, for one as-of date, language and set of filters.

    `risks` (and each pillar's `risks`) has agency_code, agency_short, agency_name, action_code,
    activity, status, progress and achievement (percent), due_date, owner, obstacle, notes,
    follow_up and rank. The agency tables have agency_code, agency_short, actions,
    achievement, absorption, budget, budget_spent, one count per status, rank_achievement and
    rank_absorption.
    """

    as_of: date
    lang: str
    filters: Filters
    total: PillarBrief
    pillars: list[PillarBrief]
    kpis: list[KpiBrief]
    risks: pd.DataFrame                    # top late / at-risk actions, worst first (at most TOP_RISKS)
    agencies_by_achievement: pd.DataFrame  # every agency in scope, best achievement first
    agencies_by_absorption: pd.DataFrame   # every agency in scope, best budget absorption first
    changes: Changes

    @property
    def since(self) -> date | None:
        """The previous briefing's date that changes are measured from (None: nothing before)."""
        return self.changes.since


# -- queries -----------------------------------------------------------------------------------

_MEASURES = """count(*) AS actions, avg(achievement_capped) * 100 AS achievement,
    coalesce(sum(budget), 0) AS budget, coalesce(sum(budget_spent), 0) AS budget_spent,
    sum(budget_spent) / nullif(sum(budget), 0) * 100 AS absorption, """ + ", ".join(
    f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUSES)

_PILLAR_SQL = f"SELECT coalesce(pillar, 'all') AS key, {_MEASURES} FROM s GROUP BY GROUPING SETS ((), (pillar))"

# Agencies overall (pillar 'all') and within each pillar, with their rank by achievement and by
# budget absorption (1 = best; an agency without a figure ranks last).
_AGENCY_SQL = f"""
SELECT *,
    rank() OVER (PARTITION BY pillar ORDER BY achievement DESC NULLS LAST) AS rank_achievement,
    rank() OVER (PARTITION BY pillar ORDER BY absorption DESC NULLS LAST) AS rank_absorption
FROM (
    SELECT coalesce(pillar, 'all') AS pillar, agency_code, any_value(agency_short) AS agency_short,
           any_value(coalesce(agency_name, agency_code)) AS agency_name, {_MEASURES}
    FROM s GROUP BY GROUPING SETS ((agency_code), (pillar, agency_code))
) g
ORDER BY pillar, rank_achievement, agency_short"""

# Late before at risk, then the least progress (no figure counts as none), then by name.
_RISK_ORDER = "status = 'late' DESC, coalesce(progress, 0), achievement NULLS FIRST, agency_short, action_code"
# The first late / at-risk actions overall and per pillar, ranked; their words (activity, owner,
# kendala...) are read from the state for those rows only ({state}: Store.state_sql). The ranks are
# taken among the candidates, the first `?` overall and per pillar, which hold every action ranked
# before any of them: ranked by a window over every red action, the query took ~0.1 s at 100,000.
_RISK_SQL = f"""
WITH red AS (SELECT * FROM s WHERE status IN ('late', 'at_risk')),
     candidates AS (
        (SELECT action_id FROM red ORDER BY {_RISK_ORDER} LIMIT ?)
        UNION
        (SELECT action_id FROM red QUALIFY row_number() OVER (PARTITION BY pillar ORDER BY {_RISK_ORDER}) <= ?)
     )
SELECT pillar, agency_code, agency_short, coalesce(agency_name, agency_code) AS agency_name, action_code,
       w.activity, status, progress * 100 AS progress, achievement * 100 AS achievement, w.due_date, w.owner,
       nullif(trim(w.obstacle), '') AS obstacle, nullif(trim(w.notes), '') AS notes,
       nullif(trim(w.follow_up), '') AS follow_up,
       row_number() OVER (ORDER BY {_RISK_ORDER}) AS rank,
       row_number() OVER (PARTITION BY pillar ORDER BY {_RISK_ORDER}) AS pillar_rank
FROM red JOIN candidates USING (action_id)
     JOIN (SELECT action_id, activity, due_date, owner, obstacle, notes, follow_up FROM {{state}}) w USING (action_id)
QUALIFY rank <= ? OR pillar_rank <= ?
ORDER BY rank"""


# The columns of the actions' state the briefing's queries read (_PILLAR_SQL, _AGENCY_SQL, _RISK_SQL),
# words left out: _RISK_SQL reads those of its few rows from the state (a table with them took twice
# as long to fill).
_SCOPE_COLUMNS = ("action_id", "pillar", "agency_code", "agency_short", "agency_name", "action_code", "status",
                  "progress", "achievement", "achievement_capped", "budget", "budget_spent")


def _scoped(store: Store, as_of: date, filters: Filters, selects: list[tuple[str, list]]) -> list[pd.DataFrame]:
    """Run each (select, params) over `s`: the actions on `as_of` within the pillar and agency filters.

    `s` is a temporary table of the columns they read, filled once: each query reading the state
    itself (the wide snapshot rows, their measures) took ~0.2 s at 100,000 actions (issue 7)."""
    where, scope_params = scope_where(filters.pillar, filters.agency)
    scope = f"SELECT {', '.join(_SCOPE_COLUMNS)} FROM {store.state_sql(as_of)} WHERE true {where}"
    cur = store.cursor()    # a temporary table is its connection's own: one cursor for all the queries
    try:
        cur.execute(f"CREATE TEMP TABLE s AS {scope}", scope_params)
        return [cur.execute(select, list(params)).df() for select, params in selects]
    finally:
        cur.close()


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def previous_date(store: Store, as_of: date) -> date | None:
    """The snapshot date before `as_of`: the date of the previous weekly briefing."""
    return store.query_one("SELECT max(as_of) FROM progress WHERE as_of < ?", [as_of])[0]


def earlier_dates(store: Store, as_of: date) -> list[date]:
    """Every snapshot date before `as_of`, newest first: the briefings a briefing can be compared with."""
    rows = store.query_df("SELECT DISTINCT as_of FROM progress WHERE as_of < ? ORDER BY as_of DESC", [as_of])
    return [pd.Timestamp(d).date() for d in rows["as_of"]]


# -- KPIs --------------------------------------------------------------------------------------

def _measure_kind(kpi: KpiDefinition) -> str | None:
    """'achievement' or 'absorption' when the KPI measures exactly that over its actions, else None."""
    f = kpi.formula
    num, den = f.numerator, f.denominator
    if num.where or (den is not None and den.where) or f.scale != 100:
        return None
    if den is None and num.aggregate == "mean" and num.field == "achievement_capped":
        return "achievement"
    if (den is not None and num.aggregate == den.aggregate == "sum"
            and num.field == "budget_spent" and den.field == "budget"):
        return "absorption"
    return None


def target_kpi(kpis: list[KpiDefinition], pillar: str, kind: str) -> KpiDefinition | None:
    """The KPI that sets the target of `kind` for `pillar`: the pillar's own, else the overall one."""
    matching = [k for k in kpis if _measure_kind(k) == kind]
    return (next((k for k in matching if k.pillar == pillar), None)
            or next((k for k in matching if k.pillar == "all"), None))


def _measure(kpis: list[KpiDefinition], pillar: str, kind: str, value: float | None) -> Measure:
    kpi = target_kpi(kpis, pillar, kind)
    return Measure(value) if kpi is None else Measure(value, kpi.target, kpi.rag(value))


def _kpi_values(store: Store, d: date, kpis: list[KpiDefinition]) -> pd.DataFrame:
    """KPI values of every scope on `d`: as stored, or computed on the fly (not stored) when missing."""
    stored = store.query_df(
        "SELECT kpi_id, scope_type, scope_key, value, status FROM kpi_values WHERE as_of = ?", [d])
    if {k.id for k in kpis} <= set(stored["kpi_id"]):
        return stored
    rows = [(r[0], r[1], r[2], r[4], r[6]) for r in compute_kpis(store, d, kpis)]
    return pd.DataFrame(rows, columns=["kpi_id", "scope_type", "scope_key", "value", "status"])


def _kpi_scope(kpi: KpiDefinition, filters: Filters) -> tuple[str, str] | None:
    """Which stored row of `kpi` belongs to the filters' scope (None: the KPI is of another pillar).

    As on the KPI page: an agency filter reads the agency's row, a pillar filter the pillar's row
    (a pillar's own KPI stores its pillar as 'all').
    """
    if filters.pillar and kpi.pillar not in ("all", filters.pillar):
        return None
    if filters.agency:
        return "agency", filters.agency
    if filters.pillar and kpi.pillar == "all":
        return "pillar", filters.pillar
    return "all", ""


def _headline_kpis(store: Store, kpis: list[KpiDefinition], as_of: date, since: date | None,
                   filters: Filters, lang: str) -> list[KpiBrief]:
    now = _kpi_values(store, as_of, kpis).set_index(["kpi_id", "scope_type", "scope_key"])
    before = (_kpi_values(store, since, kpis).set_index(["kpi_id", "scope_type", "scope_key"])
              if since else now.iloc[0:0])
    out = []
    for k in kpis:  # one row per KPI definition (about ten), not per action
        scope = _kpi_scope(k, filters)
        if scope is None:
            continue
        key = (k.id, *scope)
        value = _num(now["value"].get(key))
        status = now["status"].get(key, k.rag(value))
        out.append(KpiBrief(k.id, k.name.get(lang), k.unit, k.direction, value, k.target, str(status),
                            _num(before["value"].get(key)) if since else None))
    return out


# -- the briefing ------------------------------------------------------------------------------

def _pillar_brief(key: str, row: dict | None, kpis: list[KpiDefinition]) -> PillarBrief:
    if not row:
        return PillarBrief(key, achievement=_measure(kpis, key, "achievement", None),
                           absorption=_measure(kpis, key, "absorption", None))
    return PillarBrief(
        key, int(row["actions"]),
        _measure(kpis, key, "achievement", _num(row["achievement"])),
        _measure(kpis, key, "absorption", _num(row["absorption"])),
        float(row["budget"]), float(row["budget_spent"]), {s: int(row[s]) for s in STATUSES})


_CHANGE_COLUMNS = ["agency_short", "action_code", "activity", "pillar", "kind", "status_before", "status_after"]


def _changes(store: Store, since: date | None, as_of: date, filters: Filters) -> Changes:
    """review_since's changes in the filters' scope: their counts by kind and the first TOP_CHANGES
    (worst first), counted and cut in the query (100,000 actions have ~80,000 changes: issue 7)."""
    if since is None:
        return Changes(None, {}, pd.DataFrame(columns=_CHANGE_COLUMNS))

    def query() -> tuple[str, list]:
        # Counted by a GROUP BY and cut by a LIMIT (a top-N, not a sort of every change): numbering every
        # change in window functions took twice as long. The first TOP_CHANGES rows, then one per kind.
        sql, params = changes_sql_since(store, since, as_of, None, filters.agency, filters.pillar)
        return f"""
            WITH ch AS MATERIALIZED ({sql}),
                 top AS (SELECT * FROM ch ORDER BY rank, agency_code, action_code LIMIT ?)
            SELECT {', '.join(_CHANGE_COLUMNS)}, rank, agency_code, NULL::BIGINT AS kind_n FROM top
            UNION ALL
            SELECT {', '.join('kind' if c == 'kind' else 'NULL' for c in _CHANGE_COLUMNS)}, NULL, NULL, count(*)
            FROM ch GROUP BY kind""", [*params, TOP_CHANGES]

    # Kept in the database file for the data version: a restarted server reads these rows (Store.kept_rows).
    rows = store.kept_rows("briefing.changes", (since, as_of, filters.agency, filters.pillar, TOP_CHANGES),
                           query, order="kind_n NULLS FIRST, rank, agency_code, action_code")
    counted = rows[rows["kind_n"].notna()]
    found = dict(zip(counted["kind"], counted["kind_n"]))
    top = rows[rows["kind_n"].isna()][_CHANGE_COLUMNS].reset_index(drop=True)
    return Changes(since, {k: int(found[k]) for k in KINDS if k in found}, top)


def briefing_data(store: Store, as_of: date | None = None, since: date | None = None,
                  filters: Filters | None = None, lang: str = "id") -> Briefing:
    """Everything the briefing shows on `as_of` (default: the filters' date, else the latest with data).

    `since` is the previous briefing's date (default: the snapshot date before `as_of`); KPI changes
    and the list of changes are measured from it. `filters` (pillar, agency) narrow every figure.
    Raises BriefingError when the store has no data.
    """
    filters = filters or Filters()
    as_of = as_of or resolve_as_of(store, filters)
    if as_of is None:
        raise BriefingError("brief.no_data")
    filters = Filters(as_of, filters.pillar, filters.agency)
    since = since or previous_date(store, as_of)
    kpis = load_kpis(store=store)

    by_pillar, agencies, risks = _scoped(store, as_of, filters, [
        (_PILLAR_SQL, []), (_AGENCY_SQL, []),
        (_RISK_SQL.replace("{state}", store.state_sql(as_of)), [TOP_RISKS, PILLAR_RISKS, TOP_RISKS, PILLAR_RISKS])])
    rows = {r["key"]: r for r in by_pillar.to_dict("records")}

    shown = [filters.pillar] if filters.pillar else list(PILLARS)
    pillars = []
    for key in shown:
        brief = _pillar_brief(key, rows.get(key), kpis)
        brief.agencies = agencies[agencies["pillar"] == key].reset_index(drop=True)
        brief.risks = risks[(risks["pillar"] == key) & (risks["pillar_rank"] <= PILLAR_RISKS)].reset_index(drop=True)
        pillars.append(brief)
    total = _pillar_brief("all", rows.get("all"), kpis)
    total.agencies = agencies[agencies["pillar"] == "all"].reset_index(drop=True)
    total.risks = risks[risks["rank"] <= TOP_RISKS].reset_index(drop=True)

    return Briefing(
        as_of=as_of, lang=lang, filters=filters, total=total, pillars=pillars,
        kpis=_headline_kpis(store, kpis, as_of, since, filters, lang),
        risks=total.risks,
        agencies_by_achievement=total.agencies,
        agencies_by_absorption=total.agencies.sort_values(["rank_absorption", "agency_short"]).reset_index(drop=True),
        changes=_changes(store, since, as_of, filters),
    )


# -- exports -------------------------------------------------------------------------------------

def export_pdf(briefing: Briefing, path_or_buffer: str | Path | BinaryIO) -> None:
    """Write the briefing as an A4 landscape PDF (summary, one page per pillar, risks)."""
    from smartcity.briefing_pdf import write_pdf

    _write(write_pdf(briefing), path_or_buffer)


def export_pptx(briefing: Briefing, path_or_buffer: str | Path | BinaryIO) -> None:
    """Write the briefing as a 16:9 PowerPoint deck (summary, one slide per pillar, risks)."""
    from smartcity.briefing_pptx import write_pptx

    _write(write_pptx(briefing), path_or_buffer)


def _write(content: bytes, path_or_buffer: str | Path | BinaryIO) -> None:
    if isinstance(path_or_buffer, (str, Path)):
        Path(path_or_buffer).write_bytes(content)
    else:
        path_or_buffer.write(content)


EXPORTERS = {".pdf": export_pdf, ".pptx": export_pptx}
MIME_TYPES = {".pdf": "application/pdf",
              ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
# Charts are drawn with pyplot, whose figure registry is shared by the process: one export at a
# time (the dashboard builds downloads on worker threads, two users may click together).
_EXPORT_LOCK = threading.Lock()


def export_bytes(briefing: Briefing, suffix: str) -> bytes:
    """The briefing as the bytes of a ".pdf" or ".pptx" file (for a download button)."""
    exporter = EXPORTERS.get(suffix.lower())
    if exporter is None:
        raise BriefingError("brief.bad_format", suffix=suffix)
    buffer = io.BytesIO()
    with _EXPORT_LOCK:
        exporter(briefing, buffer)
    return buffer.getvalue()


def render_briefing(store: Store, out_path: Path, as_of: date | None = None, lang: str = "id",
                    since: date | None = None, filters: Filters | None = None) -> Path:
    """Make the briefing file at `out_path`: PDF or PPTX by its suffix. Returns the path written."""
    out_path = Path(out_path)
    exporter = EXPORTERS.get(out_path.suffix.lower())
    if exporter is None:
        raise BriefingError("brief.bad_format", suffix=out_path.suffix or out_path.name)
    content = export_bytes(briefing_data(store, as_of, since, filters, lang), out_path.suffix)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(content)
    return out_path
