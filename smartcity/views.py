"""Read models for the dashboard pages: pure functions of a Store and the filters.

Every function here queries inside DuckDB (aggregations in SQL over the `action_state`
macro, so every page counts the way the KPIs and the report do) and returns only what a
page shows, as dataclasses and DataFrames. Percentages are returned scaled to 0-100
(achievement 75.5 means 75,5%), money in rupiah. Nothing here knows about Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd

from smartcity.domain import Pillar, Status
from smartcity.kpi import compute_kpis, load_kpis, snapshot_dates
from smartcity.review import agencies_not_reported
from smartcity.settings import setting
from smartcity.store import Store, scope_where

PILLARS = tuple(p.value for p in Pillar)
STATUSES = tuple(s.value for s in Status)

# Predikat bands of Indonesian performance evaluation, on achievement in percent:
# >= 91 sangat tinggi, 76-90 tinggi, 66-75 sedang, 51-65 rendah, <= 50 sangat rendah.
PREDIKAT_BANDS: tuple[tuple[float, str], ...] = (
    (91, "very_high"), (76, "high"), (66, "medium"), (51, "low"), (float("-inf"), "very_low"),
)


def predikat(achievement_pct: float | None) -> str | None:
    """The predikat band key (i18n "predikat.<key>") for an achievement in percent, or None."""
    if achievement_pct is None or pd.isna(achievement_pct):
        return None
    return next(key for floor, key in PREDIKAT_BANDS if achievement_pct >= floor)


@dataclass(frozen=True)
class Filters:
    """The sidebar filters every page shares. None means: latest date / all pillars / all agencies."""

    as_of: date | None = None
    pillar: str | None = None
    agency: str | None = None


# -- building blocks ---------------------------------------------------------------------------

# The figures every summary shows, over the actions in scope `s`.
_MEASURES = """
    count(*) AS actions,
    avg(achievement_capped) * 100 AS achievement,
    sum(budget) AS budget,
    sum(budget_spent) AS budget_spent,
    sum(budget_spent) / nullif(sum(budget), 0) * 100 AS absorption,
    """ + ",\n    ".join(f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUSES)


def known_at(store: Store, as_of: date) -> datetime | None:
    """When the data of `as_of` stopped being the latest: the first row recorded for a later date.

    An earlier date is shown as it was known then (as the weekly review saw it): rows recorded
    after this moment for that date or before, such as a correction sent later, are left out; the
    review lists them as corrections with both values (smartcity.changes.corrections).
    None for the latest date: everything known counts.
    """
    return store.query_one("SELECT min(recorded_at) FROM progress WHERE as_of > ?", [as_of])[0]


def corrected_since(store: Store, as_of: date) -> int:
    """How many rows for `as_of` or before were recorded after it was the latest date (later corrections)."""
    known = known_at(store, as_of)
    if known is None:
        return 0
    return int(store.query_one("SELECT count(*) FROM progress WHERE as_of <= ? AND recorded_at > ?",
                               [as_of, known])[0])


def _scope(store: Store, as_of: date, filters: Filters, known: datetime | None = None) -> tuple[str, list]:
    """SQL for the actions in scope on `as_of` as known at `known` (pillar and agency filters applied):
    over action_state, its costly part evaluated once per data version (Store.state_sql)."""
    where, params = scope_where(filters.pillar, filters.agency)
    return f"SELECT * FROM {store.state_sql(as_of, known)} WHERE true {where}", params


def _query(store: Store, filters: Filters, as_of: date, select: str, params: list | None = None) -> pd.DataFrame:
    """Run `select` (which reads the CTE `s`, the actions in scope) and return a DataFrame."""
    scope, scope_params = _scope(store, as_of, filters, known_at(store, as_of))
    return store.query_df(f"WITH s AS ({scope})\n{select}", scope_params + list(params or []))


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def dates_with_data(store: Store) -> list[date]:
    """Every as-of date that has data, newest first (the choices of the as-of filter)."""
    return list(reversed(snapshot_dates(store)))


def resolve_as_of(store: Store, filters: Filters) -> date | None:
    """The date the pages show: the chosen one, else the latest with data (None when empty)."""
    if filters.as_of:
        return filters.as_of
    dates = snapshot_dates(store)
    return dates[-1] if dates else None


def agency_choices(store: Store) -> pd.DataFrame:
    """Agencies that have actions (code, short_name, name), by short name: the agency filter's choices."""
    return store.query_df(
        """SELECT ag.code, ag.short_name, ag.name FROM agencies ag
           WHERE EXISTS (SELECT 1 FROM actions a WHERE a.agency_code = ag.code)
           ORDER BY lower(ag.short_name)""")


# -- summaries ---------------------------------------------------------------------------------

@dataclass
class Summary:
    """Achievement, budget and status counts of a set of actions (a pillar, an agency or all)."""

    key: str
    actions: int = 0
    achievement: float | None = None      # mean capped achievement, percent
    budget: float | None = None
    budget_spent: float | None = None
    absorption: float | None = None       # budget spent / budget, percent
    status_counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})

    @property
    def predikat(self) -> str | None:
        return predikat(self.achievement)


def _summary(key: str, row: dict | None) -> Summary:
    if not row:
        return Summary(key)
    return Summary(key, int(row["actions"]), _num(row["achievement"]), _num(row["budget"]),
                   _num(row["budget_spent"]), _num(row["absorption"]),
                   {s: int(row[s]) for s in STATUSES})


def _pillar_summaries(store: Store, filters: Filters, as_of: date) -> tuple[Summary, list[Summary]]:
    """The total over the scope and one Summary per pillar in scope (empty pillars included)."""
    df = _query(store, filters, as_of, f"""
        SELECT coalesce(pillar, 'all') AS key, {_MEASURES}
        FROM s GROUP BY GROUPING SETS ((), (pillar))""")
    rows = {r["key"]: r for r in df.to_dict("records")}
    pillars = [filters.pillar] if filters.pillar else list(PILLARS)
    return _summary("all", rows.get("all")), [_summary(p, rows.get(p)) for p in pillars]


@dataclass
class Overview:
    """The Ringkasan page: totals, one card per pillar, achievement by agency per pillar."""

    as_of: date
    total: Summary
    pillars: list[Summary]
    by_agency: dict[str, pd.DataFrame]   # per pillar: agency_code, agency_short, actions, achievement
    not_reported: pd.DataFrame     # agency_code, agency_name, last_report, days_since, owners
    agencies: int = 0              # agencies with actions in scope
    cycle_days: int = 7            # the review cycle "not reported" is judged by


def overview(store: Store, filters: Filters) -> Overview | None:
    """Everything the Ringkasan page shows, or None when the database has no data."""
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return None
    total, pillars = _pillar_summaries(store, filters, as_of)
    by_agency = _query(store, filters, as_of, """
        SELECT pillar, agency_code, any_value(agency_short) AS agency_short, count(*) AS actions,
               avg(achievement_capped) * 100 AS achievement
        FROM s GROUP BY pillar, agency_code
        ORDER BY pillar, achievement DESC NULLS LAST, agency_short""")
    agencies = int(by_agency["agency_code"].nunique())   # every agency in scope has a row there
    silent = agencies_not_reported(store, as_of)
    if filters.agency:
        silent = silent[silent["agency_code"] == filters.agency]
    if filters.pillar:
        in_pillar = set(by_agency["agency_code"])
        silent = silent[silent["agency_code"].isin(in_pillar)]
    per_pillar = {s.key: by_agency[by_agency["pillar"] == s.key].drop(columns="pillar").reset_index(drop=True)
                  for s in pillars}
    return Overview(as_of, total, pillars, per_pillar, silent.reset_index(drop=True), agencies,
                    int(setting("review_cycle_days")))


# agency_table's columns after agency_code, and its order.
_AGENCY_FIGURES = f"""any_value(agency_short) AS agency_short, any_value(agency_name) AS agency_name,
    {_MEASURES},
    max(agency_last_report) AS last_report, max(days_since_report) AS days_since_report"""
_AGENCY_ORDER = "ORDER BY achievement DESC NULLS LAST, agency_short"


def agency_table(store: Store, filters: Filters, as_of: date | None = None) -> pd.DataFrame:
    """One row per agency in scope: actions, achievement, budget, absorption, status counts, last report."""
    as_of = as_of or resolve_as_of(store, filters)
    if as_of is None:
        return pd.DataFrame()
    return _query(store, filters, as_of, f"""
        SELECT agency_code, {_AGENCY_FIGURES} FROM s GROUP BY agency_code {_AGENCY_ORDER}""")


def plan_figures(store: Store, filters: Filters, as_of: date) -> tuple[Summary, list[Summary], pd.DataFrame]:
    """The total and one Summary per pillar (as overview) and agency_table's rows, in one pass over the actions."""
    df = _query(store, filters, as_of, f"""
        SELECT CASE WHEN grouping(agency_code) = 0 THEN 'agency' WHEN grouping(pillar) = 0 THEN pillar
                    ELSE 'all' END AS key, agency_code, {_AGENCY_FIGURES}
        FROM s GROUP BY GROUPING SETS ((), (pillar), (agency_code)) {_AGENCY_ORDER}""")
    by_agency = df["key"] == "agency"
    rows = {r["key"]: r for r in df[~by_agency].to_dict("records")}
    pillars = [filters.pillar] if filters.pillar else list(PILLARS)
    agencies = df[by_agency].drop(columns="key").reset_index(drop=True)
    return _summary("all", rows.get("all")), [_summary(p, rows.get(p)) for p in pillars], agencies


# Columns of an action list, as pages show them.
_ACTION_COLUMNS = """
    progress_id, action_id, action_code, agency_code, agency_short, pillar, dimension, program, activity,
    indicator, unit, baseline, target, actual, achievement * 100 AS achievement, budget, budget_spent,
    budget_absorption * 100 AS absorption, start_date, due_date, status, owner, as_of"""


@dataclass
class PillarDetail:
    """The Pilar page: one pillar's figures, its agencies and dimensions, and the actions needing attention."""

    as_of: date
    pillar: str
    summary: Summary
    by_agency: pd.DataFrame        # agency_table rows for the pillar
    by_dimension: pd.DataFrame     # dimension, actions, achievement, late, at_risk
    attention: pd.DataFrame        # late and at-risk actions, late first


def pillar_detail(store: Store, filters: Filters, pillar: str, attention_limit: int = 15) -> PillarDetail | None:
    """One pillar in depth (the agency filter still applies), or None when there is no data."""
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return None
    scoped = replace(filters, pillar=pillar)
    _, (summary,) = _pillar_summaries(store, scoped, as_of)
    by_dimension = _query(store, scoped, as_of, """
        SELECT dimension, count(*) AS actions, avg(achievement_capped) * 100 AS achievement,
               count(*) FILTER (WHERE status = 'late') AS late, count(*) FILTER (WHERE status = 'at_risk') AS at_risk
        FROM s GROUP BY ALL ORDER BY actions DESC, dimension NULLS LAST""")
    attention = _query(store, scoped, as_of, f"""
        SELECT {_ACTION_COLUMNS} FROM s WHERE status IN ('late', 'at_risk')
        ORDER BY status = 'late' DESC, achievement NULLS FIRST, agency_short, action_code LIMIT ?""",
        [attention_limit])
    return PillarDetail(as_of, pillar, summary, agency_table(store, scoped, as_of), by_dimension, attention)


@dataclass
class AgencyDetail:
    """The OPD page: one agency's figures, reporting, actions and KPIs."""

    as_of: date
    code: str
    name: str
    short_name: str
    summary: Summary
    by_pillar: pd.DataFrame        # pillar, actions, achievement, absorption, late
    last_report: date | None
    days_since_report: int | None
    actions: pd.DataFrame          # the agency's actions in scope (_ACTION_COLUMNS)
    kpis: pd.DataFrame             # kpi_id, name, unit, value, target, status, n


def agency_detail(store: Store, filters: Filters, agency: str, lang: str = "id") -> AgencyDetail | None:
    """One agency (the pillar filter still applies), or None when the agency is unknown or there is no data."""
    as_of = resolve_as_of(store, filters)
    found = store.query_one("SELECT name, short_name FROM agencies WHERE code = ?", [agency])
    if as_of is None or found is None:
        return None
    scoped = replace(filters, agency=agency)
    total, _ = _pillar_summaries(store, scoped, as_of)
    by_pillar = _query(store, scoped, as_of, """
        SELECT pillar, count(*) AS actions, avg(achievement_capped) * 100 AS achievement,
               sum(budget_spent) / nullif(sum(budget), 0) * 100 AS absorption,
               count(*) FILTER (WHERE status = 'late') AS late
        FROM s GROUP BY pillar ORDER BY pillar""")
    last = store.query_one(
        """SELECT max(p.as_of) FROM progress p JOIN actions a ON a.id = p.action_id
           WHERE a.agency_code = ? AND p.as_of <= ?""", [agency, as_of])[0]
    actions = _query(store, scoped, as_of, f"SELECT {_ACTION_COLUMNS} FROM s ORDER BY action_code")
    kpis = _kpi_rows(store, as_of, "agency", agency, lang, pillar=filters.pillar)
    return AgencyDetail(as_of, agency, found[0], found[1], total, by_pillar, last,
                        None if last is None else (as_of - last).days, actions, kpis)


# -- the action list ---------------------------------------------------------------------------

def _action_filter(status: tuple[str, ...] | None, search: str | None) -> tuple[str, list]:
    sql, params = "WHERE true", []
    if status:
        sql += f" AND status IN ({', '.join('?' for _ in status)})"
        params += list(status)
    if search and search.strip():
        needle = f"%{search.strip()}%"
        sql += (" AND (action_code ILIKE ? OR activity ILIKE ? OR indicator ILIKE ? OR program ILIKE ?"
                " OR owner ILIKE ? OR agency_short ILIKE ?)")
        params += [needle] * 6
    return sql, params


@dataclass
class ActionsPage:
    """One page of the Rencana Aksi table."""

    as_of: date | None
    rows: pd.DataFrame
    total: int
    page: int
    pages: int
    page_size: int


def actions_page(store: Store, filters: Filters, *, status: tuple[str, ...] | None = None, search: str | None = None,
                 page: int = 1, page_size: int = 50) -> ActionsPage:
    """The actions in scope matching `status` and `search`, `page_size` rows of page `page` (1-based)."""
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return ActionsPage(None, pd.DataFrame(), 0, 1, 1, page_size)
    where, params = _action_filter(status, search)
    total = int(_query(store, filters, as_of, f"SELECT count(*) FROM s {where}", params).iloc[0, 0])
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = _query(store, filters, as_of, f"""
        SELECT {_ACTION_COLUMNS} FROM s {where}
        ORDER BY lower(agency_short), action_code LIMIT ? OFFSET ?""", params + [page_size, (page - 1) * page_size])
    return ActionsPage(as_of, rows, total, page, pages, page_size)


# Columns of the Excel export, in order: every field an agency sends, then what we compute.
EXPORT_COLUMNS = (
    "action_code", "agency_name", "pillar", "dimension", "program", "activity", "indicator", "unit",
    "baseline", "target", "actual", "actual_q1", "actual_q2", "actual_q3", "actual_q4", "achievement",
    "budget", "budget_spent", "absorption", "start_date", "due_date", "status", "reported_status",
    "owner", "notes", "obstacle", "follow_up", "as_of",
)


def actions_for_export(store: Store, filters: Filters, *, status: tuple[str, ...] | None = None,
                       search: str | None = None) -> pd.DataFrame:
    """Every action matching the filters with all the columns of EXPORT_COLUMNS (for the Excel download)."""
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return pd.DataFrame(columns=list(EXPORT_COLUMNS))
    where, params = _action_filter(status, search)
    select = ", ".join(
        "achievement * 100 AS achievement" if c == "achievement"
        else "budget_absorption * 100 AS absorption" if c == "absorption"
        else "coalesce(agency_name, agency_code) AS agency_name" if c == "agency_name"
        else c for c in EXPORT_COLUMNS)
    return _query(store, filters, as_of, f"SELECT {select} FROM s {where} ORDER BY lower(agency_short), action_code", params)


@dataclass
class ActionDetail:
    """One action on the as-of date: every field, and its snapshots over time."""

    fields: dict
    history: pd.DataFrame          # as_of, actual, achievement, budget_spent, source, recorded_by, file_name


def action_detail(store: Store, filters: Filters, action_id: int) -> ActionDetail | None:
    """An action's state on the as-of date and its history of snapshots (newest first)."""
    as_of = resolve_as_of(store, filters)
    if as_of is None:
        return None
    df = store.query_df(
        """SELECT * EXCLUDE (achievement, budget_absorption, progress, elapsed),
                  achievement * 100 AS achievement, budget_absorption * 100 AS absorption,
                  progress * 100 AS progress, elapsed * 100 AS elapsed
           FROM action_state(?::DATE, known := ?::TIMESTAMP) WHERE action_id = ?""",
        [as_of, known_at(store, as_of), action_id])
    if df.empty:
        return None
    history = store.query_df(
        """SELECT p.as_of, p.actual, p.target, p.budget_spent, p.source, p.recorded_by, u.file_name, p.recorded_at
           FROM progress p LEFT JOIN uploads u ON u.id = p.upload_id
           WHERE p.action_id = ? AND p.as_of <= ? ORDER BY p.as_of DESC, p.recorded_at DESC""", [action_id, as_of])
    return ActionDetail(df.to_dict("records")[0], history)


# -- KPIs --------------------------------------------------------------------------------------

def _kpi_date(store: Store, as_of: date) -> date | None:
    """The KPI date for `as_of`: the latest date with stored values on or before it."""
    return store.query_one("SELECT max(as_of) FROM kpi_values WHERE as_of <= ?", [as_of])[0]


def _kpi_values(store: Store, as_of: date) -> pd.DataFrame:
    """Stored KPI values on `as_of`; computed on the fly (not stored) when that date has none, or when
    corrections recorded later must be left out to show the date as it was known then (known_at)."""
    stored = store.query_df(
        "SELECT kpi_id, scope_type, scope_key, value, target, status, n FROM kpi_values WHERE as_of = ?", [as_of])
    corrected = corrected_since(store, as_of) > 0
    if len(stored) and not corrected:
        return stored
    rows = compute_kpis(store, as_of, load_kpis(store=store), known=known_at(store, as_of) if corrected else None)
    return pd.DataFrame([(r[0], r[1], r[2], r[4], r[5], r[6], r[7]) for r in rows],
                        columns=["kpi_id", "scope_type", "scope_key", "value", "target", "status", "n"])


def _kpi_rows(store: Store, as_of: date, scope_type: str, scope_key: str, lang: str,
              pillar: str | None = None) -> pd.DataFrame:
    """KPI values at one scope (kpi_id, name, unit, value, target, status, n), in definition order."""
    values = _kpi_values(store, as_of)
    values = values[(values["scope_type"] == scope_type) & (values["scope_key"] == scope_key)]
    by_id = {r["kpi_id"]: r for r in values.to_dict("records")}
    rows = []
    for k in load_kpis(store=store):
        if pillar and k.pillar not in ("all", pillar):
            continue
        v = by_id.get(k.id, {})
        rows.append({"kpi_id": k.id, "name": k.name.get(lang), "unit": k.unit, "value": _num(v.get("value")),
                     "target": k.target, "status": v.get("status", "none"), "n": int(v.get("n") or 0)})
    return pd.DataFrame(rows, columns=["kpi_id", "name", "unit", "value", "target", "status", "n"])


def kpi_rows(store: Store, as_of: date, lang: str = "id") -> pd.DataFrame:
    """Every KPI over the whole plan on the KPI date for `as_of` (kpi_id, name, unit, value, target, status, n),
    in definition order: kpi_board's values without its per-agency tables and trends."""
    return _kpi_rows(store, _kpi_date(store, as_of) or as_of, "all", "", lang)


@dataclass
class KpiView:
    """One KPI as the KPI page shows it: the definition, its value at the filter's scope, by agency, over time."""

    id: str
    name: str
    description: str
    formula: str                   # the formula in words
    pillar: str
    unit: str
    direction: str
    target: float | None
    green: float | None
    amber: float | None
    value: float | None
    status: str                    # green | amber | red | none
    n: int
    by_agency: pd.DataFrame        # agency_code, agency_short, value, status, n (best first)
    trend: pd.DataFrame            # as_of, value
    previous: float | None = None  # the value on the snapshot date before (the previous review)
    previous_as_of: date | None = None

    @property
    def predikat(self) -> str | None:
        """The predikat band, for percent KPIs measuring achievement (the ones officials band)."""
        return predikat(self.value) if self.unit == "percent" and "achievement" in self.id else None

    @property
    def change(self) -> float | None:
        """The change since the previous review (in the KPI's unit; percentage points for percent)."""
        return None if self.value is None or self.previous is None else self.value - self.previous


@dataclass
class KpiBoard:
    as_of: date | None             # the date the values belong to
    scope_type: str                # all | pillar | agency
    scope_key: str
    kpis: list[KpiView]

    def table(self) -> pd.DataFrame:
        """One row per KPI (kpi_id, name, unit, value, target, status, n, direction): the cards as a table."""
        columns = ["kpi_id", "name", "unit", "value", "target", "status", "n", "direction"]
        return pd.DataFrame([{"kpi_id": k.id, "name": k.name, "unit": k.unit, "value": k.value, "target": k.target,
                              "status": k.status, "n": k.n, "direction": k.direction} for k in self.kpis],
                            columns=columns)


def kpi_board(store: Store, filters: Filters, lang: str = "id", only: str | None = None) -> KpiBoard:
    """Every KPI at the filters' scope (agency, else pillar, else all) on the KPI date for the as-of date.

    A KPI for one pillar is left out when another pillar is chosen. `only` (a KPI id) makes a board
    of that KPI alone (the weekly review shows one).
    """
    as_of = resolve_as_of(store, filters)
    kpi_as_of = _kpi_date(store, as_of) if as_of else None
    if filters.agency:
        scope_type, scope_key = "agency", filters.agency
    elif filters.pillar:
        scope_type, scope_key = "pillar", filters.pillar
    else:
        scope_type, scope_key = "all", ""
    if as_of is None:
        return KpiBoard(None, scope_type, scope_key, [])
    kpi_as_of = kpi_as_of or as_of
    values = _kpi_values(store, kpi_as_of)
    agencies = store.query_df("SELECT code AS agency_code, short_name AS agency_short FROM agencies")
    trend_all = store.query_df(
        """SELECT kpi_id, scope_type, scope_key, as_of, value FROM kpi_values
           WHERE as_of <= ? AND ((scope_type = ? AND scope_key = ?) OR scope_type = 'all')
             AND (? IS NULL OR kpi_id = ?) ORDER BY as_of""",
        [kpi_as_of, scope_type, scope_key, only, only])
    views = []
    for k in load_kpis(store=store):
        if (filters.pillar and k.pillar not in ("all", filters.pillar)) or only not in (None, k.id):
            continue
        mine = values[values["kpi_id"] == k.id]
        # A pillar KPI's overall row is its pillar: the 'pillar' scope of it is stored as 'all'.
        st, sk = (("all", "") if scope_type == "pillar" and k.pillar != "all" else (scope_type, scope_key))
        at = mine[(mine["scope_type"] == st) & (mine["scope_key"] == sk)]
        row = at.iloc[0] if len(at) else None
        by_agency = mine[mine["scope_type"] == "agency"].merge(
            agencies, left_on="scope_key", right_on="agency_code", how="left")
        if filters.agency:
            by_agency = by_agency[by_agency["scope_key"] == filters.agency]
        by_agency = by_agency.assign(agency_code=by_agency["scope_key"],
                                     agency_short=by_agency["agency_short"].fillna(by_agency["scope_key"]))
        by_agency = by_agency.sort_values("value", ascending=k.direction == "lower", na_position="last")
        trend = trend_all[(trend_all["kpi_id"] == k.id) & (trend_all["scope_type"] == st)
                          & (trend_all["scope_key"] == sk)][["as_of", "value"]]
        before = trend[pd.to_datetime(trend["as_of"]).dt.date < kpi_as_of].tail(1)
        views.append(KpiView(
            k.id, k.name.get(lang), k.description.get(lang), k.describe(lang), k.pillar, k.unit, k.direction,
            k.target, k.thresholds.green if k.thresholds else None, k.thresholds.amber if k.thresholds else None,
            None if row is None else _num(row["value"]), "none" if row is None else str(row["status"]),
            0 if row is None else int(row["n"]),
            by_agency[["agency_code", "agency_short", "value", "status", "n"]].reset_index(drop=True),
            trend.reset_index(drop=True),
            _num(before["value"].iloc[0]) if len(before) else None,
            pd.Timestamp(before["as_of"].iloc[0]).date() if len(before) else None))
    return KpiBoard(kpi_as_of, scope_type, scope_key, views)

