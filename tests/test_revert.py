"""Undoing a browser edit from the audit trail: a new snapshot and a new audit row, history kept."""
import json
from datetime import date

import pytest

from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.errors import PermissionDenied
from smartcity.progress import REVERTS_KEY, ProgressEdit, RevertError, revert_edit, save_edits
from smartcity.store import open_store
from tests.storefix import add_snapshot, state

D1, D2 = date(2024, 9, 30), date(2024, 10, 7)
ADMIN = Actor("admin", "admin")
DINKES_EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))


@pytest.fixture
def store():
    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A1", D1, actual=40, notes="awal", reported_status="on_track")
    yield s
    s.close()


def _edit(store, actor, values, as_of=D2) -> int:
    """Save `values` on A1 against its latest snapshot; return the audit id of the edit."""
    row = state(store, as_of)["A1"]
    [out] = save_edits(store, actor, [ProgressEdit(int(row["action_id"]), int(row["progress_id"]), values)], as_of)
    assert out.status == "saved"
    return store.query_one("SELECT max(id) FROM audit_log")[0]


def _snapshots(store) -> int:
    return store.query_one("SELECT count(*) FROM progress")[0]


def test_revert_restores_the_before_values_as_a_new_snapshot(store):
    audit_id = _edit(store, DINKES_EDITOR, {"actual": 55, "notes": "salah ketik"})
    outcome = revert_edit(store, ADMIN, audit_id)
    assert outcome.status == "saved"
    now = state(store, D2)["A1"]
    # actual 40 and notes "awal" again; the snapshot is dated like the edit's (the action's latest date)
    assert (now["actual"], now["notes"], now["as_of"].date(), now["recorded_by"]) == (40, "awal", D2, "admin")
    assert _snapshots(store) == 3                                      # upload, edit, revert: none deleted
    rows = store.query_df("SELECT * FROM audit_log ORDER BY id")
    assert list(rows["action"]) == ["progress_edit", "revert"]         # the edit's row stays as it was
    revert_row = rows.iloc[-1]
    assert json.loads(revert_row["before"]) == {"actual": 55.0, "notes": "salah ketik"}
    assert json.loads(revert_row["after"]) == {"actual": 40.0, "notes": "awal", REVERTS_KEY: audit_id}
    assert revert_row["agency_code"] == "DINKES" and revert_row["actor"] == "admin"


def test_undoing_a_revert_reapplies_the_edit(store):
    edit_id = _edit(store, DINKES_EDITOR, {"actual": 55})
    revert_edit(store, ADMIN, edit_id)
    revert_id = store.query_one("SELECT max(id) FROM audit_log")[0]
    assert revert_edit(store, ADMIN, revert_id).status == "saved"
    assert state(store, D2)["A1"]["actual"] == 55


def test_revert_is_refused_when_the_field_changed_again_since(store):
    first = _edit(store, DINKES_EDITOR, {"actual": 55})
    _edit(store, DINKES_EDITOR, {"actual": 60})                       # a later edit of the same field
    outcome = revert_edit(store, ADMIN, first)
    assert outcome.status == "conflict"
    assert outcome.theirs == {"actual": 60.0} and outcome.mine == {"actual": 40.0}
    assert "dinkes" in outcome.problems[0].message("id")
    assert state(store, D2)["A1"]["actual"] == 60 and _snapshots(store) == 3   # nothing written


def test_a_change_of_another_field_does_not_block_the_revert(store):
    first = _edit(store, DINKES_EDITOR, {"actual": 55})
    _edit(store, DINKES_EDITOR, {"obstacle": "Cuaca"})
    assert revert_edit(store, ADMIN, first).status == "saved"
    now = state(store, D2)["A1"]
    assert (now["actual"], now["obstacle"]) == (40, "Cuaca")


def test_only_an_admin_reverts(store):
    audit_id = _edit(store, DINKES_EDITOR, {"actual": 55})
    with pytest.raises(PermissionDenied):
        revert_edit(store, DINKES_EDITOR, audit_id)                    # even the author of the edit
    assert state(store, D2)["A1"]["actual"] == 55


def test_only_progress_edits_are_reverted(store):
    from smartcity.users import add_user

    add_user(store, SYSTEM_ACTOR, "budi", "rahasia-123", "viewer")
    user_row = store.query_one("SELECT max(id) FROM audit_log")[0]
    with pytest.raises(RevertError) as refused:
        revert_edit(store, ADMIN, user_row)
    assert "bukan perubahan progres" in refused.value.message("id")
    with pytest.raises(RevertError):
        revert_edit(store, ADMIN, 9999)
