"""Every page under AppTest, on the hand-worked plan of tests/ui_fixtures.py (7 Oct 2024).

Each page runs on its own (AppTest.from_file("pages/x.py")); the tests through app.py check
what only navigation shows: filters carried from page to page and drill-down links.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcity.i18n import t
from tests.ui_fixtures import plan_db, signed_in
from tests.test_views import GOOD, ONE_BAD

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "ringkasan.py": "page.overview", "pilar.py": "page.pillar", "opd.py": "page.agency",
    "rencana-aksi.py": "page.actions", "kpi.py": "page.kpi", "unggah.py": "page.upload",
    "tinjauan.py": "page.review",
}


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    return plan_db(tmp_path_factory.mktemp("pages") / "plan.duckdb")


@pytest.fixture
def plan(plan_path, monkeypatch) -> Path:
    """The plan as the app's database (read-only use: tests that upload get their own)."""
    monkeypatch.setenv("SMARTCITY_DB", str(plan_path))
    return plan_path


def page(name: str, user: str | None = "admin") -> AppTest:
    """A page on its own, signed in as `user` (default 'admin', the first admin the app creates; None: signed out)."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)
    return signed_in(at, user) if user else at


def metrics(at: AppTest) -> dict[str, list[str]]:
    """Metric values by label, in page order (a label can appear on several cards)."""
    out: dict[str, list[str]] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m.value)
    return out


def frames_with(at: AppTest, column: str) -> list:
    """The tables shown that have `column`, in page order."""
    return [df.value for df in at.dataframe if column in df.value.columns]


def shown_codes(at: AppTest) -> list[str]:
    """The action codes of the first action table on the page."""
    return list(frames_with(at, "action_code")[0]["action_code"])


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang, as_of", [("id", "Data per 7 Okt 2024"), ("en", "Data as of 7 Oct 2024")])
def test_every_page_runs_on_its_own_and_shows_its_title(plan, name, lang, as_of):
    at = page(name)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == t(PAGES[name], lang)
    assert at.caption[1].value == as_of


# -- Ringkasan ----------------------------------------------------------------------------------

def test_overview_cards_show_the_hand_worked_figures(plan):
    at = page("ringkasan.py").run()
    shown = metrics(at)
    assert shown["Jumlah aksi"] == ["7"]
    assert shown["Capaian"] == ["57,9%", "66,7%", "87,5%", "15%"]       # all, then the three pillars
    assert shown["Serapan anggaran"] == ["56,9%"]
    assert shown["Serapan"] == ["65,7%", "50%", "10%"]
    assert shown["OPD belum melapor"] == ["1 / 4"]                      # DLH: 17 days since its report
    badges = " ".join(m.value for m in at.markdown)
    assert "Predikat: Sedang" in badges and "Perlu perhatian: 1" in badges


def test_overview_in_english(plan):
    at = page("ringkasan.py").run()
    at.sidebar.segmented_control[0].set_value("en").run()
    assert at.title[0].value == "Overview"
    assert at.session_state["lang"] == "en"
    assert "Achievement" in metrics(at) and "Data as of 7 Oct 2024" in at.caption[1].value
    assert at.sidebar.selectbox[1].options[0] == "All pillars"


def test_overview_for_an_earlier_date(plan):
    at = page("ringkasan.py").run()
    at.sidebar.selectbox[0].select_index(2).run()                    # latest, 7 Oct, 30 Sep, 20 Sep
    assert at.session_state["filter_as_of"].isoformat() == "2024-09-30"
    assert metrics(at)["Capaian"][1] == "40%"                          # I-01: 40 of 100 then


def test_opening_a_pillar_sets_the_pillar_filter(plan):
    at = page("ringkasan.py").run()
    at.button(key="open_collaboration").click().run()
    assert at.session_state["filter_pillar"] == "collaboration"
    assert metrics(at)["Capaian"] == ["87,5%", "87,5%"]                 # the total and the one card


# -- Pilar, OPD ---------------------------------------------------------------------------------

def test_pillar_page_shows_the_chosen_pillar(plan):
    at = page("pilar.py").run()
    assert metrics(at)["Capaian"] == ["66,7%"]                          # integration when none is chosen
    at.segmented_control(key="pl_pillar").set_value("sustainability").run()
    assert metrics(at)["Capaian"] == ["15%"]
    assert at.session_state["filter_pillar"] == "sustainability"


def test_agency_page_lists_agencies_until_one_is_chosen(plan):
    at = page("opd.py").run()
    assert list(at.dataframe[0].value["agency_short"]) == ["Disdukcapil", "Dinkes", "Diskominfo", "DLH"]
    at.selectbox(key="ag_agency").set_value("DISKOMINFO").run()
    assert at.subheader[0].value == "Dinas Komunikasi dan Informatika"
    shown = metrics(at)
    assert shown["Capaian"] == ["50%"] and shown["Serapan anggaran"] == ["52%"]
    assert shown["Laporan terakhir"] == ["7 Okt 2024"]
    assert shown_codes(at) == ["I-01", "I-03"]


def test_agency_page_shows_an_action_in_detail(plan):
    at = page("opd.py")
    at.session_state["filter_agency"] = "DINKES"
    at.run()
    at.selectbox(key="ag_action").select_index(1).run()               # C-01
    assert metrics(at)["Capaian"][1] == "100%"
    # user text is shown as data, never as markup: the formula-like note appears verbatim
    detail = [v for df in frames_with(at, "value") for v in df["value"]]     # the fields, in two halves
    assert '=HYPERLINK("http://contoh.invalid","klik")' in detail and "Kemitraan posyandu digital" in detail


# -- Rencana Aksi -------------------------------------------------------------------------------

def test_action_plan_filtered_by_agency_shows_only_its_actions(plan):
    at = page("rencana-aksi.py").run()
    assert len(shown_codes(at)) == 7
    at.sidebar.selectbox[2].set_value("DINKES").run()
    assert shown_codes(at) == ["C-01", "C-02"]
    assert at.caption[2].value == "2 aksi · halaman 1 dari 1"


def test_action_plan_search_and_status(plan):
    at = page("rencana-aksi.py").run()
    at.text_input(key="ac_search").input("stunting").run()
    assert shown_codes(at) == ["C-02"]
    at.text_input(key="ac_search").input("").run()
    at.pills(key="ac_status").set_value(["late"]).run()
    assert shown_codes(at) == ["I-03", "S-02"]


def test_action_plan_offers_the_excel_download(plan):
    at = page("rencana-aksi.py").run()
    assert at.download_button[0].label == "Unduh Excel"


# -- KPI ----------------------------------------------------------------------------------------

def test_kpi_page_shows_each_kpi_value_and_the_formula(plan):
    at = page("kpi.py").run()
    shown = metrics(at)
    assert shown["Capaian rencana aksi"] == ["57,9%"]
    assert shown["Aksi terlambat atau perlu perhatian"] == ["3"]
    words = " ".join(m.value for m in at.markdown).replace("\\", "")     # Markdown escapes removed
    assert "Cara menghitung:" in words and "rata-rata capaian, maksimal 100% per aksi" in words
    assert list(at.dataframe[0].value["agency_short"]) == ["Disdukcapil", "Dinkes", "Diskominfo", "DLH"]


def test_kpi_page_for_one_agency(plan):
    at = page("kpi.py")
    at.session_state["filter_agency"] = "DISKOMINFO"
    at.run()
    assert metrics(at)["Capaian rencana aksi"] == ["50%"]


# -- Unggah Data --------------------------------------------------------------------------------

@pytest.fixture
def fresh_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def test_upload_page_loads_files_and_shows_every_problem(fresh_db):
    at = page("unggah.py").run()
    assert at.main.caption[-1].value == t("up.history_empty")
    at.file_uploader(key="up_files").set_value([("baik.csv", GOOD, "text/csv"), ("buruk.csv", ONE_BAD, "text/csv")])
    at.button(key="up_load").click().run()                             # Pratinjau
    at.button(key="up_confirm").click().run()                          # Muat data
    assert not at.exception, at.exception
    assert [x.value for x in at.text] == ["baik.csv", "buruk.csv"]
    lines = [c.value for c in at.caption]
    assert "2 baris dimuat · 0 baris ditolak" in lines and "1 baris dimuat · 1 baris ditolak" in lines
    problems = at.dataframe[0].value                                    # buruk.csv's problems
    assert list(problems["row"]) == [3] and list(problems["column"]) == ["Target"]
    history = at.dataframe[-1].value
    assert list(history["file_name"]) == ["buruk.csv", "baik.csv"]


def test_upload_results_stay_after_a_rerun_and_follow_the_language(fresh_db):
    at = page("unggah.py").run()
    at.file_uploader(key="up_files").set_value(("buruk.csv", ONE_BAD, "text/csv"))
    at.button(key="up_load").click().run()                             # Pratinjau
    at.button(key="up_confirm").click().run()                          # Muat data
    at.sidebar.segmented_control[0].set_value("en").run()
    assert "1 rows loaded · 1 rows rejected" in [c.value for c in at.caption]
    assert at.dataframe[0].value["message"].iloc[0] != ""


def test_the_overview_shows_new_numbers_after_an_upload(fresh_db):
    assert page("ringkasan.py").run().subheader[0].value == t("state.empty_title")
    at = page("unggah.py").run()
    at.file_uploader(key="up_files").set_value(("baik.csv", GOOD, "text/csv"))
    at.date_input(key="up_as_of").set_value(__import__("datetime").date(2024, 10, 7))
    at.button(key="up_load").click().run()                             # Pratinjau
    at.button(key="up_confirm").click().run()                          # Muat data
    assert metrics(page("ringkasan.py").run())["Jumlah aksi"] == ["2"]


# -- empty database and errors ------------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n in PAGES if n != "unggah.py"])
def test_an_empty_database_shows_the_way_to_upload(fresh_db, name):
    at = page(name).run()
    assert not at.exception
    assert at.subheader[0].value == t("state.empty_title")


def test_an_unexpected_error_shows_a_message_not_a_traceback(fresh_db, monkeypatch):
    from tests.ui_fixtures import build_plan
    from smartcity.store import open_store

    build_plan(open_store(fresh_db)).close()
    import smartcity.views as views

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(views, "overview", broken)
    at = page("ringkasan.py").run()
    assert not at.exception
    assert "tidak dapat ditampilkan" in at.error[0].value


# -- through app.py: navigation carries the filters ---------------------------------------------

def test_filters_carry_from_page_to_page(plan):
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)).run()
    assert at.title[0].value == "Ringkasan"
    at.sidebar.selectbox[2].set_value("DINKES").run()
    at.switch_page("pages/rencana-aksi.py").run()
    assert at.title[0].value == "Rencana Aksi"
    assert at.sidebar.selectbox[2].value == "DINKES"
    assert shown_codes(at) == ["C-01", "C-02"]


def test_user_text_in_markdown_is_escaped():
    from ui.common import md_escape

    # links, emphasis, Streamlit colour directives, math and tags all come out as literal text
    assert md_escape("**a** [x](http://y) :red[z] $1$ <b>") == \
        r"\*\*a\*\* \[x\]\(http\://y\) \:red\[z\] \$1\$ \<b\>"
    assert md_escape("Dinas Kesehatan 1,5%") == "Dinas Kesehatan 1,5%"
