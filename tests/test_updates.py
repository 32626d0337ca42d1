"""The Perbarui Progres read model and save handler: who sees which actions, which rows a table edit saves."""
from datetime import date

import numpy as np
import pytest

from smartcity.auth import Actor
from smartcity.errors import PermissionDenied
from smartcity.store import open_store
from smartcity.updates import (COLUMNS, edit_dates, edits_from_table, find_actions, save_table, update_page,
                               update_table)
from tests.storefix import add_snapshot, state

D1, D2 = date(2024, 9, 30), date(2024, 10, 7)
DINKES_EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))
ADMIN = Actor("admin", "admin")
VIEWER = Actor("viewer", "viewer")


@pytest.fixture
def store():
    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A1", D1, actual=40, budget=1000, budget_spent=100, notes="awal")
    add_snapshot(s, "DINKES", "A2", D1, pillar="collaboration", actual=None, target=4)
    add_snapshot(s, "DISKOMINFO", "K1", D1, actual=10)
    yield s
    s.close()


def test_an_editor_sees_only_its_agencys_actions(store):
    table = update_table(store, DINKES_EDITOR, D2)
    assert list(table["action_code"]) == ["A1", "A2"]
    assert set(COLUMNS) | {"progress_id"} == set(table.columns)


@pytest.mark.parametrize("actor", [ADMIN, VIEWER], ids=["admin", "viewer"])
def test_admin_and_viewer_see_every_action(store, actor):
    assert list(update_table(store, actor, D2)["action_code"]) == ["A1", "A2", "K1"]


def test_the_filters_narrow_the_table(store):
    assert list(update_table(store, ADMIN, D2, pillar="collaboration")["action_code"]) == ["A2"]
    assert list(update_table(store, ADMIN, D2, agency="DISKOMINFO")["action_code"]) == ["K1"]
    assert update_table(store, DINKES_EDITOR, D2, agency="DISKOMINFO").empty   # the scope is never widened



def test_the_table_is_read_a_page_at_a_time(store):
    first = update_page(store, ADMIN, D2, page=1, page_size=2)
    assert list(first.rows["action_code"]) == ["A1", "A2"]
    assert (first.total, first.page, first.pages, first.several_agencies) == (3, 1, 2, True)
    assert set(COLUMNS) | {"progress_id"} == set(first.rows.columns)
    assert list(update_page(store, ADMIN, D2, page=2, page_size=2).rows["action_code"]) == ["K1"]
    assert update_page(store, ADMIN, D2, page=9, page_size=2).page == 2      # past the end: the last page
    own = update_page(store, DINKES_EDITOR, D2, page=1, page_size=2)
    assert (list(own.rows["action_code"]), own.total, own.several_agencies) == (["A1", "A2"], 2, False)


def test_the_rows_of_actions_typed_on_other_pages_are_read_by_id(store):
    a2, k1 = (int(state(store, D1)[code]["action_id"]) for code in ("A2", "K1"))
    assert list(update_table(store, ADMIN, D2, action_ids=[k1, a2])["action_code"]) == ["A2", "K1"]
    assert list(update_table(store, DINKES_EDITOR, D2, action_ids=[k1, a2])["action_code"]) == ["A2"]   # scoped


def test_typing_part_of_a_code_or_activity_finds_the_action(store):
    # The fixture's activities are "Aksi A1", "Aksi A2", "Aksi K1".
    assert list(find_actions(store, ADMIN, D2, " a2 ")["label"]) == ["A2 · Aksi A2"]    # case and spaces ignored
    assert list(find_actions(store, ADMIN, D2, "aksi", limit=2)["label"]) == ["A1 · Aksi A1", "A2 · Aksi A2"]
    assert list(find_actions(store, ADMIN, D2, "aksi", pillar="collaboration")["label"]) == ["A2 · Aksi A2"]
    assert find_actions(store, DINKES_EDITOR, D2, "K1").empty              # another agency's: never offered
    assert find_actions(store, ADMIN, D2, "  ").empty                      # nothing typed: nothing searched
    assert find_actions(store, ADMIN, D2, "%").empty                       # typed text is text, not a pattern

def test_only_changed_rows_and_fields_become_edits(store):
    table = update_table(store, DINKES_EDITOR, D2)
    edited = table.drop(columns="progress_id").copy()
    a1, a2 = table.index
    edited.loc[a1, "actual"] = 55.0
    edited.loc[a1, "notes"] = "awal"                      # typed again, the same: not a change
    edited.loc[a2, "notes"] = "  "                        # blank text equals no text
    [edit] = edits_from_table(table, edited)
    assert (edit.action_id, edit.base_progress_id, edit.values) == (a1, table.loc[a1, "progress_id"], {"actual": 55.0})
    assert isinstance(edit.values["actual"], float) and not isinstance(edit.values["actual"], np.floating)


def test_a_draft_keeps_the_base_it_was_typed_against(store):
    table = update_table(store, DINKES_EDITOR, D2)
    edited = table.drop(columns="progress_id").copy()
    a1 = table.index[0]
    edited.loc[a1, "actual"] = 55.0
    [edit] = edits_from_table(table, edited, bases={a1: 12345})
    assert edit.base_progress_id == 12345


def test_save_table_saves_the_changed_rows_with_the_editor_as_author(store):
    table = update_table(store, DINKES_EDITOR, D2)
    edited = table.drop(columns="progress_id").copy()
    edited.loc[table.index[0], ["actual", "reported_status"]] = [55.0, "at_risk"]
    [outcome] = save_table(store, DINKES_EDITOR, table, edited, D2)
    assert outcome.status == "saved"
    now = state(store, D2)["A1"]
    assert (now["actual"], now["reported_status"], now["recorded_by"]) == (55, "at_risk", "dinkes")


def test_evidence_alone_saves_a_snapshot_for_its_action(store):
    table = update_table(store, DINKES_EDITOR, D2)
    unchanged = table.drop(columns="progress_id")
    a2 = int(table.index[1])
    [outcome] = save_table(store, DINKES_EDITOR, table, unchanged, D2, evidence=(a2, "foto.png", b"\x89PNG\r\n\x1a\n"))
    assert (outcome.action_id, outcome.status) == (a2, "saved")
    assert store.query_one("SELECT file_name FROM evidence")[0] == "foto.png"



def test_evidence_for_an_action_found_by_search_and_not_on_the_page(store):
    table = update_page(store, DINKES_EDITOR, D2, page=1, page_size=1).rows          # A1 only
    a2 = int(find_actions(store, DINKES_EDITOR, D2, "A2")["action_id"].iloc[0])
    unchanged = table.drop(columns="progress_id")
    [outcome] = save_table(store, DINKES_EDITOR, table, unchanged, D2, evidence=(a2, "foto.png", b"\x89PNG\r\n\x1a\n"))
    assert (outcome.action_id, outcome.status) == (a2, "saved")
    assert store.query_one("SELECT file_name FROM evidence")[0] == "foto.png"

def test_a_table_with_a_foreign_action_is_refused_whole(store):
    table = update_table(store, ADMIN, D2)               # a table an editor should never have had
    edited = table.drop(columns="progress_id").copy()
    edited["actual"] = 99.0
    with pytest.raises(PermissionDenied):
        save_table(store, DINKES_EDITOR, table, edited, D2)
    assert store.query_one("SELECT count(*) FROM progress")[0] == 3


def test_edits_are_dated_today_and_never_before_the_latest_data(store):
    today = date(2024, 10, 20)
    dates = edit_dates(store, today)
    assert (dates.earliest, dates.latest, dates.default) == (D1, today, today)
    # data dated ahead of today: the only date is the latest data date
    ahead = edit_dates(store, date(2024, 9, 1))
    assert (ahead.earliest, ahead.latest, ahead.default) == (D1, D1, D1)


def test_the_demo_database_offers_its_own_latest_date_first(store):
    with store.transaction() as cur:
        cur.execute("INSERT INTO meta VALUES ('demo', 'true')")
    assert edit_dates(store, date(2026, 1, 5)).default == D1
