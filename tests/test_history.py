"""History read model: achievement, absorption and status counts on every snapshot date, in one query.

Three weekly snapshots: W1 23 Sep, W2 30 Sep, W3 7 Oct 2024. Every action runs 1 Jan - 31 Dec 2024,
so elapsed is 266/365 = 0.729 on W1, 273/365 = 0.748 on W2, 280/365 = 0.767 on W3; status by
gap = elapsed - progress: <= 0.10 on track, <= 0.25 at risk, else late; progress >= 1 done.

  A  DINKES integration      W1 70 (gap 0.029 on track)  W2 70 (0.048 on track)  W3 100 done
                             budget 100, spent 50 / 60 / 100
  B  DINKES integration      W1 60 (0.129 at risk)       W2 60 (0.148 at risk)   W3 50 (0.267 late)
                             budget 200, spent 20 / 20 / 20
  C  DLH    sustainability   W1 40 (0.329 late)          W2 nothing sent: still 40 (0.348 late)
                             W3 80 (-0.033 on track); no budget
Overall achievement: W1 (0.7 + 0.6 + 0.4) / 3 = 56,67%; W2 the same; W3 (1.0 + 0.5 + 0.8) / 3 = 76,67%.
Absorption: W1 70 / 300 = 23,33%; W2 80 / 300 = 26,67%; W3 120 / 300 = 40%.
"""
from datetime import date

import pandas as pd
import pytest

from smartcity.history import history
from smartcity.views import _MEASURES, STATUSES
from smartcity.store import open_store
from smartcity.views import Filters
from tests.storefix import add_snapshot, cover

W1, W2, W3 = date(2024, 9, 23), date(2024, 9, 30), date(2024, 10, 7)
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}


@pytest.fixture(scope="module")
def store():
    s = open_store(":memory:")
    for week, actual, spent in ((W1, 70, 50), (W2, 70, 60), (W3, 100, 100)):
        add_snapshot(s, "DINKES", "A", week, actual=actual, budget=100, budget_spent=spent, **YEAR)
    for week, actual in ((W1, 60), (W2, 60), (W3, 50)):
        add_snapshot(s, "DINKES", "B", week, actual=actual, budget=200, budget_spent=20, **YEAR)
    add_snapshot(s, "DLH", "C", W1, pillar="sustainability", actual=40, **YEAR)
    add_snapshot(s, "DLH", "C", W3, pillar="sustainability", actual=80, **YEAR)
    yield s
    s.close()


def _by_date(h, key="all"):
    rows = h.rows[h.rows["key"] == key]
    return {r["as_of"]: r for r in rows.to_dict("records")}


def test_overall_figures_on_every_snapshot_date(store):
    h = history(store, Filters(), "all")
    assert h.dates == [W1, W2, W3]
    rows = _by_date(h)
    assert [round(rows[d]["achievement"], 2) for d in h.dates] == [56.67, 56.67, 76.67]
    assert [round(rows[d]["absorption"], 2) for d in h.dates] == [23.33, 26.67, 40.0]
    assert [rows[d]["actions"] for d in h.dates] == [3, 3, 3]


def test_status_counts_follow_each_date(store):
    rows = _by_date(history(store, Filters(), "all"))
    counts = {d: {s: rows[d][s] for s in ("not_started", "on_track", "at_risk", "late", "done")} for d in rows}
    assert counts[W1] == {"not_started": 0, "on_track": 1, "at_risk": 1, "late": 1, "done": 0}
    # C sent nothing on W2: its W1 numbers stand, and it is still late
    assert counts[W2] == {"not_started": 0, "on_track": 1, "at_risk": 1, "late": 1, "done": 0}
    assert counts[W3] == {"not_started": 0, "on_track": 1, "at_risk": 0, "late": 1, "done": 1}


def test_per_pillar_in_the_usual_pillar_order(store):
    h = history(store, Filters(), "pillar")
    assert h.keys() == ["integration", "sustainability"]
    integration, sustainability = _by_date(h, "integration"), _by_date(h, "sustainability")
    assert round(integration[W1]["achievement"], 2) == 65.0          # (0.7 + 0.6) / 2
    assert round(integration[W3]["achievement"], 2) == 75.0          # (1.0 + 0.5) / 2
    assert sustainability[W3]["achievement"] == 80.0
    assert pd.isna(sustainability[W3]["absorption"])                 # no budget: no absorption


def test_per_agency_labelled_by_short_name(store):
    h = history(store, Filters(), "agency")
    assert h.keys() == ["DINKES", "DLH"]
    dinkes = _by_date(h, "DINKES")
    assert dinkes[W3]["label"] == "Dinkes" and dinkes[W3]["done"] == 1 and dinkes[W3]["late"] == 1


def test_an_earlier_as_of_shows_only_the_dates_up_to_it(store):
    h = history(store, Filters(as_of=W2), "all")
    assert h.dates == [W1, W2]


def test_the_filters_narrow_the_actions(store):
    h = history(store, Filters(agency="DLH"), "all")
    assert [r["actions"] for r in h.rows.to_dict("records")] == [1, 1, 1]
    assert list(h.rows["achievement"]) == [40.0, 40.0, 80.0]
    assert history(store, Filters(pillar="sustainability"), "pillar").keys() == ["sustainability"]


def test_an_empty_database_has_no_history():
    with open_store(":memory:") as empty:
        h = history(empty, Filters(), "pillar")
    assert h.as_of is None and h.rows.empty


def test_an_unknown_breakdown_is_refused(store):
    with pytest.raises(ValueError):
        history(store, Filters(), "dimension")


def test_one_query_agrees_with_action_state_on_each_demo_date(demo_db):
    # The LATERAL join over the snapshot dates must count exactly as action_state(d) does date by date.
    with open_store(demo_db, read_only=True) as demo:
        h = history(demo, Filters(), "agency")
        for d in h.dates:
            expected = demo.query_df(
                """SELECT agency_code AS key, count(*) AS actions, count(*) FILTER (WHERE status = 'late') AS late,
                          count(*) FILTER (WHERE status = 'done') AS done
                   FROM action_state(?::DATE) GROUP BY 1 ORDER BY 1""", [d])
            got = h.rows[h.rows["as_of"] == d].sort_values("key")
            assert list(got["key"]) == list(expected["key"])
            assert list(got["actions"]) == list(expected["actions"])
            assert list(got["late"]) == list(expected["late"]) and list(got["done"]) == list(expected["done"])


def test_every_figure_agrees_with_action_state_date_by_date_through_corrections_and_left_out_actions():
    # history() reads every date in one pass, with the macro's rules written for all dates: it must
    # count as action_state(d) does on each date. Here: an action its agency's upload left out on W3
    # (it counts on W1 and W2 only), a correction sent again for W2 (the later one counts), a
    # back-dated W1 snapshot recorded after W2's, a lower-is-better action, a reported status, no dates.
    with open_store(":memory:") as s:
        add_snapshot(s, "DINKES", "A", W1, actual=30, budget=100, budget_spent=10, **YEAR)
        add_snapshot(s, "DINKES", "A", W2, actual=40, budget=100, budget_spent=20, **YEAR)
        add_snapshot(s, "DINKES", "A", W2, actual=90, budget=100, budget_spent=70, **YEAR)    # corrects W2
        add_snapshot(s, "DINKES", "B", W1, upload_id=1, actual=75, budget=50, budget_spent=50, **YEAR)
        add_snapshot(s, "DINKES", "B", W2, upload_id=2, actual=80, **YEAR)
        add_snapshot(s, "DINKES", "C", W3, upload_id=3, actual=100, **YEAR)                    # B left out on W3
        cover(s, 1, "DINKES", W1)
        cover(s, 2, "DINKES", W2)
        cover(s, 3, "DINKES", W3)
        add_snapshot(s, "DLH", "D", W2, pillar="sustainability", actual=10, **YEAR)
        add_snapshot(s, "DLH", "D", W1, pillar="sustainability", actual=5, **YEAR)             # back-dated
        add_snapshot(s, "DLH", "E", W1, pillar="sustainability", direction="lower", baseline=40, target=20,
                     actual=25, budget=10, budget_spent=3, **YEAR)
        add_snapshot(s, "DLH", "F", W3, pillar="collaboration", actual=None, reported_status="at_risk")
        measures = ["actions", "achievement", "budget", "budget_spent", "absorption", *STATUSES]
        for by, key in (("agency", "agency_code"), ("pillar", "pillar")):
            h = history(s, Filters(), by)
            assert h.dates == [W1, W2, W3]
            for d in h.dates:
                expected = s.query_df(f"""SELECT {key} AS key, {_MEASURES} FROM action_state(?::DATE)
                                          GROUP BY 1 ORDER BY 1""", [d])
                got = h.rows[h.rows["as_of"] == d].sort_values("key").reset_index(drop=True)
                assert list(got["key"]) == list(expected["key"]), (by, d)
                pd.testing.assert_frame_equal(got[measures].astype(float), expected[measures].astype(float),
                                              check_names=False)
        assert history(s, Filters(as_of=date(2024, 1, 1)), "all").rows.empty      # before any snapshot


def test_actions_taken_a_slice_at_a_time_add_up_to_the_same_figures(store, monkeypatch):
    # history_grid queries SLICE_ACTIONS actions at a time (memory, issue 7) and adds the sums: with
    # one action per slice, DINKES's A and B fall in different slices and must still count together.
    # (computed_grid: history() reads the figures kept by its first computation, tests/test_history_kept.py)
    import smartcity.history as history_module

    whole = history_module.computed_grid(store, W3)
    monkeypatch.setattr(history_module, "SLICE_ACTIONS", 1)
    sliced = history_module.computed_grid(store, W3)
    pd.testing.assert_frame_equal(sliced, whole)
    dinkes = _by_date(history(store, Filters(), "agency"), "DINKES")
    # W1: A 70/100 and B 60/100 -> 65%; spent 50 + 20 of 100 + 200 -> 23,33%
    assert round(dinkes[W1]["achievement"], 2) == 65.0 and round(dinkes[W1]["absorption"], 2) == 23.33
    assert dinkes[W1]["actions"] == 2
