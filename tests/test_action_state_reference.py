"""action_state(d, known) against a straightforward reference query, on randomised snapshot sets.

The macro in smartcity.store is written for speed (issue 7). The reference below is the plain
statement of the same rules: every snapshot on or before d (and recorded by `known`) ranked per
action by as_of, then recorded_at, then id, the first kept; an agency's upload on or before d
(uploaded by `known`) removes its actions whose latest snapshot is older; the agency's last
report is the latest as-of among its actions still in. Every output column must agree, on every
date (snapshot dates, dates in between, before the first and after the last) and for several
`known` moments.

The data is random but seeded, and built to hit the awkward cases on purpose: several rows for
one action on one date (same recorded_at, so the id decides; or a later recorded_at with a lower
id), corrections uploaded later for an earlier date, actions left out of a later upload of their
agency and coming back, an agency not in the registry, an upload_agencies row without its upload,
and every branch of the status rules (no target, target = baseline, lower is better, reported
status, not started, past due).
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from smartcity.kpi import compute_kpis, kpi_sql, load_kpis
from smartcity.settings import setting
from smartcity.store import open_store

REFERENCE_SQL = """
CREATE OR REPLACE MACRO action_state_reference(d, known := NULL) AS TABLE
WITH latest AS (
    SELECT p.* EXCLUDE (id), p.id AS progress_id, a.agency_code, a.action_code,
        ag.name AS agency_name, coalesce(ag.short_name, a.agency_code) AS agency_short
    FROM progress p JOIN actions a ON a.id = p.action_id
    LEFT JOIN agencies ag ON ag.code = a.agency_code
    WHERE p.as_of <= d AND (known IS NULL OR p.recorded_at <= known)
    QUALIFY row_number() OVER (PARTITION BY p.action_id ORDER BY p.as_of DESC, p.recorded_at DESC, p.id DESC) = 1
),
cover AS (
    SELECT agency_code, max(as_of) AS covered_as_of
    FROM upload_agencies ua
    WHERE as_of <= d
      AND (known IS NULL OR (SELECT uploaded_at FROM uploads u WHERE u.id = ua.upload_id) <= known)
    GROUP BY agency_code
),
live AS (
    SELECT l.* FROM latest l LEFT JOIN cover c USING (agency_code)
    WHERE c.covered_as_of IS NULL OR l.as_of >= c.covered_as_of
),
measured AS (
    SELECT *,
        CAST(d AS DATE) AS state_date,
        max(as_of) OVER (PARTITION BY agency_code) AS agency_last_report,
        CASE
            WHEN target IS NULL OR actual IS NULL THEN NULL
            WHEN target = coalesce(baseline, 0) THEN
                CASE WHEN (direction = 'lower' AND actual <= target) OR (direction <> 'lower' AND actual >= target)
                     THEN 1.0 ELSE 0.0 END
            ELSE (actual - coalesce(baseline, 0)) / (target - coalesce(baseline, 0))
        END AS progress,
        CASE
            WHEN start_date IS NULL OR due_date IS NULL OR due_date <= start_date THEN NULL
            WHEN CAST(d AS DATE) <= start_date THEN 0.0
            WHEN CAST(d AS DATE) >= due_date THEN 1.0
            ELSE date_diff('day', start_date, CAST(d AS DATE)) / date_diff('day', start_date, due_date)
        END AS elapsed,
        CASE
            WHEN target IS NULL OR actual IS NULL OR target = 0 THEN NULL
            WHEN direction = 'lower' THEN (2 * target - actual) / target
            ELSE actual / target
        END AS achievement,
        CASE WHEN budget IS NULL OR budget = 0 THEN NULL ELSE budget_spent / budget END AS budget_absorption
    FROM live
)
SELECT *,
    CASE WHEN achievement IS NULL THEN NULL ELSE least(greatest(achievement, 0.0), 1.0) END AS achievement_capped,
    CASE
        WHEN progress >= 1 THEN 'done'
        WHEN progress IS NULL AND reported_status IS NOT NULL THEN reported_status
        WHEN start_date IS NOT NULL AND state_date < start_date AND coalesce(progress, 0) <= 0 THEN 'not_started'
        WHEN due_date IS NOT NULL AND state_date > due_date THEN 'late'
        WHEN elapsed IS NULL THEN CASE WHEN coalesce(progress, 0) > 0 THEN 'on_track' ELSE 'not_started' END
        WHEN coalesce(progress, 0) <= 0 AND elapsed <= {at_risk_gap} THEN 'not_started'
        WHEN elapsed - coalesce(progress, 0) <= {at_risk_gap} THEN 'on_track'
        WHEN elapsed - coalesce(progress, 0) <= {late_gap} THEN 'at_risk'
        ELSE 'late'
    END AS status,
    date_diff('day', agency_last_report, state_date) AS days_since_report,
    date_diff('day', agency_last_report, state_date) < {review_cycle_days} AS reported_in_cycle
FROM measured
"""

AGENCIES = ["DINKES", "DLH", "DPUPR", "ZZ-UNKNOWN"]        # the last is not in the registry
WEEKS = [date(2024, 9, 2) + timedelta(weeks=i) for i in range(5)]
T0 = datetime(2024, 9, 2, 8, 0)


def _values(rng: random.Random) -> dict:
    """Random field values reaching every branch of the progress and status rules."""
    baseline = rng.choice([None, 0.0, 10.0, 40.0])
    target = rng.choice([None, 0.0, 40.0, 100.0, 100.0])
    if rng.random() < 0.15:
        target = baseline if baseline is not None else 0.0        # target = baseline
    start = rng.choice([None, date(2024, 1, 1), date(2024, 9, 20), date(2024, 11, 1)])
    due = rng.choice([None, date(2024, 9, 10), date(2024, 12, 31), date(2024, 8, 1)])
    return {
        "pillar": rng.choice(["integration", "collaboration", "sustainability"]),
        "baseline": baseline, "target": target,
        "actual": rng.choice([None, 0.0, 5.0, 20.0, 45.0, 60.0, 80.0, 100.0, 120.0]),
        "direction": rng.choice(["higher", "higher", "lower"]),
        "budget": rng.choice([None, 0.0, 1000.0, 2500.0]),
        "budget_spent": rng.choice([None, 0.0, 300.0, 2500.0]),
        "start_date": start, "due_date": due,
        "reported_status": rng.choice([None, None, "on_track", "late", "not_started"]),
        "notes": rng.choice([None, "catatan"]),
    }


def _build(store, seed: int) -> list[datetime]:
    """Random uploads and edits over five weeks; returns moments to view the data as known then."""
    rng = random.Random(seed)
    cur = store.cursor()
    plans = {ag: [f"{ag[:2]}-{i}" for i in range(rng.randint(2, 5))] for ag in AGENCIES}
    ids = {}
    for ag, codes in plans.items():
        for code in codes:
            ids[(ag, code)] = len(ids) + 1
            cur.execute("INSERT INTO actions VALUES (?, ?, ?, NULL)", [ids[(ag, code)], ag, code])
    # progress ids are not in recorded order: shuffled, so a later recorded_at may have a lower id.
    progress_ids = list(range(1, 400))
    rng.shuffle(progress_ids)
    moments: list[datetime] = []
    upload_id = 0

    def snapshot(action_id: int, as_of: date, recorded_at: datetime, source: str, upload: int | None) -> None:
        v = _values(rng)
        cur.execute(
            """INSERT INTO progress (id, action_id, as_of, upload_id, source, recorded_at, recorded_by, pillar,
                   activity, baseline, target, actual, direction, budget, budget_spent, start_date, due_date,
                   reported_status, notes)
               VALUES (?, ?, ?, ?, ?, ?, 'test', ?, 'Aksi', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [progress_ids.pop(), action_id, as_of, upload, source, recorded_at, v["pillar"], v["baseline"],
             v["target"], v["actual"], v["direction"], v["budget"], v["budget_spent"], v["start_date"],
             v["due_date"], v["reported_status"], v["notes"]])

    clock = T0
    for week in WEEKS:
        for ag, codes in plans.items():
            if rng.random() < 0.25:
                continue                                            # this agency sent nothing this week
            # An upload may be for this week or, late, a correction for an earlier week.
            as_of = week if rng.random() < 0.8 else rng.choice([w for w in WEEKS if w <= week])
            clock += timedelta(hours=rng.choice([0, 1, 5]))
            upload_id += 1
            cur.execute("INSERT INTO uploads VALUES (?, 'f.xlsx', 'x', 1, 'test', ?, ?, 0, 0, 'loaded')",
                        [upload_id, clock, as_of])
            cur.execute("INSERT INTO upload_agencies VALUES (?, ?, ?)", [upload_id, ag, as_of])
            for code in codes:
                if rng.random() < 0.3:
                    continue                                        # left out of this upload: removed
                snapshot(ids[(ag, code)], as_of, clock, "upload", upload_id)
            moments.append(clock + timedelta(minutes=30))
        # Browser edits: same date as other rows, sometimes the very same recorded_at (id decides).
        for _ in range(rng.randint(0, 4)):
            ag = rng.choice(AGENCIES)
            action_id = ids[(ag, rng.choice(plans[ag]))]
            as_of = rng.choice([w for w in WEEKS if w <= week] + [week + timedelta(days=2)])
            when = clock if rng.random() < 0.4 else clock + timedelta(minutes=rng.randint(1, 90))
            snapshot(action_id, as_of, when, "edit", None)
            if rng.random() < 0.3:
                snapshot(action_id, as_of, when, "edit", None)       # a twin: same date, same moment
    # An agency row whose upload is missing from uploads: counts unless viewed as known at a moment.
    cur.execute("INSERT INTO upload_agencies VALUES (999, 'DLH', ?)", [rng.choice(WEEKS)])
    cur.close()
    return [None, T0 - timedelta(hours=1), *rng.sample(moments, min(3, len(moments))), clock + timedelta(days=1)]


def _dates() -> list[date]:
    """Before the first week, every week, a day after (an edit's date), mid-week, long after the last."""
    days = [WEEKS[0] - timedelta(days=1)]
    for w in WEEKS:
        days += [w, w + timedelta(days=2)]
    return days + [WEEKS[2] + timedelta(days=4), WEEKS[-1] + timedelta(days=60)]


SEEDS = range(6)


@pytest.fixture(scope="module")
def stores():
    """One in-memory store per seed, built once for this module's tests: seed -> (store, knowns)."""
    built = {}
    for seed in SEEDS:
        store = open_store(":memory:")
        store.cursor().execute(REFERENCE_SQL.format(
            at_risk_gap=float(setting("at_risk_gap")), late_gap=float(setting("late_gap")),
            review_cycle_days=int(setting("review_cycle_days"))))
        built[seed] = (store, _build(store, seed))
    yield built
    for store, _ in built.values():
        store.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_action_state_matches_the_reference_query(stores, seed):
    store, knowns = stores[seed]
    cur = store.cursor()
    ours = cur.execute("DESCRIBE SELECT * FROM action_state(DATE '2024-09-02')").fetchall()
    theirs = cur.execute("DESCRIBE SELECT * FROM action_state_reference(DATE '2024-09-02')").fetchall()
    assert ours == theirs                                          # same columns, same order, same types

    def every_date(macro: str, known: datetime | None) -> list[tuple]:
        # One query per side: the state on every date, stacked (a query per date is slow to plan).
        sql = " UNION ALL ".join(
            f"(SELECT ?::DATE AS on_date, * FROM {macro}(?::DATE, known := ?::TIMESTAMP))" for _ in _dates())
        bind = [x for d in _dates() for x in (d, d, known)]
        return cur.execute(f"SELECT * FROM ({sql}) ORDER BY on_date, action_id", bind).fetchall()

    checked = 0
    for known in knowns:
        theirs = every_date("action_state_reference", known)
        assert every_date("action_state", known) == theirs, f"seed {seed}, known {known}"
        checked += len(theirs)
    assert checked > 0


def test_the_random_data_reaches_the_cases_that_matter(stores):
    """The generator is worth its name: ties, removals, views as known earlier and every status occur."""
    statuses, removed, tied, tied_same_moment, known_differs = set(), 0, 0, 0, 0
    for store, knowns in stores.values():
        cur = store.cursor()
        for d in _dates():
            statuses |= {r[0] for r in cur.execute("SELECT DISTINCT status FROM action_state(?::DATE)", [d]).fetchall()}
        removed += cur.execute(
            """SELECT count(*) FROM actions a WHERE EXISTS (SELECT 1 FROM progress p WHERE p.action_id = a.id
               AND p.as_of <= ?) AND a.id NOT IN (SELECT action_id FROM action_state(?::DATE))""",
            [WEEKS[-1], WEEKS[-1]]).fetchone()[0]
        tied += cur.execute(
            "SELECT count(*) FROM (SELECT action_id, as_of FROM progress GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
        tied_same_moment += cur.execute(
            "SELECT count(*) FROM (SELECT action_id, as_of, recorded_at FROM progress GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        for known in knowns[1:]:
            known_differs += cur.execute(
                """SELECT count(*) FROM (FROM action_state(?::DATE) EXCEPT ALL
                   FROM action_state(?::DATE, known := ?::TIMESTAMP))""", [WEEKS[2], WEEKS[2], known]).fetchone()[0]
    assert statuses >= {"not_started", "on_track", "at_risk", "late", "done"}
    assert removed > 0 and tied > 0 and tied_same_moment > 0 and known_differs > 0


def test_compute_kpis_in_one_query_matches_each_kpi_run_alone(stores):
    """compute_kpis evaluates the state once for every KPI; each KPI's own query (kpi_sql, reading
    action_state itself, as compute_kpis once ran them) must give the same rows."""
    kpis = load_kpis()
    for store, _ in stores.values():
        cur = store.cursor()
        for d in (WEEKS[1], WEEKS[-1], WEEKS[-1] + timedelta(days=60)):
            alone = []
            for kpi in kpis:
                sql, params = kpi_sql(kpi)
                bind = [*params, d] if kpi.pillar == "all" else [*params, d, kpi.pillar]
                for scope_type, scope_key, value, n in cur.execute(sql, bind).fetchall():
                    if not (kpi.pillar != "all" and scope_type == "pillar"):
                        alone.append((kpi.id, scope_type, scope_key, d, value, kpi.target, kpi.rag(value), n))
            together = {r[:4]: r[4:] for r in compute_kpis(store, d, kpis)}
            assert len(together) == len(alone) > 0
            for row in alone:
                value, target, status, n = together[row[:4]]
                assert (value, target, status, n) == (pytest.approx(row[4]), row[5], row[6], row[7]), row
