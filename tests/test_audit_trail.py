"""The audit trail (issue 5, point 5): every change is recorded with who, when, what, before and after,
and no code path updates or deletes audit rows (a revert is a new change; history stays).
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from smartcity import audit, decisions, progress, users
from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.store import open_store
from tests.storefix import add_snapshot, state

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "smartcity").rglob("*.py"))
D1, D2 = date(2024, 9, 30), date(2024, 10, 7)
ADMIN = Actor("admin", "admin")

# Any statement that could change or remove a row (or the table) once written.
_CHANGES_AUDIT = re.compile(
    r"\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|ALTER\s+TABLE|"
    r"INSERT\s+OR\s+REPLACE\s+INTO|INSERT\s+OR\s+IGNORE\s+INTO|REPLACE\s+INTO|MERGE\s+INTO)\s+\"?audit_log\b",
    re.IGNORECASE)
# UPDATE or DELETE on a table named at run time could reach audit_log without naming it.
_DYNAMIC_TABLE = re.compile(r"\b(UPDATE|DELETE\s+FROM)\s+\"?\{", re.IGNORECASE)


@pytest.mark.parametrize("pattern", [_CHANGES_AUDIT, _DYNAMIC_TABLE], ids=["names-audit_log", "dynamic-table"])
def test_no_code_updates_or_deletes_audit_rows(pattern):
    offenders = [f"{path.relative_to(ROOT)}:{text[:match.start()].count(chr(10)) + 1}: {match.group(0)}"
                 for path in SOURCES for text in [path.read_text(encoding="utf-8")] for match in pattern.finditer(text)]
    assert offenders == []


def test_the_grep_would_catch_a_change_of_audit_rows():
    for sql in ("UPDATE audit_log SET actor = 'x'", 'delete from "audit_log" where id = 1', "TRUNCATE TABLE audit_log",
                "DROP TABLE IF EXISTS audit_log", "INSERT OR REPLACE INTO audit_log VALUES (1)"):
        assert _CHANGES_AUDIT.search(sql), sql
    assert _DYNAMIC_TABLE.search('f"DELETE FROM {table} WHERE id = ?"')
    assert not _CHANGES_AUDIT.search("SELECT * FROM audit_log") and not _CHANGES_AUDIT.search("UPDATE users SET x = 1")


def test_only_the_audit_module_writes_audit_rows():
    writers = [path.relative_to(ROOT).as_posix() for path in SOURCES
               if re.search(r"INSERT\s+INTO\s+\"?audit_log\b", path.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert writers == ["smartcity/audit.py"]


@pytest.fixture
def store():
    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A1", D1, actual=40)
    users.add_user(s, SYSTEM_ACTOR, "dinkes", "rahasia-123", "editor", ["DINKES"])
    yield s
    s.close()


def rows(store, action: str) -> list[dict]:
    df = store.query_df("SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action])
    out = df.to_dict("records")
    for r in out:
        r["before"] = json.loads(r["before"]) if isinstance(r["before"], str) else None
        r["after"] = json.loads(r["after"]) if isinstance(r["after"], str) else None
    return out


def test_a_decision_and_its_follow_up_are_audited(store):
    decision = decisions.add_decision(store, ADMIN, D2, "DINKES", "Percepat posyandu digital", due_date=date(2024, 10, 31))
    decisions.follow_up(store, Actor("dinkes", "editor", frozenset({"DINKES"})), decision, True, "MoU ditandatangani")
    [added] = rows(store, "decision_add")
    assert (added["actor"], added["entity"], added["entity_key"], added["agency_code"]) == (
        "admin", "decision", str(decision), "DINKES")
    assert added["before"] is None                                  # a new decision: nothing before it
    assert added["after"] == {"review_date": "2024-10-07", "text": "Percepat posyandu digital",
                              "due_date": "2024-10-31", "action_id": None}
    [followed] = rows(store, "decision_follow_up")
    assert (followed["actor"], followed["entity_key"]) == ("dinkes", str(decision))
    assert followed["after"] == {"done": True, "note": "MoU ditandatangani"}
    assert followed["changed_at"] >= added["changed_at"]


def test_a_role_change_is_audited_with_before_and_after(store):
    users.set_role(store, ADMIN, "dinkes", "viewer", [])
    users.set_active(store, ADMIN, "dinkes", False)
    [role] = rows(store, "user_change")
    assert (role["actor"], role["entity"], role["entity_key"]) == ("admin", "user", "dinkes")
    assert role["before"] == {"role": "editor", "agencies": ["DINKES"]}
    assert role["after"] == {"role": "viewer", "agencies": []}
    [disabled] = rows(store, "user_disable")
    assert (disabled["before"], disabled["after"]) == ({"active": True}, {"active": False})
    [added] = rows(store, "user_add")
    assert (added["before"], added["after"]) == (None, {"role": "editor", "agencies": ["DINKES"]})


def test_a_revert_is_a_new_row_and_the_history_stays(store):
    a1 = state(store, D1)["A1"]
    progress.save_edits(store, ADMIN, [progress.ProgressEdit(int(a1["action_id"]), int(a1["progress_id"]),
                                                             {"actual": 55})], D2)
    history = store.query_df("SELECT * FROM audit_log ORDER BY id").to_dict("records")
    [edit] = rows(store, "progress_edit")
    progress.revert_edit(store, ADMIN, int(edit["id"]))
    after = store.query_df("SELECT * FROM audit_log ORDER BY id").to_dict("records")
    assert after[:len(history)] == history                          # every earlier row exactly as it was
    [revert] = rows(store, "revert")
    assert (revert["before"]["actual"], revert["after"]["actual"]) == (55.0, 40.0)


# -- the audit list, a page at a time -------------------------------------------------------------

def test_the_audit_list_is_read_a_page_at_a_time_newest_first(store):
    # The fixture's user_add is change 1; two edits of A1 (to 55, then 60) are changes 2 and 3.
    for actual in (55, 60):
        a1 = state(store, D1 if actual == 55 else D2)["A1"]
        progress.save_edits(store, ADMIN, [progress.ProgressEdit(int(a1["action_id"]), int(a1["progress_id"]),
                                                                 {"actual": actual})], D2)
    first = audit.audit_page(store, page=1, page_size=2)
    assert (first.total, first.pages) == (3, 2)
    assert list(first.rows["action"]) == ["progress_edit", "progress_edit"]
    assert list(first.rows["subject"]) == ["A1", "A1"]                # the action's code, not its id
    assert list(first.rows["after_text"]) == ["Realisasi: 60", "Realisasi: 55"]
    last = audit.audit_page(store, page=2, page_size=2)
    assert list(last.rows["action"]) == ["user_add"] and list(last.rows["subject"]) == ["dinkes"]
    assert audit.audit_page(store, page=9, page_size=2).page == 2     # past the end: the last page


def test_the_audit_list_counts_what_its_filters_keep_and_nothing_newer_than_its_version(store):
    version = audit.audit_version(store)                             # 1: the user_add
    users.set_role(store, ADMIN, "dinkes", "viewer", [])             # a change that leaves the data version alone
    assert audit.audit_version(store) == version + 1
    assert audit.audit_page(store, up_to=version).total == 1
    assert audit.audit_page(store, actor="admin").total == 1         # set_role was admin's; user_add the system's
    assert audit.audit_facets(store, up_to=version)["actions"] == ["user_add"]
