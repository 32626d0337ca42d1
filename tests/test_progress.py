"""Browser progress updates: scoped to the editor's agencies, validated, never overwriting."""
from datetime import date

import pytest

from smartcity.auth import Actor
from smartcity.errors import PermissionDenied
from smartcity.progress import ProgressEdit, save_edits
from smartcity.store import open_store
from tests.storefix import add_snapshot, state

D1, D2 = date(2024, 9, 30), date(2024, 10, 7)
DINKES_EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))
OTHER_DINKES_EDITOR = Actor("dinkes2", "editor", frozenset({"DINKES"}))
VIEWER = Actor("viewer", "viewer")


@pytest.fixture
def store():
    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A1", D1, actual=40, budget=1000, budget_spent=100, notes="awal")
    add_snapshot(s, "DISKOMINFO", "K1", D1, actual=10)
    yield s
    s.close()


def _ids(store, code):
    row = state(store, D1)[code]
    return int(row["action_id"]), int(row["progress_id"])


def test_editor_update_adds_a_snapshot_and_keeps_the_old_one(store):
    action_id, base = _ids(store, "A1")
    [out] = save_edits(store, DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": "55", "obstacle": "Cuaca"})], D2)
    assert out.status == "saved"
    now = state(store, D2)["A1"]
    assert (now["actual"], now["obstacle"], now["recorded_by"], now["source"]) == (55, "Cuaca", "dinkes", "edit")
    assert now["budget"] == 1000 and now["notes"] == "awal"          # untouched fields carried over
    assert state(store, D1)["A1"]["actual"] == 40                     # history kept
    audit = store.query_df("SELECT * FROM audit_log WHERE action = 'progress_edit'")
    assert len(audit) == 1 and audit.loc[0, "actor"] == "dinkes"
    assert '"actual": 40.0' in audit.loc[0, "before"] and '"actual": 55.0' in audit.loc[0, "after"]


def test_editor_cannot_touch_another_agency(store):
    action_id, base = _ids(store, "K1")
    with pytest.raises(PermissionDenied):
        save_edits(store, DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": 99})], D2)
    assert store.query_one("SELECT count(*) FROM progress")[0] == 2


def test_a_batch_with_one_foreign_action_writes_nothing(store):
    a1, b1 = _ids(store, "A1")
    k1, bk = _ids(store, "K1")
    with pytest.raises(PermissionDenied):
        save_edits(store, DINKES_EDITOR, [ProgressEdit(a1, b1, {"actual": 50}), ProgressEdit(k1, bk, {"actual": 99})], D2)
    assert store.query_one("SELECT count(*) FROM progress")[0] == 2


def test_viewer_cannot_write(store):
    action_id, base = _ids(store, "A1")
    with pytest.raises(PermissionDenied):
        save_edits(store, VIEWER, [ProgressEdit(action_id, base, {"actual": 99})], D2)


def test_concurrent_edit_is_refused_with_both_values(store):
    action_id, base = _ids(store, "A1")           # both editors loaded the table at the same snapshot
    [first] = save_edits(store, DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": 60})], D2)
    [second] = save_edits(store, OTHER_DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": 70})], D2)
    assert first.status == "saved" and second.status == "conflict"
    assert second.theirs["actual"] == 60 and second.mine["actual"] == 70
    assert "dinkes" in second.problems[0].message("id")
    assert state(store, D2)["A1"]["actual"] == 60


def test_bad_cells_are_refused_with_the_column_named(store):
    action_id, base = _ids(store, "A1")
    [out] = save_edits(store, DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": "enam puluh",
                                                                              "budget_spent": -5})], D2)
    assert out.status == "invalid"
    assert [p.column for p in out.problems] == ["actual", "budget_spent"]
    assert "bukan angka" in out.problems[0].message("id")
    assert store.query_one("SELECT count(*) FROM progress")[0] == 2


def test_evidence_must_be_a_photo_or_pdf(store):
    action_id, base = _ids(store, "A1")
    [bad] = save_edits(store, DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": 50},
                                                           evidence=("x.exe", b"MZ\x90\x00"))], D2)
    assert bad.status == "invalid"
    [ok] = save_edits(store, DINKES_EDITOR, [ProgressEdit(action_id, base, {"actual": 50},
                                                          evidence=("foto.png", b"\x89PNG\r\n\x1a\nrest"))], D2)
    assert ok.status == "saved"
    assert store.query_one("SELECT file_name FROM evidence")[0] == "foto.png"
