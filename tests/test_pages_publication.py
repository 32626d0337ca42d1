"""Marking an action public, under AppTest: the admin's switch under an action's details (Rencana
Aksi and OPD use the same picker) and the notes the Publik page then shows.

The plan is tests/test_public.py's (the hand-worked plan plus C-03, a completed Dinkes action
whose notes are "=1+1" and whose owner, obstacle and follow-up are filled), with the accounts of
tests/ui_fixtures.py. C-01 is completed too; its notes are '=HYPERLINK(...)' and its owner "@Budi".
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcity.auth import Actor
from smartcity.i18n import t
from smartcity.publication import is_action_public, set_action_public
from smartcity.store import open_store
from tests.test_pages_briefing import everything_shown
from tests.test_public import plan_with_private_text
from tests.ui_fixtures import add_accounts, signed_in

ROOT = Path(__file__).resolve().parent.parent


def action_id(store, code: str) -> int:
    return store.query_one("SELECT id FROM actions WHERE action_code = ?", [code])[0]


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("publication") / "plan.duckdb"
    plan_with_private_text(open_store(path)).close()
    return add_accounts(path)


@pytest.fixture
def own_plan(plan_path, tmp_path, monkeypatch) -> Path:
    """A private copy of the plan, for tests that write."""
    path = tmp_path / "plan.duckdb"
    shutil.copyfile(plan_path, path)
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def page(name: str, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    return signed_in(at, user) if user else at


def action_shown(user: str, code: str) -> AppTest:
    """Rencana Aksi signed in as `user`, with action `code` picked for its details."""
    at = page("rencana-aksi.py", user).run()
    picker = at.selectbox(key="ac_action")
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith(f"{code} · "))).run()
    assert not at.exception, at.exception
    return at


def switches(at: AppTest) -> list:
    return [s for s in at.toggle if (s.key or "").startswith("ac_action_public_")]


# -- the Publik page -----------------------------------------------------------------------------

def test_the_public_page_shows_the_notes_of_a_marked_action_only(own_plan):
    with open_store(own_plan) as s:
        set_action_public(s, Actor("admin", "admin"), action_id(s, "C-03"), True)
    at = page("publik.py").run()
    assert not at.exception and not at.error
    shown = everything_shown(at)
    assert "Keterangan\\: =1\\+1" in shown                  # C-03, marked: its notes, escaped as text
    assert "HYPERLINK" not in shown                              # C-01, not marked
    for private in ("Pak Rahmat", "@Budi", "Kendala anggaran", "Rapat ulang"):
        assert private not in shown                              # no owner, obstacle or follow-up, marked or not


def test_the_public_page_shows_no_notes_while_nothing_is_marked(own_plan):
    shown = everything_shown(page("publik.py").run())
    assert "Keterangan" not in shown and "HYPERLINK" not in shown



def tab(at: AppTest, label: str):
    return next(t for t in at.tabs if t.label == label)


def test_the_public_list_shows_a_page_per_pillar_with_the_total_in_a_caption(own_plan, monkeypatch):
    from smartcity import public

    monkeypatch.setattr(public, "COMPLETED_PAGE", 1)                 # Kolaborasi's 2 (C-01, C-03): 2 pages
    at = page("publik.py").run()
    assert not at.exception and not at.error
    assert at.subheader[-1].value == "Kegiatan yang sudah selesai (3)"   # I-02, C-01, C-03: all counted
    collaboration = tab(at, "Kolaborasi (2)")
    assert "Kemitraan posyandu digital" in collaboration.markdown[0].value
    assert [c.value for c in collaboration.caption] == ["Kegiatan 1–1 dari 2 yang selesai"]
    at.session_state["pub_done_page_collaboration"] = 2
    at.run()
    collaboration = tab(at, "Kolaborasi (2)")
    assert "\\<script\\>" in collaboration.markdown[0].value           # C-03, its activity escaped as text
    assert [c.value for c in collaboration.caption] == ["Kegiatan 2–2 dari 2 yang selesai"]
    assert [c.value for c in tab(at, "Integrasi (1)").caption] == ["Kegiatan 1–1 dari 1 yang selesai"]

# -- the admin's switch --------------------------------------------------------------------------

def test_an_admin_sees_the_switch_under_an_actions_details(own_plan):
    [switch] = switches(action_shown("admin", "C-03"))
    assert switch.label == t("pubmark.toggle") and switch.value is False


@pytest.mark.parametrize("user", ["dinkes", "viewer"])
def test_an_editor_or_viewer_does_not_see_the_switch(own_plan, user):
    at = action_shown(user, "C-03")
    assert at.metric                                             # the details are shown
    assert switches(at) == []


def test_the_switch_marks_the_action_and_the_public_page_then_shows_its_notes(own_plan):
    at = action_shown("admin", "C-03")
    switches(at)[0].set_value(True).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Keterangan aksi C\\-03 kini publik\\."]       # escaped Markdown
    assert switches(at)[0].value is True
    with open_store(own_plan) as s:
        assert is_action_public(s, action_id(s, "C-03"))
        assert s.query_one("SELECT actor FROM audit_log WHERE action = 'action_public'")[0] == "admin"
    assert "Keterangan\\: =1\\+1" in everything_shown(page("publik.py").run())


def test_the_switch_in_english(own_plan):
    at = page("rencana-aksi.py", "admin")
    at.session_state["lang"] = "en"
    at.run()
    picker = at.selectbox(key="ac_action")
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith("C-03 · "))).run()
    assert switches(at)[0].label == "Show this action's notes on the Public page"
