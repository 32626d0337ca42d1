"""Signing in, roles on the pages, and the pages of issue 5 (Masuk, Perbarui Progres, Jejak Audit,
Pengguna) under AppTest, on the hand-worked plan of tests/ui_fixtures.py with the accounts added there.

Perbarui Progres is driven through its data editor: AppTest seeds a keyed editor's edit state
(`at.session_state[key] = {"edited_rows": ...}`) before a run, as typing would (see `typed`).
"""
from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcity.auth import Actor
from smartcity.i18n import t
from smartcity.progress import ProgressEdit, save_edits
from smartcity.store import open_store
from tests.storefix import state
from tests.ui_fixtures import add_accounts, plan_db, signed_in

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def accounts_path(tmp_path_factory) -> Path:
    return add_accounts(plan_db(tmp_path_factory.mktemp("accounts") / "plan.duckdb"))


@pytest.fixture
def plan(accounts_path, monkeypatch) -> Path:
    """The plan with accounts, for tests that only read (and sign in, which writes nothing but the login time)."""
    monkeypatch.setenv("SMARTCITY_DB", str(accounts_path))
    return accounts_path


@pytest.fixture
def own_plan(accounts_path, tmp_path, monkeypatch) -> Path:
    """A private copy of the plan with accounts, for tests that write."""
    path = tmp_path / "plan.duckdb"
    shutil.copyfile(accounts_path, path)
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def page(name: str, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    return signed_in(at, user) if user else at


def typed(at: AppTest, edited_rows: dict) -> AppTest:
    """Run the page, then type `edited_rows` ({row position: {column: value}}) into its editor and run again.

    The editor's key names the rows it shows (ui.editor.editor_key), so the first run tells it.
    """
    at.run()
    [key] = [d.key for d in at.dataframe if (d.key or "").startswith("upd_editor_")]
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def editor_table(at: AppTest):
    """The Perbarui Progres table (its key changes after each save: a fresh editor)."""
    [editor] = [d for d in at.dataframe if (d.key or "").startswith("upd_editor_")]
    return editor.value


def texts(at: AppTest) -> str:
    """Every message and markdown on the page, Markdown escapes removed."""
    parts = [e.value for kind in (at.markdown, at.error, at.warning, at.success, at.info, at.caption) for e in kind]
    return "\n".join(parts).replace("\\", "")


# -- signing in ---------------------------------------------------------------------------------

def test_an_internal_page_shows_the_login_form_when_signed_out(plan):
    at = page("ringkasan.py").run()
    assert not at.exception
    assert at.title[0].value == "Ringkasan"
    assert at.info[0].value == t("auth.needed")
    assert {w.key for w in at.text_input} == {"login_user", "login_password"}
    assert not at.metric                                               # nothing of the page itself


def test_signing_in_opens_the_page_with_the_user_in_the_sidebar(plan):
    at = page("ringkasan.py").run()
    at.text_input(key="login_user").input("dinkes")
    at.text_input(key="login_password").input("rahasia-123")
    at.button(key="login_submit").click().run()
    assert at.session_state["auth_user"] == "dinkes"
    assert at.metric and not at.text_input                             # the overview, no login form
    assert "Editor OPD · Dinkes" in [c.value for c in at.sidebar.caption]
    assert at.sidebar.button(key="auth_logout").label == "Keluar"


def test_a_wrong_password_gets_the_same_answer_as_an_unknown_user(plan):
    for username in ("dinkes", "tidak-ada"):
        at = page("masuk.py").run()
        at.text_input(key="login_user").input(username)
        at.text_input(key="login_password").input("salah-sekali")
        at.button(key="login_submit").click().run()
        assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
        assert "auth_user" not in at.session_state


def test_a_slowed_login_says_how_long_to_wait(plan, monkeypatch):
    import smartcity.users as users

    monkeypatch.setattr(users, "authenticate", lambda *a, **k: users.LoginResult(None, "login.wait", 7))
    at = page("masuk.py").run()
    at.text_input(key="login_user").input("dinkes")
    at.text_input(key="login_password").input("rahasia-123")
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == ["Terlalu banyak percobaan gagal; coba lagi dalam 7 detik."]


def test_signing_out_clears_the_session(plan):
    at = page("ringkasan.py", "dinkes").run()
    at.session_state["upd_draft"] = {1: {"base": 1, "values": {"actual": 5}}}
    at.sidebar.button(key="auth_logout").click().run()
    assert "auth_user" not in at.session_state and "upd_draft" not in at.session_state
    assert at.text_input(key="login_user")


def test_a_session_ends_after_the_idle_timeout(plan):
    at = page("ringkasan.py", "dinkes")
    at.session_state["auth_seen"] = time.time() - 61 * 60           # default timeout: 60 minutes
    at.run()
    assert "auth_user" not in at.session_state
    assert at.warning[0].value == t("auth.expired", minutes=60)
    assert at.text_input(key="login_user")


def test_a_disabled_user_is_signed_out_at_the_next_click(own_plan):
    from smartcity.auth import SYSTEM_ACTOR
    from smartcity.users import set_active

    at = page("ringkasan.py", "dinkes").run()
    assert at.metric
    from ui.common import get_store

    set_active(get_store(), SYSTEM_ACTOR, "dinkes", False)             # the app's own connection
    at.run()
    assert not at.metric and at.text_input(key="login_user")


def test_the_login_page_lists_the_demo_accounts_only_on_the_demo_database(tmp_path, monkeypatch, plan):
    at = page("masuk.py").run()
    assert not [d for d in at.dataframe if "password" in d.value.columns]   # the plan is no demo

    from smartcity.demo.accounts import add_demo_accounts

    demo = tmp_path / "demo.duckdb"
    store = open_store(demo)
    add_demo_accounts(store)
    store.close()
    monkeypatch.setenv("SMARTCITY_DB", str(demo))
    at = page("masuk.py").run()
    [shown] = [d.value for d in at.dataframe if "password" in d.value.columns]
    assert list(shown["user"]) == ["admin", "dinkes", "diskominfo", "viewer"]
    assert list(shown["password"]) == ["demo-admin", "demo-dinkes", "demo-diskominfo", "demo-viewer"]


# -- roles --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["audit.py", "pengguna.py"])
@pytest.mark.parametrize("user", ["dinkes", "viewer"])
def test_admin_pages_are_refused_to_editors_and_viewers(plan, name, user):
    at = page(name, user).run()
    assert not at.exception
    role = t(f"role.{'editor' if user == 'dinkes' else 'viewer'}")
    assert [e.value for e in at.error] == [t("auth.refused", role=role)]
    assert not at.dataframe and not at.button(key="auth_logout").disabled


def test_the_navigation_lists_only_the_pages_a_role_may_open():
    from ui.common import PAGES
    from ui.session import may_open

    def pages_for(actor):
        return {url for url, spec in PAGES.items() if may_open(spec, actor)}

    admin = pages_for(Actor("admin", "admin"))
    editor = pages_for(Actor("dinkes", "editor", frozenset({"DINKES"})))
    viewer = pages_for(Actor("viewer", "viewer"))
    assert {"audit", "pengguna", "perbarui", "unggah"} <= admin
    assert admin - editor == {"audit", "pengguna", "pengaturan"}
    assert editor - viewer == {"unggah"}
    assert pages_for(None) == {url for url, spec in PAGES.items() if spec.roles == ()}
    assert {"masuk", "publik"} <= pages_for(None) and "ringkasan" not in pages_for(None)


# -- Perbarui Progres ---------------------------------------------------------------------------

def test_an_editor_sees_only_its_agencys_actions(plan):
    at = page("perbarui.py", "dinkes").run()
    assert not at.exception and not at.error
    table = editor_table(at)
    assert list(table["action_code"]) == ["C-01", "C-02"]
    assert list(table["actual"]) == [4, 25]


def test_an_admin_sees_every_action(plan):
    assert len(editor_table(page("perbarui.py", "admin").run())) == 7


def test_a_viewer_reads_the_table_but_cannot_save(plan):
    at = page("perbarui.py", "viewer").run()
    assert len(editor_table(at)) == 7
    assert "upd_save" not in [b.key for b in at.button]
    assert at.markdown[0].value == t("upd.intro_viewer")


def test_an_edit_typed_in_the_table_is_saved_by_the_editor(own_plan):
    at = typed(page("perbarui.py", "dinkes"), {0: {"actual": 3, "notes": "Satu posyandu tertunda"}})
    assert "1 aksi diubah, belum disimpan" in texts(at)
    at.button(key="upd_save").click().run()
    assert not at.exception
    assert "1 aksi tersimpan:" in texts(at) and "C-01 · Kemitraan posyandu digital" in texts(at)
    assert editor_table(at).loc[lambda df: df["action_code"] == "C-01", "actual"].item() == 3   # reloaded
    from ui.common import get_store

    now = state(get_store(), date.today())["C-01"]
    assert (now["actual"], now["notes"], now["recorded_by"], now["source"]) == (3, "Satu posyandu tertunda", "dinkes", "edit")


def test_a_bad_cell_is_refused_naming_its_column_and_stays_typed(own_plan):
    at = typed(page("perbarui.py", "dinkes"), {1: {"budget_spent": -5}})
    at.button(key="upd_save").click().run()
    [error] = at.error
    assert "C-02" in error.value.replace("\\", "")
    assert "Realisasi Anggaran: Nilai '-5.0' tidak boleh negatif." in error.value.replace("\\", "")
    assert editor_table(at)["budget_spent"].iloc[1] == -5                # what was typed is still there


def test_a_conflict_shows_both_values_and_who_saved_theirs(own_plan):
    from ui.common import get_store

    store = get_store()
    c01 = state(store, date.today())["C-01"]
    action_id, seen = int(c01["action_id"]), int(c01["progress_id"])
    # The editor typed 3 against the snapshot they saw; meanwhile a colleague saved 5.
    colleague = Actor("kabid.dinkes", "editor", frozenset({"DINKES"}))
    save_edits(store, colleague, [ProgressEdit(action_id, seen, {"actual": 5})], date.today())
    at = page("perbarui.py", "dinkes")
    at.session_state["upd_draft"] = {action_id: {"base": seen, "values": {"actual": 3.0}}}
    at.run()
    at.button(key="upd_save").click().run()
    assert "diubah oleh kabid.dinkes pada" in at.warning[0].value.replace("\\", "")
    [both] = [d.value for d in at.dataframe if not (d.key or "").startswith("upd_editor_")]
    assert both.to_dict("records") == [{"field": "Realisasi", "theirs": "5", "mine": "3"}]
    assert state(store, date.today())["C-01"]["actual"] == 5            # theirs stands until saved again
    at.button(key="upd_save").click().run()                          # seen both: saving again is a decision
    assert state(store, date.today())["C-01"]["actual"] == 3


def test_typing_never_moves_to_other_actions_when_the_filter_changes(plan):
    # Dinkes and Diskominfo have two actions each: the same shape of table, other actions.
    at = page("perbarui.py", "admin")
    at.session_state["filter_agency"] = "DINKES"
    typed(at, {0: {"actual": 99}})
    assert "1 aksi diubah, belum disimpan" in texts(at)
    at.session_state["filter_agency"] = "DISKOMINFO"
    at.run()
    table = editor_table(at)
    assert list(table["action_code"]) == ["I-01", "I-03"] and list(table["actual"]) == [60, 20]
    assert t("upd.no_pending") in texts(at)


def test_typed_values_survive_leaving_the_page(plan):
    at = page("perbarui.py", "dinkes")
    at.session_state["upd_draft"] = {}
    at.run()
    from ui.common import get_store

    action_id = int(state(get_store(), date(2024, 10, 7))["C-02"]["action_id"])
    at.session_state["upd_draft"] = {action_id: {"base": None, "values": {"obstacle": "Hujan deras"}}}
    at.run()                                                         # as after coming back to the page
    assert editor_table(at)["obstacle"].iloc[1] == "Hujan deras"
    assert "1 aksi diubah, belum disimpan" in texts(at)



def test_the_editor_shows_a_page_at_a_time_and_saves_what_was_typed_on_another(own_plan, monkeypatch):
    import ui.editor

    monkeypatch.setattr(ui.editor, "PAGE_ROWS", 2)                  # the admin's 7 actions: 4 pages of 2
    from ui.common import get_store

    at = page("perbarui.py", "admin").run()
    first = editor_table(at)["action_code"].iloc[0]
    assert "7 aksi · halaman 1 dari 4" in texts(at)
    shown = state(get_store(), date(2024, 10, 7))[first]
    # As typing does (ui.editor._capture): the value goes to the draft, with the snapshot it was typed on.
    at.session_state["upd_draft"] = {int(shown["action_id"]): {"base": int(shown["progress_id"]),
                                                                "values": {"actual": 99}}}
    at.session_state["upd_page__"] = 2
    at.run()
    assert first not in list(editor_table(at)["action_code"]) and len(editor_table(at)) == 2
    assert "1 aksi diubah, belum disimpan" in texts(at)              # the value typed on page 1 waits
    at.button(key="upd_save").click().run()
    assert not at.exception and "1 aksi tersimpan:" in texts(at)
    assert state(get_store(), date.today())[first]["actual"] == 99


def test_typing_part_of_an_activity_finds_the_action_for_evidence(plan):
    at = page("perbarui.py", "admin").run()
    at.text_input(key="upd_evidence_search").input("POSYANDU").run()
    assert at.selectbox(key="upd_evidence_action").options == ["C-01 · Kemitraan posyandu digital"]


def test_an_editor_never_finds_another_agencys_action(plan):
    at = page("perbarui.py", "dinkes").run()
    at.text_input(key="upd_evidence_search").input("Satu Data").run()   # I-01, Diskominfo's
    assert at.selectbox(key="upd_evidence_action").options == []
    assert "Tidak ada aksi yang cocok dengan 'Satu Data'." in texts(at)


def test_evidence_goes_with_an_action_found_on_another_page(own_plan, monkeypatch):
    import ui.editor

    monkeypatch.setattr(ui.editor, "PAGE_ROWS", 1)
    at = page("perbarui.py", "admin").run()
    assert "C-02" not in list(editor_table(at)["action_code"])
    at.text_input(key="upd_evidence_search").input("stunting").run()
    at.file_uploader(key="upd_evidence_0").set_value(("foto.png", b"\x89PNG\r\n\x1a\n", "image/png"))
    at.run()
    at.button(key="upd_save").click().run()
    assert not at.exception and "C-02 · Turunkan angka stunting" in texts(at)
    from ui.common import get_store

    assert get_store().query_one("""SELECT a.action_code, e.file_name FROM evidence e
                                    JOIN progress p ON p.id = e.progress_id JOIN actions a ON a.id = p.action_id"""
                                 ) == ("C-02", "foto.png")

# -- Unggah Data --------------------------------------------------------------------------------

def test_an_editor_uploading_another_agencys_file_gets_a_message(own_plan):
    from tests.test_views import GOOD                                 # Diskominfo and Dinkes rows

    at = page("unggah.py", "dinkes").run()
    at.file_uploader(key="up_files").set_value(("campur.csv", GOOD, "text/csv"))
    at.button(key="up_load").click().run()
    assert not at.exception
    shown = " ".join(str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel())
    assert "Pengguna dinkes tidak berhak mengubah data OPD: DISKOMINFO." in shown


# -- Jejak Audit --------------------------------------------------------------------------------

def test_the_audit_page_shows_an_edit_as_text_and_undoes_it(own_plan):
    from ui.common import get_store

    store = get_store()
    c02 = state(store, date.today())["C-02"]
    save_edits(store, Actor("dinkes", "editor", frozenset({"DINKES"})),
               [ProgressEdit(int(c02["action_id"]), int(c02["progress_id"]), {"actual": 22, "notes": "<b>naik</b>"})],
               date.today())
    at = page("audit.py", "admin").run()
    assert not at.exception and not at.error
    rows = at.dataframe[0].value
    edit = rows[rows["kind"] == "Perubahan progres"].iloc[0]
    assert (edit["actor"], edit["subject"], edit["agency_code"]) == ("dinkes", "C-02", "DINKES")
    assert edit["before_text"] == "Realisasi: 25 · Keterangan: –"
    assert edit["after_text"] == "Realisasi: 22 · Keterangan: <b>naik</b>"   # as text, never as markup
    at.selectbox(key="au_kind").set_value("progress_edit").run()
    assert list(at.dataframe[0].value["kind"]) == ["Perubahan progres"]
    at.button(key="au_revert").click().run()
    assert "dibatalkan" in at.success[0].value
    assert state(store, date.today())["C-02"]["actual"] == 25
    assert at.dataframe[0].value.empty or "Pembatalan perubahan" not in list(at.dataframe[0].value["kind"])
    at.selectbox(key="au_kind").set_value("revert").run()
    assert list(at.dataframe[0].value["actor"]) == ["admin"]



def test_the_audit_page_shows_at_once_a_change_that_leaves_the_data_version_alone(own_plan):
    from smartcity.users import add_user
    from ui.common import get_store

    at = page("audit.py", "admin").run()
    before = len(at.dataframe[0].value)
    assert f"{before} perubahan · halaman 1 dari 1" in texts(at)
    add_user(get_store(), Actor("admin", "admin"), "dlh.sari", "rahasia-123", "editor", ["DLH"])
    at.run()                                                          # the list is cached, but not past a new change
    rows = at.dataframe[0].value
    assert len(rows) == before + 1
    assert (rows.iloc[0]["kind"], rows.iloc[0]["subject"], rows.iloc[0]["actor"]) == ("Pengguna ditambah", "dlh.sari", "admin")
    assert f"{before + 1} perubahan · halaman 1 dari 1" in texts(at)

# -- Pengguna -----------------------------------------------------------------------------------

def test_the_users_page_adds_a_user_and_refuses_a_short_password(own_plan):
    at = page("pengguna.py", "admin").run()
    assert list(at.dataframe[0].value["username"]) == ["admin", "dinkes", "diskominfo", "viewer"]
    at.text_input(key="usr_add_name").input("dlh.sari")
    at.multiselect(key="usr_add_agencies").set_value(["DLH"])
    at.text_input(key="usr_add_password").input("pendek")
    at.button(key="FormSubmitter:usr_add-Tambah pengguna").click().run()
    assert [e.value for e in at.error] == ["Kata sandi paling sedikit 8 karakter."]
    at.text_input(key="usr_add_password").input("rahasia-dlh-1")
    at.button(key="FormSubmitter:usr_add-Tambah pengguna").click().run()
    assert "Pengguna dlh.sari ditambahkan." in at.success[0].value.replace("\\", "")
    added = at.dataframe[0].value.set_index("username").loc["dlh.sari"]
    assert (added["role_name"], added["agency_names"]) == ("Editor OPD", "DLH")


def test_the_users_page_disables_a_user_and_resets_a_password(own_plan):
    from smartcity.users import authenticate
    from ui.common import get_store

    at = page("pengguna.py", "admin").run()
    at.selectbox(key="usr_access_user").set_value("viewer").run()
    at.button(key="usr_reset").click().run()
    new_password = at.code[0].value
    assert authenticate(get_store(), "viewer", new_password).actor is not None
    at.button(key="usr_toggle").click().run()
    assert at.dataframe[0].value.set_index("username").loc["viewer", "state"] == "nonaktif"
