"""Action status on an as-of date: progress from baseline to target against the time elapsed.

Settings in force: at_risk_gap 0.10, late_gap 0.25 (the defaults).
All actions run 1 Jan 2024 to 31 Dec 2024 unless said (365 days apart), and the as-of date
1 Jul 2024 is 182 days after the start, so elapsed = 182/365 = 0.4986.
"""
from datetime import date

import pytest

from smartcity.store import open_store
from tests.storefix import add_snapshot, cover, state

START, DUE, MID = date(2024, 1, 1), date(2024, 12, 31), date(2024, 7, 1)


@pytest.fixture
def store():
    s = open_store(":memory:")
    yield s
    s.close()


def _status(store, as_of=MID, **values):
    values.setdefault("start_date", START)
    values.setdefault("due_date", DUE)
    add_snapshot(store, "DINKES", "A1", date(2024, 6, 30), **values)
    return state(store, as_of)["A1"]


def test_elapsed_is_share_of_days_between_start_and_due(store):
    row = _status(store, actual=50)
    assert row["elapsed"] == pytest.approx(182 / 365)


def test_progress_level_with_time_is_on_track(store):
    # 50 of 100 done, half the year gone: gap ~ 0 -> on track
    assert _status(store, actual=50)["status"] == "on_track"


def test_progress_counts_from_the_baseline(store):
    # baseline 40, target 60, actual 45: progress (45-40)/(60-40) = 0.25; elapsed 0.4986;
    # gap 0.2486 is over 0.10 and under 0.25 -> at risk
    row = _status(store, baseline=40, target=60, actual=45)
    assert row["progress"] == pytest.approx(0.25)
    assert row["status"] == "at_risk"


def test_far_behind_schedule_is_late(store):
    # progress 0.20 against elapsed 0.4986: gap 0.2986 > 0.25 -> late
    assert _status(store, actual=20)["status"] == "late"


def test_reaching_the_target_is_done_even_before_due(store):
    assert _status(store, actual=100)["status"] == "done"


def test_past_due_and_short_of_target_is_late(store):
    assert _status(store, as_of=date(2025, 1, 15), actual=95)["status"] == "late"


def test_before_start_with_no_progress_is_not_started(store):
    row = _status(store, start_date=date(2024, 9, 1), due_date=date(2024, 12, 1), actual=0)
    assert row["status"] == "not_started"


def test_lower_is_better_progress_and_achievement(store):
    # stunting rate: baseline 30%, target 20%, actual 25% -> progress (25-30)/(20-30) = 0.5
    # achievement (2 x 20 - 25) / 20 = 0.75
    row = _status(store, baseline=30, target=20, actual=25, direction="lower")
    assert row["progress"] == pytest.approx(0.5)
    assert row["achievement"] == pytest.approx(0.75)
    assert row["status"] == "on_track"


def test_achievement_is_capped_at_one_for_averages(store):
    row = _status(store, target=10, actual=15)
    assert row["achievement"] == pytest.approx(1.5)
    assert row["achievement_capped"] == pytest.approx(1.0)


def test_without_numbers_the_reported_status_stands(store):
    assert _status(store, target=None, actual=None, reported_status="at_risk")["status"] == "at_risk"


def test_budget_absorption_is_spent_over_budget(store):
    assert _status(store, actual=50, budget=2_000_000, budget_spent=500_000)["budget_absorption"] == pytest.approx(0.25)


def test_an_old_date_shows_the_snapshot_known_then(store):
    add_snapshot(store, "DINKES", "A1", date(2024, 9, 23), actual=10)
    add_snapshot(store, "DINKES", "A1", date(2024, 9, 30), actual=40)
    assert state(store, date(2024, 9, 27))["A1"]["actual"] == 10
    assert state(store, date(2024, 10, 1))["A1"]["actual"] == 40
    assert state(store, date(2024, 9, 1)) == {}


def test_action_left_out_of_a_later_upload_of_its_agency_is_gone_from_then(store):
    add_snapshot(store, "DINKES", "A1", date(2024, 9, 23), upload_id=1)
    add_snapshot(store, "DINKES", "A2", date(2024, 9, 23), upload_id=1)
    cover(store, 1, "DINKES", date(2024, 9, 23))
    add_snapshot(store, "DINKES", "A1", date(2024, 9, 30), upload_id=2)
    cover(store, 2, "DINKES", date(2024, 9, 30))
    assert set(state(store, date(2024, 9, 25))) == {"A1", "A2"}
    assert set(state(store, date(2024, 9, 30))) == {"A1"}


def test_days_since_report_is_per_agency(store):
    add_snapshot(store, "DINKES", "A1", date(2024, 9, 23))
    add_snapshot(store, "DLH", "B1", date(2024, 9, 30))
    rows = state(store, date(2024, 10, 7))
    assert rows["A1"]["days_since_report"] == 14 and not rows["A1"]["reported_in_cycle"]
    assert rows["B1"]["days_since_report"] == 7 and not rows["B1"]["reported_in_cycle"]
    assert state(store, date(2024, 10, 6))["B1"]["reported_in_cycle"]


def test_an_action_without_numbers_does_not_count_in_achievement_averages(store):
    # no actual yet: achievement and its capped form stay empty, not 0%
    row = _status(store, target=100, actual=None)
    assert row["achievement"] is None or row["achievement"] != row["achievement"]
    assert row["achievement_capped"] is None or row["achievement_capped"] != row["achievement_capped"]
