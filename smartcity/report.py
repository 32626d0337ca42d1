"""The summary report: what `python -m smartcity report` prints and the overview pages build on."""
from __future__ import annotations

from datetime import date

from smartcity.domain import Pillar, Status
from smartcity.kpi import KpiDefinition, compute_kpis, load_kpis
from smartcity.store import Store


def latest_as_of(store: Store) -> date | None:
    """The most recent as-of date with data, or None for an empty database."""
    return store.query_one("SELECT max(as_of) FROM progress")[0]


def summary_report(store: Store, as_of: date | None = None, kpis: list[KpiDefinition] | None = None) -> dict:
    """Totals, per-pillar figures and overall KPI values on `as_of` (default: the latest date).

    Achievement is in percent (mean of each action's capped achievement x 100); budgets in rupiah.
    """
    as_of = as_of or latest_as_of(store) or date.today()
    cur = store.cursor()
    try:
        # One evaluation of action_state for the totals and every pillar: grouping sets () and (pillar).
        grouped = cur.execute(
            """SELECT grouping(pillar), pillar, count(*), count(DISTINCT agency_code), coalesce(sum(budget), 0),
                      coalesce(sum(budget_spent), 0), avg(achievement_capped) * 100,
                      count(*) FILTER (WHERE status = 'not_started'), count(*) FILTER (WHERE status = 'on_track'),
                      count(*) FILTER (WHERE status = 'at_risk'), count(*) FILTER (WHERE status = 'late'),
                      count(*) FILTER (WHERE status = 'done')
               FROM action_state(?::DATE) GROUP BY GROUPING SETS ((), (pillar))""", [as_of]).fetchall()
        stored = cur.execute(
            "SELECT kpi_id, value, target, status FROM kpi_values WHERE as_of = ? AND scope_type = 'all'", [as_of]
        ).fetchall()
    finally:
        cur.close()
    totals = next(((n, agencies, budget, spent) for overall, _, n, agencies, budget, spent, *_ in grouped if overall),
                  (0, 0, 0.0, 0.0))

    pillars = {p.value: _empty_pillar() for p in Pillar}
    for overall, pillar, n, _, budget, spent, ach, *counts in grouped:
        if overall or pillar not in pillars:
            continue
        pillars[pillar] = {
            "actions": int(n),
            "achievement": None if ach is None else round(float(ach), 4),
            "budget": float(budget),
            "budget_spent": float(spent),
            "status": {s.value: int(c) for s, c in zip(Status, counts)},
        }

    kpis = kpis if kpis is not None else load_kpis(store=store)
    by_id = {k: (v, tgt, st) for k, v, tgt, st in stored}
    if any(k.id not in by_id for k in kpis):
        # Not a snapshot date (or not computed yet): compute on the fly, store nothing.
        by_id = {r[0]: (r[4], r[5], r[6]) for r in compute_kpis(store, as_of, kpis) if r[1] == "all"}
    kpi_rows = []
    for k in kpis:
        value, target, status = by_id.get(k.id, (None, k.target, "none"))
        kpi_rows.append({
            "id": k.id,
            "pillar": None if k.pillar == "all" else k.pillar,
            "value": None if value is None else round(float(value), 4),
            "target": k.target,
            "status": status,
        })
    return {
        "as_of": as_of.isoformat(),
        "actions": int(totals[0]),
        "agencies": int(totals[1]),
        "budget": float(totals[2]),
        "budget_spent": float(totals[3]),
        "pillars": pillars,
        "kpis": kpi_rows,
    }


def _empty_pillar() -> dict:
    return {"actions": 0, "achievement": None, "budget": 0.0, "budget_spent": 0.0,
            "status": {s.value: 0 for s in Status}}
