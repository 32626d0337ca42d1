"""The weekly review's comparison of three dates is kept in the database file for the data version
(Store.kept_rows): a restarted server reads it instead of comparing again, and a write shows at once.

The plan is tests/test_review.py's (build_review_plan): since 30 Sep, DLH's S-01 and S-02 stalled, Dinkes's
C-01 and C-02 new, Diskominfo's I-03 new and I-01 improved, Disdukcapil's I-02 new.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from smartcity.briefing import briefing_data
from smartcity.store import Store, open_store
from smartcity.views import Filters
from smartcity.views_review import weekly_review
from tests.test_review import build_review_plan
from tests.ui_fixtures import D, D_EARLIER, add

COUNTS = {"DLH": {"stalled": 2}, "DINKES": {"new": 2}, "DISKOMINFO": {"new": 1, "improved": 1},
          "DISDUKCAPIL": {"new": 1}}


def changes(review) -> dict:
    return {g.agency_code: g.counts for g in review.agencies}


def kept_tables(store: Store) -> list[str]:
    return list(store.query_df("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'derived' "
                               "AND table_name LIKE 'kept%' ORDER BY table_name")["table_name"])


@pytest.fixture
def path(tmp_path):
    store = build_review_plan(open_store(tmp_path / "plan.duckdb"))
    first = weekly_review(store, Filters())
    assert changes(first) == COUNTS
    store.close()
    return tmp_path / "plan.duckdb"


def test_a_restarted_process_reads_the_kept_changes_without_comparing_the_dates_again(path, monkeypatch):
    filled = []
    original = Store._fill_state
    monkeypatch.setattr(Store, "_fill_state", lambda self, name, as_of, known: (filled.append(as_of),
                                                                                  original(self, name, as_of, known)))
    store = open_store(path)
    assert len(kept_tables(store)) == 3              # the changes; red actions without reasons; corrections
    again = weekly_review(store, Filters())
    assert changes(again) == COUNTS
    kominfo = next(g for g in again.agencies if g.agency_code == "DISKOMINFO").changes
    assert list(kominfo["action_code"]) == ["I-03", "I-01"]                # new before improved: worst first
    # Only the review date's state was read (for who has not reported, red actions without reasons):
    # not the comparison date's, nor the stalled weeks' base.
    assert filled == [D]
    assert [list(again.missing_reasons["action_code"]), again.missing_total] == [["I-03", "S-02", "I-01"], 3]
    assert list(again.corrections["action_code"]) == ["I-01"] and again.corrections_total == 1  # as in test_review
    store.close()


def test_the_briefing_of_a_restarted_process_reads_its_kept_changes(path, monkeypatch):
    store = open_store(path)
    first = briefing_data(store, D)
    store.close()
    filled = []
    original = Store._fill_state
    monkeypatch.setattr(Store, "_fill_state", lambda self, name, as_of, known: (filled.append(as_of),
                                                                                  original(self, name, as_of, known)))
    store = open_store(path)
    again = briefing_data(store, D)
    assert again.changes.counts == first.changes.counts == {"new": 4, "improved": 1, "stalled": 2}
    assert again.changes.top.equals(first.changes.top)
    assert list(again.changes.top["action_code"][:2]) == ["S-01", "S-02"]  # stalled before new: worst first
    assert D_EARLIER not in filled                                           # the comparison date not read
    store.close()


def test_a_write_shows_at_once_and_the_rows_of_the_old_data_go(path):
    store = open_store(path)
    before = kept_tables(store)
    # DLH reports S-01 on 7 Oct, running 1 Jan - 31 Dec: actual 55 of 100 where 280/365 = 0,767 of the time
    # has gone, 0,22 behind: at risk, where it was not started. No longer stalled: it slipped.
    add(store, "DLH", "S-01", D, actual=55)
    now = weekly_review(store, Filters())
    assert changes(now)["DLH"] == {"slipped_at_risk": 1, "stalled": 1}
    after = kept_tables(store)
    assert len(after) == 3 and not set(after) & set(before)                # kept anew for the new data version
    # Sent again for the same date on 9 Oct (after the plan's correction of 8 Oct): a correction of the 55.
    add(store, "DLH", "S-01", D, actual=60, recorded_at=datetime(2024, 10, 9, 10, 0))
    fixed = weekly_review(store, Filters())
    assert list(fixed.corrections["action_code"]) == ["S-01", "I-01"]      # the newest first
    assert list(fixed.corrections["actual_before"]) == [55, 40]
    store.close()


def test_a_read_only_store_compares_and_keeps_nothing(path):
    store = open_store(path)
    for table in kept_tables(store):
        store.query_one(f"DROP TABLE derived.{table}")
    store.close()
    read_only = open_store(path, read_only=True)
    assert changes(weekly_review(read_only, Filters())) == COUNTS
    assert kept_tables(read_only) == []
    read_only.close()


def test_another_scope_is_kept_apart(path):
    store = open_store(path)
    only_dlh = weekly_review(store, Filters(agency="DLH"))
    assert changes(only_dlh) == {"DLH": {"stalled": 2}}
    assert changes(weekly_review(store, Filters())) == COUNTS
    assert len(kept_tables(store)) == 5              # two lists of each scope; the corrections of every scope
    store.close()


def test_a_result_kept_for_the_data_version_is_made_once_and_again_after_a_write(path):
    store = open_store(path)
    made = []

    def make() -> int:
        made.append(len(made) + 1)
        return made[-1]

    assert [store.per_version("count", make), store.per_version("count", make)] == [1, 1]   # once a version
    add(store, "DLH", "S-01", D, actual=55)
    assert store.per_version("count", make) == 2                                            # a write: made again
    store.close()


def test_a_new_snapshot_date_is_offered_at_once(path):
    from datetime import date

    from smartcity.views import dates_with_data

    store = open_store(path)
    assert dates_with_data(store)[0] == D                        # the snapshot dates, read and kept
    add(store, "DLH", "S-01", date(2024, 10, 14), actual=60)     # a week later
    assert dates_with_data(store)[:2] == [date(2024, 10, 14), D]
    assert weekly_review(store, Filters()).as_of == date(2024, 10, 14)
    store.close()
