"""KPI definitions (kpi_definitions.yaml -> validated models) and their computation in DuckDB.

A KPI's formula is declarative: an aggregate over the `action_state` view, with optional
conditions, and an optional denominator. It is compiled to one SELECT with bound parameters
over a whitelisted set of columns, so a definition can never write to the database.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from smartcity.agencies import YAML_LOADER
from smartcity.domain import Pillar
from smartcity.errors import InvalidKpiDefinitions
from smartcity.i18n import t
from smartcity.settings import KPI_FILE
from smartcity.store import Store

# Columns of action_state a formula may read, with what they mean (used in descriptions).
FIELDS: dict[str, tuple[str, str]] = {
    "achievement": ("capaian (realisasi / target)", "achievement (actual / target)"),
    "achievement_capped": ("capaian, maksimal 100% per aksi", "achievement, capped at 100% per action"),
    "progress": ("kemajuan dari baseline ke target", "progress from baseline to target"),
    "elapsed": ("waktu berjalan", "time elapsed"),
    "budget": ("pagu anggaran", "budget"),
    "budget_spent": ("realisasi anggaran", "budget spent"),
    "budget_absorption": ("serapan anggaran", "budget absorption"),
    "actual": ("realisasi", "actual"),
    "target": ("target", "target"),
    "baseline": ("baseline", "baseline"),
    "status": ("status", "status"),
    "pillar": ("pilar", "pillar"),
    "dimension": ("dimensi", "dimension"),
    "agency_code": ("OPD", "agency"),
    "action_id": ("aksi", "action"),
    "reported_in_cycle": ("melapor dalam siklus review", "reported within the review cycle"),
    "days_since_report": ("hari sejak laporan terakhir", "days since last report"),
    "unit": ("satuan", "unit"),
    "direction": ("arah indikator", "indicator direction"),
}

_AGG_SQL = {
    "mean": "avg({f})", "sum": "sum({f})", "min": "min({f})", "max": "max({f})", "median": "median({f})",
    "count": "count({f})", "count_distinct": "count(DISTINCT {f})",
}
_AGG_WORDS = {
    "mean": ("rata-rata", "mean of"), "sum": ("jumlah", "sum of"), "min": ("minimum", "minimum of"),
    "max": ("maksimum", "maximum of"), "median": ("median", "median of"),
    "count": ("banyaknya", "count of"), "count_distinct": ("banyaknya (unik)", "distinct count of"),
}
_OP_SQL = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "is_null", "not_null"]


class Text(BaseModel):
    """A text in both languages."""

    model_config = ConfigDict(extra="forbid")
    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str
    op: Op = "eq"
    value: Any = None

    @field_validator("field")
    @classmethod
    def _known_field(cls, v: str) -> str:
        if v not in FIELDS:
            raise ValueError(f"unknown field '{v}'; use one of: {', '.join(sorted(FIELDS))}")
        return v

    @model_validator(mode="after")
    def _value_fits_op(self) -> "Condition":
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"op '{self.op}' needs a list value")
        if self.op not in ("is_null", "not_null", "in", "not_in") and (self.value is None or isinstance(self.value, (list, dict))):
            raise ValueError(f"op '{self.op}' needs a single value")
        return self

    def sql(self, params: list) -> str:
        if self.op == "is_null":
            return f"{self.field} IS NULL"
        if self.op == "not_null":
            return f"{self.field} IS NOT NULL"
        if self.op in ("in", "not_in"):
            params.extend(self.value)
            marks = ", ".join("?" for _ in self.value)
            return f"{self.field} {'NOT IN' if self.op == 'not_in' else 'IN'} ({marks})"
        params.append(self.value)
        return f"{self.field} {_OP_SQL[self.op]} ?"

    def words(self, lang: str) -> str:
        name = FIELDS[self.field][1 if lang == "en" else 0]
        ops = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "∈", "not_in": "∉",
               "is_null": "kosong" if lang != "en" else "is empty", "not_null": "terisi" if lang != "en" else "is filled"}
        if self.op in ("is_null", "not_null"):
            return f"{name} {ops[self.op]}"
        values = self.value if isinstance(self.value, list) else [self.value]
        shown = ", ".join(_value_words(self.field, v, lang) for v in values)
        if self.op in ("in", "not_in"):
            shown = "{" + shown + "}"
        return f"{name} {ops[self.op]} {shown}"


class Measure(BaseModel):
    """aggregate(field) over the actions that meet every condition in `where`."""

    model_config = ConfigDict(extra="forbid")
    aggregate: Literal["mean", "sum", "min", "max", "median", "count", "count_distinct"]
    field: str | None = None
    where: list[Condition] = []

    @model_validator(mode="after")
    def _field_needed(self) -> "Measure":
        if self.field is None and self.aggregate != "count":
            raise ValueError(f"aggregate '{self.aggregate}' needs a field")
        if self.field is not None and self.field not in FIELDS:
            raise ValueError(f"unknown field '{self.field}'; use one of: {', '.join(sorted(FIELDS))}")
        return self

    def sql(self, params: list, pillar: str | None = None) -> str:
        """The aggregate in SQL; with `pillar`, over that pillar's actions only."""
        expr = _AGG_SQL[self.aggregate].format(f=self.field or "*")
        conditions = []
        if pillar is not None:
            params.append(pillar)
            conditions.append("pillar = ?")
        conditions += [c.sql(params) for c in self.where]   # in the order of their parameters
        if conditions:
            expr += " FILTER (WHERE " + " AND ".join(conditions) + ")"
        return expr

    def words(self, lang: str) -> str:
        agg = _AGG_WORDS[self.aggregate][1 if lang == "en" else 0]
        what = FIELDS[self.field][1 if lang == "en" else 0] if self.field else ("aksi" if lang != "en" else "actions")
        text = f"{agg} {what}"
        if self.where:
            joiner = " dan " if lang != "en" else " and "
            text += (" untuk " if lang != "en" else " where ") + joiner.join(c.words(lang) for c in self.where)
        return text


class Formula(BaseModel):
    model_config = ConfigDict(extra="forbid")
    numerator: Measure
    denominator: Measure | None = None
    scale: float = 1.0


class Thresholds(BaseModel):
    """For 'higher' KPIs: value >= green is green, >= amber is amber, else red (reversed for 'lower')."""

    model_config = ConfigDict(extra="forbid")
    green: float
    amber: float


class KpiDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: Text
    description: Text
    pillar: Literal["all", "integration", "collaboration", "sustainability"] = "all"
    unit: Literal["percent", "count", "rupiah", "number"]
    direction: Literal["higher", "lower"] = "higher"
    target: float | None = None
    thresholds: Thresholds | None = None
    public: bool = False
    formula: Formula

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> "KpiDefinition":
        t = self.thresholds
        if t and self.direction == "higher" and t.green < t.amber:
            raise ValueError("thresholds: for direction 'higher' green must be >= amber")
        if t and self.direction == "lower" and t.green > t.amber:
            raise ValueError("thresholds: for direction 'lower' green must be <= amber")
        return self

    def rag(self, value: float | None) -> str:
        """green / amber / red for a value, or none when there is no value or no thresholds."""
        t = self.thresholds
        if value is None or t is None:
            return "none"
        if self.direction == "higher":
            return "green" if value >= t.green else "amber" if value >= t.amber else "red"
        return "green" if value <= t.green else "amber" if value <= t.amber else "red"

    def describe(self, lang: str = "id") -> str:
        """The formula in words, for the KPI page."""
        f = self.formula
        text = f.numerator.words(lang)
        if f.denominator:
            text += (" dibagi " if lang != "en" else " divided by ") + f.denominator.words(lang)
        if f.scale == 100 and self.unit == "percent":
            text += ", " + t("kpi.in_percent", lang)
        elif f.scale != 1:
            text += f" × {f.scale:g}"
        if self.pillar != "all":
            text += " (" + t("kpi.pillar_only", lang, pillar=t(f"pillar.{self.pillar}", lang)) + ")"
        return text


class KpiFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    kpis: list[KpiDefinition]

    @model_validator(mode="after")
    def _unique_ids(self) -> "KpiFile":
        seen: set[str] = set()
        for k in self.kpis:
            if k.id in seen:
                raise ValueError(f"KPI id '{k.id}' appears twice")
            seen.add(k.id)
        return self


def load_kpis(path: Path | str | None = None, *, store: Store | None = None) -> list[KpiDefinition]:
    """Read and validate the KPI file; errors name the KPI and the field.

    With a `store`, the changes an admin made in the app (targets, thresholds, public flag,
    names: smartcity.registry_admin) are laid over the file's definitions. Without one, the
    file as it is.
    """
    path = Path(path or KPI_FILE)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as e:
        raise InvalidKpiDefinitions(problems=f"{path.name}: {e}") from e
    try:
        kpis = KpiFile.model_validate(raw).kpis
    except ValidationError as e:
        raise InvalidKpiDefinitions(problems=_explain(e, raw)) from e
    if store is None:
        return kpis
    from smartcity.registry_admin import apply_kpi_overrides, kpi_overrides  # it builds on this module

    return apply_kpi_overrides(kpis, kpi_overrides(store))


def _explain(error: ValidationError, raw: Any) -> str:
    lines = []
    for err in error.errors():
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "kpis" and isinstance(loc[1], int):
            try:
                where = f"KPI '{raw['kpis'][loc[1]].get('id', '#' + str(loc[1] + 1))}'"
            except (KeyError, IndexError, TypeError, AttributeError):
                where = f"KPI #{loc[1] + 1}"
            loc = loc[2:]
        field = ".".join(str(p) for p in loc) or "(file)"
        lines.append(f"- {where + ': ' if where else ''}{field}: {err['msg']}")
    return "\n".join(lines)


def _value_words(field: str, value: Any, lang: str) -> str:
    """A condition's value as a reader says it: status and pillar names, yes/no."""
    if isinstance(value, bool):
        return t(f"bool.{str(value).lower()}", lang)
    if field in ("status", "pillar"):
        return t(f"{field}.{value}", lang)
    return str(value)


def kpi_sql(kpi: KpiDefinition) -> tuple[str, list]:
    """The SELECT computing `kpi` alone on date ? overall, per pillar and per agency: the definition
    the one-pass query of every KPI (_kpis_sql) must agree with (tests/test_action_state_reference.py)."""
    params: list = []
    value = _value_sql(kpi, params)
    where = "" if kpi.pillar == "all" else "WHERE pillar = ?"
    sql = f"""
        SELECT {_SCOPE_TYPE}, {_SCOPE_KEY}, {value}, count(*)
        FROM action_state(?::DATE) {where}
        GROUP BY GROUPING SETS ((), (pillar), (agency_code))"""
    return sql, params


_SCOPE_TYPE = ("CASE WHEN grouping(pillar) = 0 THEN 'pillar' WHEN grouping(agency_code) = 0 THEN 'agency' "
               "ELSE 'all' END")
_SCOPE_KEY = ("coalesce(CASE WHEN grouping(pillar) = 0 THEN pillar END, "
              "CASE WHEN grouping(agency_code) = 0 THEN agency_code END, '')")


def _value_sql(kpi: KpiDefinition, params: list, pillar: str | None = None) -> str:
    """The KPI's value over a group (with `pillar`, over that pillar's actions of the group)."""
    num = kpi.formula.numerator.sql(params, pillar)
    den = kpi.formula.denominator.sql(params, pillar) if kpi.formula.denominator else None
    value = f"({num})::DOUBLE" if den is None else f"({num})::DOUBLE / nullif(({den})::DOUBLE, 0)"
    return f"{value} * {kpi.formula.scale!r}"


def snapshot_dates(store: Store) -> list[date]:
    """Every as-of date that has data, ascending (read once per data version: Store.per_version)."""
    return list(store.per_version("snapshot_dates", lambda: tuple(
        r[0] for r in store.cursor().execute("SELECT DISTINCT as_of FROM progress ORDER BY 1").fetchall())))


# How kpi_sql reads the actions' state; compute_kpis points every KPI at one shared evaluation.
_STATE_CALL = "action_state(?::DATE)"


def compute_kpis(store: Store, as_of: date, kpis: list[KpiDefinition], known: datetime | None = None) -> list[tuple]:
    """Rows (kpi_id, scope_type, scope_key, as_of, value, target, status, n) for one date.

    One query for all KPIs: the actions' state on `as_of` is evaluated once (a materialized CTE
    holding the columns a formula may read), and one aggregation of it by the three grouping sets
    gives every KPI (_kpis_sql). Evaluating action_state once per KPI cost ~3 s a KPI at 5.2 million
    snapshots (issue 7).
    """
    if not kpis:
        return []
    union, bind = _kpis_sql(kpis)
    bind = [as_of, *bind]
    if known is not None:  # as known at that moment (see views.known_at): the state's macro with `known`
        bind.insert(1, known)
    state_call = _STATE_CALL if known is None else "action_state(?::DATE, known := ?::TIMESTAMP)"
    query = f"WITH {_STATE_TABLE} AS MATERIALIZED (SELECT {', '.join(FIELDS)} FROM {state_call})\n" + union
    cur = store.cursor()
    try:
        found = cur.execute(query, bind).fetchall()
    finally:
        cur.close()
    return _kpi_rows(found, kpis, as_of)


# The name under which the KPIs' queries read the state (a CTE in compute_kpis, a table in recompute_kpis).
_STATE_TABLE = "kpi_state"


def _kpis_sql(kpis: list[KpiDefinition]) -> tuple[str, list]:
    """Every KPI over the state `kpi_state` in one pass, and the parameters: one aggregation by the three
    grouping sets with a value and a count per KPI (a pillar KPI's aggregates filtered to its pillar),
    then the rows (kpi_index, scope_type, scope_key, value, n) that each KPI's own query (kpi_sql) gives:
    a pillar KPI has no pillar or agency group without actions of its pillar, only the overall one.
    Ten KPIs each aggregating the state took ~0.13 s at 100,000 actions (issue 7)."""
    columns, rows, bind = [], [], []
    for i, kpi in enumerate(kpis):
        pillar = None if kpi.pillar == "all" else kpi.pillar
        columns.append(f"{_value_sql(kpi, bind, pillar)} AS value_{i}")
        if pillar is None:
            columns.append(f"count(*) AS n_{i}")
        else:
            bind.append(pillar)
            columns.append(f"count(*) FILTER (WHERE pillar = ?) AS n_{i}")
        keep = "" if pillar is None else f" WHERE n_{i} > 0 OR scope_type = 'all'"
        rows.append(f"SELECT {i} AS kpi_index, scope_type, scope_key, value_{i} AS value, n_{i} AS n FROM kpi_groups{keep}")
    groups = (f"SELECT {_SCOPE_TYPE} AS scope_type, {_SCOPE_KEY} AS scope_key, {', '.join(columns)} "
              f"FROM {_STATE_TABLE} GROUP BY GROUPING SETS ((), (pillar), (agency_code))")
    return f"SELECT * FROM (WITH kpi_groups AS ({groups})\n" + "\nUNION ALL\n".join(rows) + ")", bind


def _kpi_rows(found: list[tuple], kpis: list[KpiDefinition], as_of: date) -> list[tuple]:
    rows = []
    for i, scope_type, scope_key, value, n in sorted(found, key=lambda r: r[0]):
        kpi = kpis[i]
        if kpi.pillar != "all" and scope_type == "pillar":
            continue  # the 'all' row of a pillar KPI is that pillar already
        value = None if value is None else float(value)
        rows.append((kpi.id, scope_type, scope_key, as_of, value, kpi.target, kpi.rag(value), int(n)))
    return rows


def recompute_kpis(store: Store, since: date | None = None, kpis: list[KpiDefinition] | None = None) -> int:
    """Recompute and store every KPI for every snapshot date on or after `since` (all when None),
    and the history's figures of those dates (smartcity.history.keep_figures).

    Values for a date are replaced as a whole in one transaction (they are derived data). The state
    of each date is evaluated once, in one statement whose KPIs and figures both read it.
    Returns the number of KPI rows written.
    """
    from smartcity.history import KEPT_COLUMNS, figures_basis, figures_sql, keep_figures  # history builds on views

    kpis = kpis if kpis is not None else load_kpis(store=store)
    basis = figures_basis(store)       # before computing: a write meanwhile leaves the figures stale
    dates = [d for d in snapshot_dates(store) if since is None or d >= since]
    union, bind = _kpis_sql(kpis) if kpis else ("SELECT NULL AS kpi_index WHERE false", [])
    # One statement a date: the state materialised once, the KPIs and the figures both read from it, each
    # handed back whole as a list (a temporary table and three statements took ~0.05-0.08 s more a date).
    query = (f"WITH {_STATE_TABLE} AS MATERIALIZED (SELECT {', '.join(FIELDS)} FROM {_STATE_CALL}),\n"
             f"kpi_rows AS ({union}),\nfigure_rows AS ({figures_sql(_STATE_TABLE)})\n"
             "SELECT (SELECT list(r) FROM kpi_rows r), (SELECT list(r) FROM figure_rows r)")
    rows, figures = [], []
    cur = store.cursor()
    try:
        for d in dates:
            found, figured = cur.execute(query, [d, *bind, d]).fetchone()
            if kpis:
                rows += _kpi_rows([tuple(r.values()) for r in found or []], kpis, d)
            figures.append(pd.DataFrame(figured or [], columns=KEPT_COLUMNS))
    finally:
        cur.close()
    now = datetime.now()
    with store.transaction() as cur:
        if dates:
            cur.execute(f"DELETE FROM kpi_values WHERE as_of IN ({', '.join('?' for _ in dates)})", dates)
        if rows:
            # One INSERT of column lists (executemany runs one statement per row: 7x slower).
            columns = [list(c) for c in zip(*rows)] + [[now] * len(rows)]
            cur.execute(
                """INSERT INTO kpi_values SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                       unnest(?::DATE[]), unnest(?::DOUBLE[]), unnest(?::DOUBLE[]), unnest(?::VARCHAR[]),
                       unnest(?::INTEGER[]), unnest(?::TIMESTAMP[])""", columns)
        keep_figures(cur, pd.concat(figures, ignore_index=True) if figures else pd.DataFrame(), dates, basis)
        store.bump_version(cur)
    return len(rows)


def pillars() -> list[str]:
    return [p.value for p in Pillar]
