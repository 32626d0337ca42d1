"""The weekly review's read models: stalled over N weeks, worst news first per agency, the page's
whole review on the hand-worked plan, the KPI change since the previous review, and the CLI.

Weeks: W1 23 Sep, W2 30 Sep, W3 7 Oct 2024. Every action runs 1 Jan - 31 Dec 2024: elapsed is
0.729 on W1, 0.748 on W2, 0.767 on W3 (gap = elapsed - progress: <= 0.10 on track, <= 0.25 at risk).
"""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.decisions import add_decision, follow_up
from smartcity.formatting import format_change
from smartcity.kpi import recompute_kpis
from smartcity.review import by_agency, previous_snapshot, review_since
from smartcity.store import open_store
from smartcity.views import Filters, kpi_board
from smartcity.views_review import weekly_review
from tests.storefix import add_snapshot
from tests.ui_fixtures import D, D_EARLIER, add, build_plan

W1, W2, W3 = date(2024, 9, 23), date(2024, 9, 30), date(2024, 10, 7)
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}


@pytest.fixture(scope="module")
def weeks():
    """Actions whose numbers stop moving at different times.

    X  30, 30, 30   never moves (late all along)
    Y  50, 60, 60   moved in W2, not in W3 (at risk on W2 and W3)
    W  80, 85, 85   on track throughout; moved in W2, not in W3
    D  100 each week: done, never counts as stalled
    """
    s = open_store(":memory:")
    for code, values in {"X": (30, 30, 30), "Y": (50, 60, 60), "W": (80, 85, 85), "D": (100, 100, 100)}.items():
        for week, actual in zip((W1, W2, W3), values):
            add_snapshot(s, "DINKES", code, week, actual=actual, **YEAR)
    yield s
    s.close()


def _kinds(review) -> dict[str, str]:
    return dict(zip(review.changes["action_code"], review.changes["kind"]))


def test_without_weeks_stalled_means_no_movement_since_the_last_review(weeks):
    assert _kinds(review_since(weeks, W2, W3)) == {"X": "stalled", "Y": "stalled", "W": "stalled"}


def test_stalled_for_two_weeks_compares_with_the_state_two_weeks_before(weeks):
    # Two weeks before W3 is W1: only X has the same numbers then; Y and W moved in between (left out).
    review = review_since(weeks, W2, W3, stalled_weeks=2)
    assert _kinds(review) == {"X": "stalled"}
    assert review.as_json()["stalled_weeks"] == 2


def test_an_action_moved_since_an_older_review_yet_still_for_n_weeks_is_stalled(weeks):
    # Since W1 Y and W moved (50 -> 60, 80 -> 85), but not over the last week (W2 -> W3).
    assert _kinds(review_since(weeks, W1, W3)) == {"X": "stalled", "Y": "moved", "W": "moved"}
    assert _kinds(review_since(weeks, W1, W3, stalled_weeks=1)) == {"X": "stalled", "Y": "stalled", "W": "stalled"}


def test_before_the_first_snapshot_nothing_can_have_stalled_for_n_weeks(weeks):
    assert _kinds(review_since(weeks, W1, W2, stalled_weeks=2)) == {"Y": "moved", "W": "moved"}


def test_the_previous_snapshot_is_the_date_of_the_previous_review(weeks):
    assert previous_snapshot(weeks, W3) == W2
    assert previous_snapshot(weeks, W1) is None


def test_agencies_with_the_worst_news_come_first():
    s = open_store(":memory:")
    # DLH: one action slips to late. DINKES: two new actions. BPKAD: one slips to late and one is new.
    add_snapshot(s, "DLH", "L1", W2, actual=70, **YEAR)              # on track (gap 0.048)
    add_snapshot(s, "DLH", "L1", W3, actual=40, **YEAR)              # late (0.367)
    add_snapshot(s, "BPKAD", "B1", W2, actual=70, **YEAR)
    add_snapshot(s, "BPKAD", "B1", W3, actual=30, **YEAR)            # late
    add_snapshot(s, "BPKAD", "B2", W3, actual=80, **YEAR)            # new
    add_snapshot(s, "DINKES", "K1", W3, actual=80, **YEAR)           # new
    add_snapshot(s, "DINKES", "K2", W3, actual=80, **YEAR)           # new
    groups = by_agency(review_since(s, W2, W3).changes)
    # one slipped_late each for BPKAD and DLH; BPKAD also has a new action, but DLH and BPKAD tie on
    # the worst kind and on every kind up to 'new', where BPKAD has one more: BPKAD, DLH, then DINKES.
    assert [g["agency_code"].iloc[0] for g in groups] == ["BPKAD", "DLH", "DINKES"]
    assert list(groups[0]["kind"]) == ["slipped_late", "new"]


# -- the whole review on the hand-worked plan (tests/ui_fixtures.py) ----------------------------

def build_review_plan(store):
    """The plan, with a correction, last review's decisions and a follow-up.

    DISKOMINFO sent its 30 Sep figures again on 8 Oct: I-01 actual 40 -> 45 (both kept).
    The review of 30 Sep decided two things; Dinkes has carried its one out.
    """
    build_plan(store)
    add(store, "DISKOMINFO", "I-01", D_EARLIER, activity="Satu Data Kotim", actual=45, dimension="Smart Governance",
        budget=1_000_000_000, budget_spent=400_000_000, recorded_at=datetime(2024, 10, 8, 10, 0),
        recorded_by="kominfo")
    recompute_kpis(store)
    first = add_decision(store, SYSTEM_ACTOR, D_EARLIER, "DINKES", "Percepat kemitraan posyandu", due_date=D)
    add_decision(store, SYSTEM_ACTOR, D_EARLIER, "DLH", "Kirim laporan terbaru")
    follow_up(store, Actor("dinkes", "editor", frozenset({"DINKES"})), first, True, "MoU ditandatangani 3 Okt")
    return store


@pytest.fixture(scope="module")
def plan():
    s = build_review_plan(open_store(":memory:"))
    yield s
    s.close()


def test_the_review_compares_with_the_previous_snapshot(plan):
    r = weekly_review(plan, Filters())
    assert (r.as_of, r.since, r.since_choices) == (D, D_EARLIER, [D_EARLIER, date(2024, 9, 20)])
    assert r.stalled_base == W1                                        # 7 Oct - 2 weeks
    # new: I-02, I-03, C-01, C-02; improved: I-01 (late on 30 Sep at 45, at risk at 60 now);
    # stalled: DLH's S-01 and S-02, unchanged since their 20 Sep report (on or before 23 Sep).
    assert r.counts == {"stalled": 2, "new": 4, "improved": 1}
    assert [(a.agency_short, a.counts) for a in r.agencies] == [
        ("DLH", {"stalled": 2}), ("Dinkes", {"new": 2}), ("Diskominfo", {"new": 1, "improved": 1}),
        ("Disdukcapil", {"new": 1})]
    assert r.agencies[0].bad_news and not r.agencies[1].bad_news


def test_the_review_names_the_silent_agency_and_the_reminder(plan):
    r = weekly_review(plan, Filters())
    assert list(r.not_reported["agency_code"]) == ["DLH"] and int(r.not_reported["days_since"].iloc[0]) == 17
    assert r.agencies_in_scope == 4
    assert "Dinas Lingkungan Hidup" in r.reminder and "17 hari lalu" in r.reminder
    # agencies_reported: 3 of 4 reported within 7 days on 7 Oct; on 30 Sep 1 of 2 (DLH was 10 days late)
    assert (r.reported_kpi.value, r.reported_kpi.previous, r.reported_kpi.change) == (75.0, 50.0, 25.0)


def test_the_review_counts_red_actions_without_reasons_and_lists_corrections(plan):
    r = weekly_review(plan, Filters())
    assert list(r.missing_reasons["action_code"]) == ["I-03", "S-02", "I-01"]      # late first, then at risk
    fix = r.corrections.iloc[0]
    assert len(r.corrections) == 1
    assert (fix["action_code"], fix["actual_before"], fix["actual_after"], fix["agency_short"]) == \
        ("I-01", 40, 45, "Diskominfo")


def test_the_review_opens_with_last_reviews_decisions_and_their_follow_up(plan):
    r = weekly_review(plan, Filters())
    assert r.last_review == D_EARLIER and r.decisions.empty
    last = r.last_decisions.set_index("agency_code")
    assert bool(last.loc["DINKES", "done"]) and last.loc["DINKES", "follow_up_note"] == "MoU ditandatangani 3 Okt"
    assert not bool(last.loc["DLH", "done"])


def test_the_filters_narrow_the_review(plan):
    r = weekly_review(plan, Filters(agency="DISKOMINFO"))
    assert r.counts == {"new": 1, "improved": 1} and r.not_reported.empty and r.agencies_in_scope == 1
    assert list(r.missing_reasons["action_code"]) == ["I-03", "I-01"] and len(r.corrections) == 1
    assert r.last_decisions.empty
    r = weekly_review(plan, Filters(pillar="sustainability"))
    assert r.counts == {"stalled": 2} and list(r.not_reported["agency_code"]) == ["DLH"]


def test_a_chosen_comparison_date_and_weeks(plan):
    # Against 20 Sep every action but DLH's is new.
    assert weekly_review(plan, Filters(), since=date(2024, 9, 20)).counts == {"stalled": 2, "new": 5}
    # A date that is no choice (not before the as-of date) falls back to the previous snapshot.
    assert weekly_review(plan, Filters(), since=D).since == D_EARLIER


def test_an_old_as_of_date_is_reviewed_as_it_was(plan):
    r = weekly_review(plan, Filters(as_of=D_EARLIER))
    # I-01 is new on 30 Sep. DLH's actions did not move since 20 Sep, but two weeks before 30 Sep
    # (16 Sep) there was no data yet: they cannot have stood still for two weeks.
    assert (r.since, r.counts) == (date(2024, 9, 20), {"new": 1})
    assert r.last_review is None
    assert list(r.decisions["text"]) == ["Percepat kemitraan posyandu", "Kirim laporan terbaru"]


def test_the_first_snapshot_has_nothing_to_compare_with(plan):
    r = weekly_review(plan, Filters(as_of=date(2024, 9, 20)))
    assert r.since is None and r.counts == {} and r.agencies == []


# -- KPI change since the previous review -------------------------------------------------------

def test_each_kpi_carries_its_value_on_the_previous_snapshot(plan):
    kpis = {k.id: k for k in kpi_board(plan, Filters()).kpis}
    achievement = kpis["achievement"]
    # 30 Sep: I-01 45/100, S-01 0, S-02 30/100 -> (0.45 + 0 + 0.3) / 3 = 25%; 7 Oct 57,86% (ui_fixtures)
    assert achievement.previous_as_of == D_EARLIER
    assert round(achievement.previous, 2) == 25.0 and round(achievement.change, 2) == 32.86
    assert kpis["late_or_at_risk"].change == 1.0                     # 2 on 30 Sep (I-01, S-02), 3 now


def test_a_pillar_kpi_has_its_trend_under_its_pillar(plan):
    kpis = {k.id: k for k in kpi_board(plan, Filters(pillar="integration")).kpis}
    integration = kpis["integration_achievement"]
    # 20 Sep: no integration action yet; 30 Sep: I-01 only (45 of 100); 7 Oct: 66,67% (ui_fixtures)
    assert list(integration.trend["value"].round(2).fillna(-1)) == [-1, 45.0, 66.67]
    assert round(integration.change, 2) == 21.67


@pytest.mark.parametrize("value, unit, shown", [
    (4.24, "percent", "+4,2"), (-16.67, "percent", "-16,7"), (0.04, "percent", "0"), (2, "count", "+2"),
    (-1, "count", "-1"), (1_200_000_000, "rupiah", "+Rp 1,2 M"), (0, "rupiah", "Rp 0"), (None, "count", "–"),
])
def test_changes_are_written_with_their_sign(value, unit, shown):
    assert format_change(value, unit) == shown


# -- the command line agrees with the page --------------------------------------------------------

def test_cli_review_defaults_to_the_previous_snapshot_and_two_weeks(tmp_path, capsys):
    from smartcity.cli import main

    db = tmp_path / "plan.duckdb"
    build_review_plan(open_store(db)).close()
    assert main(["review", "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    page = weekly_review(s := open_store(db), Filters())
    s.close()
    assert (data["since"], data["as_of"], data["stalled_weeks"]) == ("2024-09-30", "2024-10-07", 2)
    assert data["counts"] == page.counts
    assert [a["name"] for a in data["agencies"]] == [a.agency_short for a in page.agencies]


def test_a_decision_may_name_the_chosen_agencys_actions_in_scope(plan):
    from smartcity.views_review import decision_actions

    # Diskominfo's actions on 7 Oct: I-01 and I-03 (tests/ui_fixtures.py), by code.
    assert list(decision_actions(plan, Filters(), "DISKOMINFO")["action_code"]) == ["I-01", "I-03"]
    assert list(decision_actions(plan, Filters(), "DISKOMINFO")["activity"]) == ["Satu Data Kotim",
                                                                                 "Aplikasi layanan terpadu"]
    # Filtered to Dinkes, another agency's actions are out of scope; filtered to sustainability, Dinkes has none.
    assert decision_actions(plan, Filters(agency="DINKES"), "DISKOMINFO").empty
    assert decision_actions(plan, Filters(pillar="sustainability"), "DINKES").empty
