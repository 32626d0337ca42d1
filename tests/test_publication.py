"""Marking an action public (smartcity.publication) and what the public read model then shows.

The plan is tests/test_public.py's: the hand-worked plan of tests/ui_fixtures.py plus C-03, a
completed Dinkes action whose notes are "=1+1" and whose owner ("Pak Rahmat"), obstacle and
follow-up are filled. C-01, also completed, has the notes '=HYPERLINK(...)' and the owner "@Budi".
An admin marks C-03 public; C-01 stays unmarked.
"""
import json

import pandas as pd
import pytest

from smartcity.auth import Actor
from smartcity.errors import PermissionDenied
from smartcity.public import PRIVATE_COLUMNS, completed_actions, public_view
from smartcity.publication import UnknownAction, is_action_public, set_action_public
from smartcity.store import open_store
from tests.test_public import SCRIPT, plan_with_private_text

ADMIN = Actor("admin", "admin")


def action_id(store, code: str) -> int:
    return store.query_one("SELECT id FROM actions WHERE action_code = ?", [code])[0]


@pytest.fixture
def store(tmp_path):
    s = plan_with_private_text(open_store(tmp_path / "t.duckdb"))
    yield s
    s.close()


def completed(store) -> pd.DataFrame:
    """The completed actions the public read model shows (every pillar's first page), by activity."""
    pages = completed_actions(store, public_view(store, "id").as_of).values()
    return pd.concat([p.rows for p in pages]).set_index("activity")


def test_no_action_is_public_until_an_admin_marks_it(store):
    assert not is_action_public(store, action_id(store, "C-03"))
    assert completed(store)["public_note"].isna().all()


def test_a_marked_completed_actions_notes_appear_and_an_unmarked_ones_do_not(store):
    set_action_public(store, ADMIN, action_id(store, "C-03"), True)
    notes = completed(store)["public_note"]
    assert notes[SCRIPT] == "=1+1"                                               # C-03's notes, verbatim
    assert pd.isna(notes["Kemitraan posyandu digital"])                          # C-01: not marked
    assert notes.notna().sum() == 1


def test_marking_never_shows_an_owner_obstacle_or_follow_up(store):
    for code in ("C-01", "C-03"):
        set_action_public(store, ADMIN, action_id(store, code), True)
    shown = completed(store).reset_index()
    assert not PRIVATE_COLUMNS & set(shown.columns)
    cells = " ".join(map(str, shown.to_numpy().ravel()))
    for private in ("Pak Rahmat", "@Budi", "Kendala anggaran", "Rapat ulang"):
        assert private not in cells
    assert "HYPERLINK" in cells                                                  # C-01's notes, now marked


def test_a_marked_action_not_yet_done_shows_nothing(store):
    set_action_public(store, ADMIN, action_id(store, "I-01"), True)              # at risk, not done
    assert "Satu Data Kotim" not in set(completed(store).index)


def test_unmarking_hides_the_notes_again(store):
    c03 = action_id(store, "C-03")
    set_action_public(store, ADMIN, c03, True)
    set_action_public(store, ADMIN, c03, False)
    assert not is_action_public(store, c03)
    assert completed(store)["public_note"].isna().all()


def test_a_change_is_audited_with_before_and_after(store):
    c03 = action_id(store, "C-03")
    version = store.data_version()
    set_action_public(store, ADMIN, c03, True)
    row = store.query_df("SELECT * FROM audit_log WHERE action = 'action_public'").iloc[0]
    who = (row["actor"], row["entity"], row["entity_key"], row["agency_code"])
    assert who == ("admin", "action", str(c03), "DINKES")
    assert json.loads(row["before"]) == {"public": False}
    assert json.loads(row["after"]) == {"public": True}
    assert store.data_version() == version + 1                                  # cached pages see it
    stored = store.query_one("SELECT public, changed_by FROM action_publication WHERE action_id = ?", [c03])
    assert stored == (True, "admin")


def test_marking_as_it_already_is_writes_nothing(store):
    c03 = action_id(store, "C-03")
    set_action_public(store, ADMIN, c03, True)
    set_action_public(store, ADMIN, c03, True)
    assert store.query_one("SELECT count(*) FROM audit_log WHERE action = 'action_public'")[0] == 1


def test_an_unknown_action_is_refused_with_a_message(store):
    with pytest.raises(UnknownAction) as refused:
        set_action_public(store, ADMIN, 999_999, True)
    assert refused.value.message("id") == "Aksi 999999 tidak ada."


@pytest.mark.parametrize("actor", [Actor("dinkes", "editor", frozenset({"DINKES"})), Actor("viewer", "viewer")])
def test_only_an_admin_may_mark(store, actor):
    with pytest.raises(PermissionDenied):
        set_action_public(store, actor, action_id(store, "C-03"), True)
    assert store.query_one("SELECT count(*) FROM action_publication")[0] == 0
