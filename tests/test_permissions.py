"""The role x write x agency matrix, checked in the data layer: every write function of the package,
called by an editor of Dinas Kesehatan on Diskominfo's data (or on what only an admin may change),
and by a viewer, is refused with PermissionDenied and writes nothing.

`test_every_write_is_in_the_matrix` fails when a new function taking an `actor` appears in
smartcity/ without a row here: add it to WRITES (or to READS when it only scopes a read).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

import pytest

import smartcity
from smartcity import decisions, mappings, pipeline, progress, publication, registry_admin, updates, uploads, users
from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.errors import PermissionDenied
from smartcity.store import open_store
from tests.storefix import add_snapshot, state

D1, D2 = date(2024, 9, 30), date(2024, 10, 7)
DINKES_EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))
VIEWER = Actor("viewer", "viewer")
HEADER = "Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Tanggal Mulai;Tanggal Selesai"
DISKOMINFO_FILE = "\n".join([HEADER, "K-09;Integrasi;Diskominfo;Aplikasi baru;10;1;01/01/2024;31/12/2024"]).encode()


@pytest.fixture
def store(tmp_db):
    """Diskominfo's action K1 (with one admin edit to undo) and decision, Dinkes' action A1, two users."""
    s = open_store(tmp_db)
    add_snapshot(s, "DISKOMINFO", "K1", D1, actual=10)
    add_snapshot(s, "DINKES", "A1", D1, actual=40)
    k1 = state(s, D1)["K1"]
    progress.save_edits(s, SYSTEM_ACTOR, [progress.ProgressEdit(int(k1["action_id"]), int(k1["progress_id"]),
                                                                {"actual": 12})], D1)
    decisions.add_decision(s, SYSTEM_ACTOR, D2, "DISKOMINFO", "Percepat integrasi")
    users.add_user(s, SYSTEM_ACTOR, "diskominfo", "rahasia-123", "editor", ["DISKOMINFO"])
    yield s
    s.close()


def _k1(store) -> tuple[int, int]:
    row = state(store, D2)["K1"]
    return int(row["action_id"]), int(row["progress_id"])


def _table_edit(store, actor):
    table = updates.update_table(store, Actor("admin", "admin"), D2, agency="DISKOMINFO")
    edited = table.drop(columns="progress_id").assign(actual=99.0)
    return updates.save_table(store, actor, table, edited, D2)


def _edit_audit_id(store) -> int:
    return store.query_one("SELECT id FROM audit_log WHERE action = 'progress_edit'")[0]


def _decision_id(store) -> int:
    return store.query_one("SELECT id FROM decisions")[0]


# name -> a call writing Diskominfo's data (or admin-only data) as `actor`
WRITES = {
    "progress.save_edits": lambda s, a: progress.save_edits(s, a, [progress.ProgressEdit(*_k1(s), {"actual": 99})], D2),
    "progress.revert_edit": lambda s, a: progress.revert_edit(s, a, _edit_audit_id(s)),
    "updates.save_table": _table_edit,
    "pipeline.load_file": lambda s, a: pipeline.load_file(s, DISKOMINFO_FILE, "kominfo.csv", D2, a),
    "pipeline.preview_file": lambda s, a: pipeline.preview_file(s, DISKOMINFO_FILE, "kominfo.csv", D2, a),
    "users.add_user": lambda s, a: users.add_user(s, a, "mallory", "rahasia-123", "admin"),
    "users.set_active": lambda s, a: users.set_active(s, a, "diskominfo", False),
    "users.set_role": lambda s, a: users.set_role(s, a, "diskominfo", "admin", []),
    "users.set_password": lambda s, a: users.set_password(s, a, "diskominfo", "dibajak-123"),
    "users.reset_password": lambda s, a: users.reset_password(s, a, "diskominfo"),
    "decisions.add_decision": lambda s, a: decisions.add_decision(s, a, D2, "DISKOMINFO", "Keputusan palsu"),
    "decisions.follow_up": lambda s, a: decisions.follow_up(s, a, _decision_id(s), True, "sudah"),
    "mappings.map_agency_alias": lambda s, a: mappings.map_agency_alias(s, a, "Kominfo Baru", "DINKES"),
    "mappings.assign_pillar": lambda s, a: mappings.assign_pillar(s, a, "K-", "sustainability"),
    "mappings.assign_pillars": lambda s, a: mappings.assign_pillars(s, a, {"K-": "sustainability", "K-2": "integration"}),
    "uploads.assign_program_pillars": lambda s, a: uploads.assign_program_pillars(s, a, {"K-": "sustainability"}),
    "registry_admin.set_kpi_definition": lambda s, a: registry_admin.set_kpi_definition(s, a, "achievement", target=50),
    "registry_admin.add_agency": lambda s, a: registry_admin.add_agency(s, a, "DINKES2", "Dinas Kesehatan Kedua"),
    "registry_admin.edit_agency": lambda s, a: registry_admin.edit_agency(s, a, "DISKOMINFO", name="Dinas Diambil Alih"),
    "publication.set_action_public": lambda s, a: publication.set_action_public(s, a, _k1(s)[0], True),
}
# Writes an agency editor may do for any agency (a column profile describes a file layout, not data).
EDITOR_ALLOWED = {
    "mappings.save_profile": lambda s, a: mappings.save_profile(s, a, "profil", {"target": "Sasaran"}, "sig"),
}
# Functions that take an actor without writing through it, and why.
NOT_WRITES = {
    "audit.record": "the audit writer itself, called inside the writes above",
    "audit.record_many": "the audit writer for many rows at once, called inside the writes above",
    "audit.audit_entries": "`actor` is a filter (a username) of a read",
    "updates.update_table": "scopes what an editor sees; writes nothing",
    "updates.update_page": "a page of update_table, scoped the same way; writes nothing",
    "updates.find_actions": "searches update_table's actions, scoped the same way; writes nothing",
    "uploads.load_uploads": "calls pipeline.load_file per file (see test_an_upload_page_refusal_is_a_message)",
    "uploads.preview_uploads": "calls pipeline.preview_file per file, which writes nothing that stays",
    "uploads.template_agencies": "scopes which pre-filled templates an editor is offered; writes nothing",
    "inbox.enqueue": "queues a file; pipeline.load_file checks the actor when the file is loaded",
    "uploads.may_assign_pillars": "a question the page asks to choose its widgets; assign_pillar checks by itself",
    "uploads.save_column_profile": "checks the mapping, then calls mappings.save_profile (EDITOR_ALLOWED above)",
}

TABLES = ("progress", "actions", "uploads", "users", "decisions", "decision_followups", "agency_aliases",
          "pillar_assignments", "column_profiles", "audit_log", "evidence", "kpi_overrides", "agency_edits", "kpi_values",
          "action_publication")


def _fingerprint(store) -> dict:
    rows = {t: store.query_one(f"SELECT count(*) FROM {t}")[0] for t in TABLES}
    rows["users"] = store.query_df("SELECT username, role, agencies, active, password_hash FROM users "
                                   "ORDER BY username").to_dict("records")
    rows["agencies"] = store.query_df("SELECT code, name, short_name, array_to_string(aliases, '|') AS aliases "
                                      "FROM agencies ORDER BY code").to_dict("records")
    return rows


@pytest.mark.parametrize("actor", [DINKES_EDITOR, VIEWER], ids=["editor-of-DINKES", "viewer"])
@pytest.mark.parametrize("write", WRITES)
def test_a_write_outside_the_actors_rights_is_refused_and_writes_nothing(store, write, actor):
    before = _fingerprint(store)
    with pytest.raises(PermissionDenied) as refused:
        WRITES[write](store, actor)
    assert refused.value.message("id")                     # a message in Indonesian, not a bare key
    assert _fingerprint(store) == before


def test_a_viewer_may_not_save_a_column_profile_but_an_editor_may(store):
    with pytest.raises(PermissionDenied):
        EDITOR_ALLOWED["mappings.save_profile"](store, VIEWER)
    EDITOR_ALLOWED["mappings.save_profile"](store, DINKES_EDITOR)
    assert store.query_one("SELECT created_by FROM column_profiles")[0] == "dinkes"


def test_the_editor_may_write_its_own_agency(store):
    a1 = state(store, D2)["A1"]
    [out] = progress.save_edits(store, DINKES_EDITOR, [progress.ProgressEdit(int(a1["action_id"]),
                                                                            int(a1["progress_id"]), {"actual": 41})], D2)
    assert out.status == "saved"
    dinkes_decision = decisions.add_decision(store, SYSTEM_ACTOR, D2, "DINKES", "Lanjutkan")
    decisions.follow_up(store, DINKES_EDITOR, dinkes_decision, True)
    users.set_password(store, Actor("diskominfo", "editor", frozenset({"DISKOMINFO"})), "diskominfo", "baru-12345")


def test_an_upload_page_refusal_is_a_message(store):
    from smartcity.uploads import load_uploads

    [report] = load_uploads(store, [("kominfo.csv", DISKOMINFO_FILE)], D2, DINKES_EDITOR)
    assert report.status == "error"
    assert report.problems["message_id"].iloc[0] == "Pengguna dinkes tidak berhak mengubah data OPD: DISKOMINFO."
    assert store.query_one("SELECT count(*) FROM uploads")[0] == 0


def test_an_upload_preview_refusal_is_a_message(store):
    from smartcity.uploads import preview_uploads

    [preview] = preview_uploads(store, [("kominfo.csv", DISKOMINFO_FILE)], D2, DINKES_EDITOR)
    assert preview.status == "error"
    assert store.query_one("SELECT count(*) FROM uploads")[0] == 0


def _functions_taking_an_actor() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(smartcity.__path__, "smartcity."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_") and module.__name__ != "smartcity.auth" \
                    and "actor" in inspect.signature(func).parameters:
                found.add(f"{module.__name__.removeprefix('smartcity.')}.{name}")
    return found


def test_every_write_is_in_the_matrix():
    listed = set(WRITES) | set(EDITOR_ALLOWED) | set(NOT_WRITES)
    missing = _functions_taking_an_actor() - listed
    assert missing == set(), f"writes without a row in the permission matrix (tests/test_permissions.py): {missing}"
