"""The Unggah Data page's preview step: what a file would load, shown before it is loaded."""
import os
from datetime import date

import pytest

from smartcity import uploads
from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.mappings import map_agency_alias
from smartcity.pipeline import load_file
from smartcity.store import open_store
from tests.test_pipeline import WEEK1, csv

W1, W2 = date(2024, 9, 30), date(2024, 10, 7)


def test_a_preview_counts_actions_per_pillar_and_agency_and_writes_nothing(store):
    (p,) = uploads.preview_uploads(store, [("minggu1.csv", WEEK1)], W1, SYSTEM_ACTOR)
    assert (p.status, p.rows_loaded, p.rows_rejected) == ("preview", 3, 0)
    # WEEK1: Diskominfo K-01 integration, K-02 collaboration; DLH L-01 sustainability.
    rows = {(r.agency_code, r.pillar): r.actions for r in p.by_pillar_agency.itertuples()}
    assert rows == {("DISKOMINFO", "integration"): 1, ("DISKOMINFO", "collaboration"): 1, ("DLH", "sustainability"): 1}
    assert sorted(p.changes["kind"]) == ["new", "new", "new"]       # nothing loaded before
    assert store.query_one("SELECT count(*) FROM uploads")[0] == 0


def test_a_preview_hides_unchanged_actions(store):
    load_file(store, WEEK1, "minggu1.csv", W1)
    # K-01 spends more (moved); L-01 sent again as it was, not done (stalled); K-02 done and sent
    # again as it was: unchanged, so not shown.
    week2 = WEEK1.replace(b"Rp 1.250.000.000;Rp 500.000.000", b"Rp 1.250.000.000;Rp 600.000.000")
    (p,) = uploads.preview_uploads(store, [("minggu2.csv", week2)], W1, SYSTEM_ACTOR)
    assert dict(zip(p.changes["action_code"], p.changes["kind"])) == {"K-01": "moved", "L-01": "stalled"}


def test_a_preview_lists_rejected_rows_and_unknown_agencies_until_mapped(store):
    content = csv("X-01;Integrasi;Dinas Antah Berantah;Aksi X;Unit;unit;10;1;;;01/01/2024;31/12/2024")
    (p,) = uploads.preview_uploads(store, [("x.csv", content)], W1, SYSTEM_ACTOR)
    assert (p.rows_loaded, p.rows_rejected) == (0, 1)
    assert list(p.rejected["row"]) == [3]                 # title row, header row, then the row
    assert "Aksi X" in p.rejected["cells"].iloc[0]
    assert [u.name_as_written for u in p.unknown_agencies] == ["Dinas Antah Berantah"]
    map_agency_alias(store, SYSTEM_ACTOR, "Dinas Antah Berantah", "DLH")
    (p,) = uploads.preview_uploads(store, [("x.csv", content)], W1, SYSTEM_ACTOR)
    assert (p.rows_loaded, p.rows_rejected, p.unknown_agencies) == (1, 0, [])


def test_a_file_the_actor_may_not_load_is_an_error_in_the_preview(store):
    editor = Actor("dinkes", "editor", frozenset({"DINKES"}))
    (p,) = uploads.preview_uploads(store, [("minggu1.csv", WEEK1)], W1, editor)
    assert p.status == "error" and len(p.problems) == 1
    assert store.query_one("SELECT count(*) FROM uploads")[0] == 0


def test_template_agencies_are_all_for_an_admin_and_their_own_for_an_editor(store):
    assert len(uploads.template_agencies(store, SYSTEM_ACTOR)) == store.query_one("SELECT count(*) FROM agencies")[0]
    editor = Actor("dinkes", "editor", frozenset({"DINKES"}))
    assert list(uploads.template_agencies(store, editor)["code"]) == ["DINKES"]
    assert uploads.template_agencies(store, Actor("v", "viewer")).empty


# -- the page (AppTest: the preview is placed in session_state, as the file uploader would leave it) --

@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A database with only the test accounts (and the agency registry): every action comes from the preview."""
    from tests.ui_fixtures import add_accounts

    path = add_accounts(tmp_path / "app.duckdb")
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def _page(user: str = "admin"):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.ui_fixtures import signed_in

    root = Path(__file__).resolve().parent.parent
    return signed_in(AppTest.from_file(str(root / "pages" / "unggah.py"), default_timeout=30), user)


def test_the_upload_page_offers_the_blank_and_the_prefilled_template(app_db):
    at = _page().run()
    assert not at.exception, at.exception
    keys = [b.key for b in at.download_button]
    assert "up_tpl_blank" in keys and "up_tpl_prefilled" in keys


def test_an_editor_gets_the_prefilled_template_of_their_own_agency_only(app_db):
    at = _page("dinkes").run()
    assert at.selectbox(key="up_tpl_agency").options == ["Dinkes"]


def _with_preview(at, content: bytes, as_of=W2):
    from ui.upload import AS_OF_KEY, FILES_KEY, PREVIEW_KEY

    store = open_store(os.environ["SMARTCITY_DB"])
    try:
        at.session_state[PREVIEW_KEY] = uploads.preview_uploads(store, [("minggu2.csv", content)], as_of, SYSTEM_ACTOR)
    finally:
        store.close()
    at.session_state[FILES_KEY] = [("minggu2.csv", content)]
    at.session_state[AS_OF_KEY] = as_of
    return at


def test_a_preview_shows_what_would_load_and_the_confirm_button_loads_it(app_db):
    at = _with_preview(_page(), WEEK1).run()
    assert not at.exception, at.exception
    by = [df.value for df in at.dataframe if "actions" in df.value.columns][0]
    assert list(by["actions"]) == [1, 1, 1]          # WEEK1: Diskominfo 2 pillars, DLH 1
    assert at.button(key="up_confirm").label == "Muat data"
    assert at.button(key="up_cancel").label == "Batal"
    at.button(key="up_confirm").click().run()
    assert not at.exception, at.exception
    assert "3 baris dimuat · 0 baris ditolak" in [c.value for c in at.caption]
    assert list(at.dataframe[-1].value["file_name"]) == ["minggu2.csv"]     # the history


def test_cancel_drops_the_preview_and_loads_nothing(app_db):
    at = _with_preview(_page(), WEEK1).run()
    at.button(key="up_cancel").click().run()
    assert "up_confirm" not in [b.key for b in at.button]
    assert at.main.caption[-1].value == "Belum ada unggahan."


UNKNOWN = csv("X-01;Integrasi;Dinas Antah Berantah;Aksi X;Unit;unit;10;1;;;01/01/2024;31/12/2024")


def test_an_admin_maps_an_unknown_agency_and_the_preview_loads_its_rows(app_db):
    at = _with_preview(_page(), UNKNOWN).run()
    box = at.selectbox(key="preview_0_map_0")
    assert "Dinas Antah Berantah" in box.label
    box.set_value("DLH").run()
    at.button(key="preview_0_map_save_0").click().run()
    assert not at.exception, at.exception
    assert "1 baris akan dimuat · 0 baris ditolak" in [c.value for c in at.caption]


def test_an_editor_is_told_an_admin_must_map_an_unknown_agency(app_db):
    at = _with_preview(_page("dinkes"), UNKNOWN).run()
    assert not at.exception, at.exception
    assert any("Admin harus memetakan" in w.value for w in at.warning)
    assert not [s for s in at.selectbox if s.key == "preview_0_map_0"]
