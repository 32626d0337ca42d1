"""Review decisions and their follow-up; reasons required for red actions."""
from datetime import date

import pytest

from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.decisions import DecisionError, add_decision, follow_up, open_from_last_review
from smartcity.errors import PermissionDenied
from smartcity.review import missing_reasons
from smartcity.store import open_store
from tests.storefix import add_snapshot

R1, R2, R3 = date(2024, 9, 30), date(2024, 10, 7), date(2024, 10, 14)
DINKES = Actor("dinkes", "editor", frozenset({"DINKES"}))
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}


@pytest.fixture
def store():
    s = open_store(":memory:")
    yield s
    s.close()


def test_next_review_opens_with_last_reviews_decisions_and_their_follow_up(store):
    d1 = add_decision(store, SYSTEM_ACTOR, R1, "DINKES", "Percepat pengadaan server SIMRS", due_date=R2)
    d2 = add_decision(store, SYSTEM_ACTOR, R1, "DLH", "Kirim data titik api mingguan")
    follow_up(store, DINKES, d1, True, "Kontrak ditandatangani 4 Okt")
    opened = open_from_last_review(store, R2).set_index("id")
    assert set(opened.index) == {d1, d2}
    assert bool(opened.loc[d1, "done"]) and opened.loc[d1, "follow_up_note"] == "Kontrak ditandatangani 4 Okt"
    assert not bool(opened.loc[d2, "done"])
    # a review two weeks on opens with R2's decisions (none yet), not R1's
    add_decision(store, SYSTEM_ACTOR, R2, "DLH", "Evaluasi ulang target")
    assert list(open_from_last_review(store, R3)["review_date"].dt.date.unique()) == [R2]


def test_follow_ups_are_kept_as_history(store):
    d1 = add_decision(store, SYSTEM_ACTOR, R1, "DINKES", "Percepat pengadaan")
    follow_up(store, DINKES, d1, False, "Belum, menunggu anggaran")
    follow_up(store, DINKES, d1, True, "Selesai")
    assert store.query_one("SELECT count(*) FROM decision_followups")[0] == 2
    assert bool(open_from_last_review(store, R2).iloc[0]["done"])


def test_only_admins_decide_and_only_the_agency_follows_up(store):
    with pytest.raises(PermissionDenied):
        add_decision(store, DINKES, R1, "DINKES", "Saya putuskan sendiri")
    d = add_decision(store, SYSTEM_ACTOR, R1, "DLH", "Kirim data")
    with pytest.raises(PermissionDenied):
        follow_up(store, DINKES, d, True)
    with pytest.raises(DecisionError):
        add_decision(store, SYSTEM_ACTOR, R1, "DLH", "   ")


def test_red_actions_without_reason_or_follow_up_are_flagged(store):
    # On 7 Oct elapsed is 280/365 = 0.767: actual 20 of 100 is late; 60 is at risk (gap 0.167); 80 on track.
    add_snapshot(store, "DINKES", "A", R2, actual=20, **YEAR)
    add_snapshot(store, "DINKES", "B", R2, actual=60, obstacle="Cuaca", follow_up="Tambah shift", **YEAR)
    add_snapshot(store, "DINKES", "C", R2, actual=60, obstacle="Cuaca", **YEAR)
    add_snapshot(store, "DINKES", "D", R2, actual=80, **YEAR)
    flagged = missing_reasons(store, R2)
    assert list(flagged["action_code"]) == ["A", "C"]
    assert list(flagged["missing_follow_up"]) == [True, True]
    assert list(flagged["missing_obstacle"]) == [True, False]
