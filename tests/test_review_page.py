"""The Tinjauan Mingguan page (and the review's marks on the OPD and KPI pages) under AppTest, on
the hand-worked plan with a correction and last review's decisions (tests/test_review.py:
build_review_plan). Every figure shown is worked out in tests/ui_fixtures.py and tests/test_review.py.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcity.auth import SYSTEM_ACTOR
from smartcity.store import open_store
from smartcity.users import add_user, set_role
from tests.test_review import build_review_plan
from tests.ui_fixtures import signed_in
from ui.review import HISTORY_TAB_KEY, open_key

ROOT = Path(__file__).resolve().parent.parent
USERS = {"admin": ("admin", []), "dinkes": ("editor", ["DINKES"]), "tamu": ("viewer", [])}


def make_db(path: Path) -> Path:
    store = build_review_plan(open_store(path))
    for name, (role, agencies) in USERS.items():
        add_user(store, SYSTEM_ACTOR, name, f"sandi-{name}-123", role, agencies)
    store.close()
    return path


@pytest.fixture(scope="module")
def review_db(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("review") / "plan.duckdb")


@pytest.fixture
def shared(review_db, monkeypatch) -> Path:
    """The plan for tests that only read it."""
    monkeypatch.setenv("SMARTCITY_DB", str(review_db))
    return review_db


@pytest.fixture(scope="module")
def shown(review_db) -> AppTest:
    """The review page run once, signed in as admin, for the tests that only look at it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SMARTCITY_DB", str(review_db))
        at = page().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def own(tmp_path, monkeypatch) -> Path:
    """A private copy for a test that records decisions."""
    path = make_db(tmp_path / "own.duckdb")
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def page(name: str = "tinjauan.py", user: str | None = "admin") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    return signed_in(at, user) if user else at


def metrics(at: AppTest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m.value)
    return out


# Tables by a column only they have (AppTest does not expose a table's key).
TABLES = {"silent": "days_since", "last_decisions": "done_text", "changes": "kind", "missing": "missing",
          "corrections": "original_recorded_at"}


def frames(at: AppTest, table: str) -> list:
    """The data of the tables of one kind, in page order."""
    return [df.value for df in at.dataframe if TABLES.get(table, table) in df.value.columns]


def frame(at: AppTest, table: str):
    return frames(at, table)[0]


def test_the_review_shows_the_hand_worked_counts(shown):
    at = shown
    assert at.title[0].value == "Tinjauan Mingguan"
    shown = metrics(at)
    assert shown["OPD belum melapor"] == ["1 / 4"]                     # DLH, 17 days
    assert shown["OPD yang melapor"] == ["75%"]
    counts = {k: shown[k] for k in ("Menjadi terlambat", "Memburuk", "Dihapus dari rencana", "Tidak bergerak",
                                    "Aksi baru", "Selesai", "Membaik", "Angka berubah", "Merah tanpa alasan",
                                    "Koreksi")}
    assert counts == {"Menjadi terlambat": ["0"], "Memburuk": ["0"], "Dihapus dari rencana": ["0"],
                      "Tidak bergerak": ["2"], "Aksi baru": ["4"], "Selesai": ["0"], "Membaik": ["1"],
                      "Angka berubah": ["0"], "Merah tanpa alasan": ["3"], "Koreksi": ["1"]}
    delta = next(m for m in at.metric if m.label == "OPD yang melapor").proto.delta
    assert delta == "+25 poin sejak 30 Sep 2024"


def test_the_silent_agency_and_a_reminder_to_copy(shown):
    at = shown
    silent = frame(at, "silent")
    assert list(silent["agency_name"]) == ["Dinas Lingkungan Hidup"] and list(silent["days_since"]) == [17]
    reminder = at.code[0].value
    assert reminder.startswith("Yth. Bapak/Ibu Kepala Perangkat Daerah")
    assert "1. Dinas Lingkungan Hidup: laporan terakhir 20-09-2024 (17 hari lalu)" in reminder


def test_changes_per_agency_worst_news_first_with_bad_news_open(shown, shared):
    at = shown
    labels = [e.label for e in at.expander]
    assert labels == ["**DLH** — Tidak bergerak 2", "**Dinkes** — Aksi baru 2",
                      "**Diskominfo** — Aksi baru 1 · Membaik 1", "**Disdukcapil** — Aksi baru 1"]
    # Only DLH has bad news (stalled): its table is open; the others are drawn when opened.
    assert [len(e.dataframe) for e in at.expander] == [1, 0, 0, 0]
    assert list(frames(at, "changes")[0]["action_code"]) == ["S-01", "S-02"]

    opened = page()
    opened.session_state[open_key(date(2024, 10, 7), date(2024, 9, 30), "DISKOMINFO")] = True
    opened.run()
    assert [len(e.dataframe) for e in opened.expander] == [1, 0, 1, 0]
    kominfo = frames(opened, "changes")[1]         # DLH, then Diskominfo
    assert list(kominfo["action_code"]) == ["I-03", "I-01"]
    assert list(kominfo["kind"]) == ["Aksi baru", "Membaik"]
    # I-01: 45 on 30 Sep (as corrected) to 60; budget spent Rp 400 Jt to Rp 600 Jt
    assert list(kominfo["actual"]) == ["20", "45 → 60"]
    assert list(kominfo["spent"]) == ["Rp 50 Jt", "Rp 400 Jt → Rp 600 Jt"]


def test_reasons_and_corrections(shown):
    at = shown
    missing = frame(at, "missing")
    assert list(missing["action_code"]) == ["I-03", "S-02", "I-01"]
    assert set(missing["missing"]) == {"kendala, tindak lanjut"}
    fixes = frame(at, "corrections")
    assert list(fixes["action_code"]) == ["I-01"] and list(fixes["actual"]) == ["40 → 45"]
    assert list(fixes["recorded_by"]) == ["kominfo"]


def test_the_page_opens_with_last_reviews_decisions_and_their_follow_up(shown):
    at = shown
    assert "Keputusan tinjauan 30 Sep 2024 dan tindak lanjutnya" in [s.value for s in at.subheader]
    last = frame(at, "last_decisions")
    assert list(last["text"]) == ["Percepat kemitraan posyandu", "Kirim laporan terbaru"]
    assert list(last["done_text"]) == ["Sudah", "Belum"]
    assert list(last["follow_up_note"])[0] == "MoU ditandatangani 3 Okt"


def test_an_admin_records_a_decision_for_an_action(own):
    action_id = open_store(own, read_only=True).query_one(
        "SELECT id FROM actions WHERE action_code = 'I-03'")[0]
    at = page().run()
    at.selectbox(key="rv_dec_agency").set_value("DISKOMINFO").run()
    at.selectbox(key="rv_dec_action").set_value(action_id).run()
    at.text_area(key="rv_dec_text").input("Percepat uji coba aplikasi").run()
    at.button(key="rv_dec_save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][-1].startswith("Keputusan #3 disimpan")
    now = [df for df in frames(at, "decided_by") if "done_text" not in df][0]
    assert list(now["text"]) == ["Percepat uji coba aplikasi"] and list(now["action_code"]) == ["I-03"]
    assert list(now["decided_by"]) == ["admin"]
    assert at.text_area(key="rv_dec_text").value == ""                 # the draft is cleared once saved


def test_an_empty_decision_shows_why_and_keeps_the_form(own):
    at = page().run()
    at.selectbox(key="rv_dec_agency").set_value("DLH").run()
    at.button(key="rv_dec_save").click().run()
    assert [e.value for e in at.error] == ["Isi keputusan tidak boleh kosong."]


def test_a_typed_draft_survives_reruns_and_page_switches(own):
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "admin").run()
    at.switch_page("pages/tinjauan.py").run()
    at.text_area(key="rv_dec_text").input("Rapat koordinasi Satu Data").run()
    at.number_input(key="rv_weeks").set_value(3).run()                 # a rerun
    at.switch_page("pages/ringkasan.py").run()
    at.switch_page("pages/tinjauan.py").run()
    assert at.text_area(key="rv_dec_text").value == "Rapat koordinasi Satu Data"
    assert at.number_input(key="rv_weeks").value == 3


def test_an_editor_follows_up_their_agencys_decision_but_records_none(own):
    at = page(user="dinkes").run()
    assert at.selectbox(key="rv_fu_pick").options == ["#1 · Dinkes · Percepat kemitraan posyandu"]
    assert "Keputusan dicatat oleh admin Bapelitbangda." in [c.value for c in at.caption]
    at.toggle(key="rv_fu_done").set_value(False).run()
    at.text_area(key="rv_fu_note").input("Ternyata belum, menunggu anggaran").run()
    at.button(key="rv_fu_save").click().run()
    assert [s.value for s in at.success][-1] == "Tindak lanjut keputusan #1 disimpan."
    last = frame(at, "last_decisions")
    assert list(last["done_text"]) == ["Belum", "Belum"]
    assert list(last["follow_up_note"])[0] == "Ternyata belum, menunggu anggaran"


def test_a_refused_write_shows_the_reason(own):
    at = page().run()
    at.selectbox(key="rv_dec_agency").set_value("DLH").run()
    at.text_area(key="rv_dec_text").input("Kirim data").run()
    with open_store(own) as store:                                     # demoted while the page is open
        set_role(store, SYSTEM_ACTOR, "admin", "viewer", [])
    at.button(key="rv_dec_save").click().run()
    assert any("Hanya admin" in e.value for e in at.error)


def test_choosing_an_earlier_comparison_date(shared):
    at = page().run()
    at.selectbox(key="rv_since").set_value(date(2024, 9, 20)).run()
    assert metrics(at)["Aksi baru"] == ["5"]                          # every action but DLH's


def test_the_history_section_draws_the_chosen_tab_of_three(shown, shared):
    at = shown
    assert [tab.label for tab in at.tabs] == ["Capaian", "Serapan anggaran", "Status aksi"]
    assert at.segmented_control(key="rv_history_by").value == "pillar"
    # Only the open tab's chart is made and sent: achievement, lines per pillar.
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert [[tr["type"] for tr in c["data"]] for c in charts] == [["scatter", "scatter", "scatter"]]

    status = page()
    status.session_state[HISTORY_TAB_KEY] = "Status aksi"
    status.run()
    charts = [json.loads(c.proto.spec) for c in status.get("plotly_chart")]
    assert len(charts) == 1 and {tr["type"] for tr in charts[0]["data"]} == {"bar"}


def test_the_agency_page_flags_red_actions_without_reasons(shared):
    at = page("opd.py")
    at.session_state["filter_agency"] = "DISKOMINFO"
    at.run()
    assert [w.value for w in at.warning] == [
        "2 aksi terlambat atau perlu perhatian belum berisi kendala (faktor penghambat) atau tindak lanjut."]
    assert list(frame(at, "missing")["action_code"]) == ["I-03", "I-01"]


def test_kpi_cards_show_the_change_since_the_previous_review(shared):
    at = page("kpi.py").run()
    cards = {m.label: m for m in at.metric}
    assert cards["Capaian rencana aksi"].proto.delta == "+32,9 poin sejak 30 Sep 2024"      # 25% -> 57,9%
    assert cards["Aksi terlambat atau perlu perhatian"].proto.delta == "+1 sejak 30 Sep 2024"
