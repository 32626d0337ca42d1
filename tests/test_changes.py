"""Change detection between two as-of dates, on snapshots built in the test.

Week 1 is 23 Sep 2024, week 2 is 30 Sep 2024. All actions run 1 Jan to 31 Dec 2024, so on
30 Sep elapsed = 273/365 = 0.748; on 23 Sep 266/365 = 0.729.
"""
from datetime import date

import pytest

from smartcity.changes import changes_between
from smartcity.store import open_store
from tests.storefix import add_snapshot, cover

W1, W2 = date(2024, 9, 23), date(2024, 9, 30)
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}


@pytest.fixture
def store():
    s = open_store(":memory:")
    # DINKES sends its whole plan both weeks (uploads 1 and 2).
    add_snapshot(s, "DINKES", "DONE", W1, upload_id=1, actual=90, **YEAR)     # 0.90 on track
    add_snapshot(s, "DINKES", "DONE", W2, upload_id=2, actual=100, **YEAR)    # 1.00 -> completed
    add_snapshot(s, "DINKES", "SLIP", W1, upload_id=1, actual=70, **YEAR)     # gap 0.029 on track
    add_snapshot(s, "DINKES", "SLIP", W2, upload_id=2, actual=70, **YEAR)     # gap 0.048... still on track
    add_snapshot(s, "DINKES", "LATE", W1, upload_id=1, actual=60, **YEAR)     # gap 0.129 at risk
    add_snapshot(s, "DINKES", "LATE", W2, upload_id=2, actual=45, **YEAR)     # corrected down: gap 0.298 late
    add_snapshot(s, "DINKES", "GONE", W1, upload_id=1, actual=10, **YEAR)     # not in week 2's upload
    add_snapshot(s, "DINKES", "FRESH", W2, upload_id=2, actual=80, **YEAR)    # new in week 2
    add_snapshot(s, "DINKES", "MOVE", W1, upload_id=1, actual=80, budget=100, budget_spent=10, **YEAR)
    add_snapshot(s, "DINKES", "MOVE", W2, upload_id=2, actual=80, budget=100, budget_spent=40, **YEAR)
    cover(s, 1, "DINKES", W1)
    cover(s, 2, "DINKES", W2)
    yield s
    s.close()


def test_each_kind_of_change_is_found(store):
    df = changes_between(store.cursor(), W1, W2)
    kinds = dict(zip(df["action_code"], df["kind"]))
    assert kinds == {
        "DONE": "completed",
        "SLIP": "stalled",        # 70 both weeks, not done
        "LATE": "slipped_late",
        "GONE": "removed",
        "FRESH": "new",
        "MOVE": "moved",          # budget spent 10 -> 40, status unchanged
    }


def test_worst_news_comes_first(store):
    df = changes_between(store.cursor(), W1, W2)
    assert list(df["kind"]) == ["slipped_late", "removed", "stalled", "new", "completed", "moved"]


def test_values_on_both_sides_are_kept(store):
    df = changes_between(store.cursor(), W1, W2).set_index("action_code")
    assert (df.loc["LATE", "actual_before"], df.loc["LATE", "actual_after"]) == (60, 45)
    assert (df.loc["LATE", "status_before"], df.loc["LATE", "status_after"]) == ("at_risk", "late")


def test_review_lists_changes_and_silent_agencies(store):
    from smartcity.review import reminder_text, review_since

    # DLH last reported on 9 Sep: 21 days before 30 Sep, beyond the 7-day cycle.
    add_snapshot(store, "DLH", "X1", date(2024, 9, 9), actual=10, owner="Ir. Budi", **YEAR)
    review = review_since(store, W1, W2)
    # DLH's X1 did not move either (nothing sent since 9 Sep), so two actions are stalled.
    assert review.counts() == {"slipped_late": 1, "removed": 1, "stalled": 2, "new": 1, "completed": 1, "moved": 1}
    silent = review.not_reported.set_index("agency_code")
    assert list(silent.index) == ["DLH"]
    assert silent.loc["DLH", "days_since"] == 21
    text = reminder_text(review.not_reported, W2)
    assert "Dinas Lingkungan Hidup (PJ: Ir. Budi)" in text and "21 hari lalu" in text
    assert review.as_json()["not_reported"] == [
        {"agency": "DLH", "name": "Dinas Lingkungan Hidup", "last_report": "2024-09-09", "days_since": 21}
    ]


def test_an_old_date_can_be_seen_as_it_was_known_then_and_corrections_are_listed():
    from datetime import datetime

    from smartcity.views import Filters
    from smartcity.views_review import every_correction

    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A", W1, actual=50, **YEAR)
    known_then = datetime.now()
    add_snapshot(s, "DINKES", "A", W1, actual=55, **YEAR)          # the same week sent again, corrected
    now = s.query_one("SELECT actual FROM action_state(?::DATE)", [W1])[0]
    then = s.query_one("SELECT actual FROM action_state(?::DATE, known := ?)", [W1, known_then])[0]
    assert (now, then) == (55, 50)
    fixes = every_correction(s, Filters(), W1)
    assert len(fixes) == 1
    assert (fixes.loc[0, "actual_before"], fixes.loc[0, "actual_after"]) == (50, 55)
    assert s.query_one("SELECT count(*) FROM progress")[0] == 2           # both values kept
