"""The read models the pages show, checked against the hand-worked plan in tests/ui_fixtures.py."""
from datetime import date

import pytest

from smartcity import uploads, views
from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.store import open_store
from smartcity.views import Filters
from tests.ui_fixtures import D, D_DLH, D_EARLIER, build_plan

ALL = Filters()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The plan, built once: these tests only read it."""
    s = build_plan(open_store(tmp_path_factory.mktemp("plan") / "t.duckdb"))
    yield s
    s.close()


@pytest.fixture
def own_store(tmp_path):
    """The plan for a test that changes it."""
    s = build_plan(open_store(tmp_path / "t.duckdb"))
    yield s
    s.close()


@pytest.fixture
def empty(tmp_path):
    s = open_store(tmp_path / "empty.duckdb")
    yield s
    s.close()


# -- predikat -----------------------------------------------------------------------------------

@pytest.mark.parametrize("pct, band", [
    (100, "very_high"), (91, "very_high"), (90.9, "high"), (76, "high"), (75.9, "medium"), (66, "medium"),
    (65.9, "low"), (51, "low"), (50.9, "very_low"), (50, "very_low"), (0, "very_low"), (None, None),
])
def test_predikat_bands_follow_the_evaluation_rule(pct, band):
    # >= 91 sangat tinggi, 76-90 tinggi, 66-75 sedang, 51-65 rendah, <= 50 sangat rendah
    assert views.predikat(pct) == band


# -- filters' choices ---------------------------------------------------------------------------

def test_the_as_of_choices_are_the_dates_with_data_newest_first(store):
    assert views.dates_with_data(store) == [D, D_EARLIER, D_DLH]


def test_the_latest_date_is_used_when_none_is_chosen(store):
    assert views.resolve_as_of(store, ALL) == D
    assert views.resolve_as_of(store, Filters(as_of=D_EARLIER)) == D_EARLIER


def test_the_agency_choices_are_the_agencies_with_actions_by_short_name(store):
    assert list(views.agency_choices(store)["code"]) == ["DINKES", "DISDUKCAPIL", "DISKOMINFO", "DLH"]


# -- Ringkasan ----------------------------------------------------------------------------------

def test_overview_totals(store):
    data = views.overview(store, ALL)
    assert data.as_of == D and data.total.actions == 7 and data.agencies == 4
    # (0.6 + 1.0 + 0.4 + 1.0 + 0.75 + 0 + 0.3) / 7 = 4.05 / 7
    assert data.total.achievement == pytest.approx(4.05 / 7 * 100)
    # spent 1.280.000.000 of 2.250.000.000
    assert data.total.absorption == pytest.approx(1_280 / 2_250 * 100)
    assert data.total.status_counts == {"not_started": 1, "on_track": 1, "at_risk": 1, "late": 2, "done": 2}


def test_overview_has_one_card_per_pillar_with_hand_worked_figures(store):
    cards = {s.key: s for s in views.overview(store, ALL).pillars}
    assert list(cards) == ["integration", "collaboration", "sustainability"]
    integration = cards["integration"]
    assert integration.actions == 3
    assert integration.achievement == pytest.approx(200 / 3)          # (0.6 + 1.0 capped + 0.4) / 3
    assert integration.predikat == "medium"                           # 66,7%: sedang
    assert integration.absorption == pytest.approx(1_150 / 1_750 * 100)
    assert integration.budget == 1_750_000_000 and integration.budget_spent == 1_150_000_000
    assert integration.status_counts == {"not_started": 0, "on_track": 0, "at_risk": 1, "late": 1, "done": 1}
    assert cards["collaboration"].achievement == pytest.approx(87.5)    # (1.0 + 0.75) / 2
    assert cards["collaboration"].absorption == pytest.approx(50)
    assert cards["sustainability"].achievement == pytest.approx(15)     # (0 + 0.3) / 2
    assert cards["sustainability"].status_counts["not_started"] == 1


def test_overview_achievement_by_agency_per_pillar_best_first(store):
    rows = views.overview(store, ALL).by_agency["integration"]
    assert list(rows["agency_short"]) == ["Disdukcapil", "Diskominfo"]
    assert list(rows["achievement"]) == pytest.approx([100, 50])       # Diskominfo: (0.6 + 0.4) / 2


def test_overview_lists_the_agency_that_has_not_reported(store):
    silent = views.overview(store, ALL).not_reported
    assert list(silent["agency_code"]) == ["DLH"]
    assert silent["days_since"].iloc[0] == 17                        # 20 Sep to 7 Oct


def test_overview_with_an_agency_filter_counts_only_its_actions(store):
    data = views.overview(store, Filters(agency="DINKES"))
    assert data.total.actions == 2 and data.total.achievement == pytest.approx(87.5)
    assert [s.actions for s in data.pillars] == [0, 2, 0]
    assert data.not_reported.empty


def test_overview_with_a_pillar_filter_has_one_card(store):
    data = views.overview(store, Filters(pillar="sustainability"))
    assert [s.key for s in data.pillars] == ["sustainability"]
    assert list(data.not_reported["agency_code"]) == ["DLH"]


def test_overview_on_an_earlier_date_uses_the_snapshots_known_then(store):
    data = views.overview(store, Filters(as_of=D_EARLIER))
    cards = {s.key: s for s in data.pillars}
    assert cards["integration"].actions == 1
    assert cards["integration"].achievement == pytest.approx(40)       # I-01 had 40 of 100 on 30 Sep
    assert cards["collaboration"].actions == 0


def test_an_empty_database_has_no_overview(empty):
    assert views.overview(empty, ALL) is None
    assert views.dates_with_data(empty) == []
    assert views.actions_page(empty, ALL).total == 0
    assert views.kpi_board(empty, ALL).kpis == []


# -- Pilar and OPD ------------------------------------------------------------------------------

def test_pillar_detail_by_dimension_and_attention(store):
    data = views.pillar_detail(store, ALL, "integration")
    assert data.summary.achievement == pytest.approx(200 / 3)
    dims = data.by_dimension.set_index("dimension")
    assert dims.loc["Smart Governance", "actions"] == 2
    assert dims.loc["Smart Governance", "achievement"] == pytest.approx(80)   # (0.6 + 1.0) / 2
    assert dims.loc["Smart Society", "achievement"] == pytest.approx(40)
    # late before at risk
    assert list(data.attention["action_code"]) == ["I-03", "I-01"]
    assert list(data.by_agency["agency_code"]) == ["DISDUKCAPIL", "DISKOMINFO"]


def test_agency_detail(store):
    data = views.agency_detail(store, ALL, "DISKOMINFO")
    assert data.short_name == "Diskominfo" and data.summary.actions == 2
    assert data.summary.achievement == pytest.approx(50)
    assert data.summary.budget == 1_250_000_000
    assert data.summary.absorption == pytest.approx(650 / 1_250 * 100)     # 600 + 50 of 1.000 + 250 (juta)
    assert data.last_report == D and data.days_since_report == 0
    assert list(data.actions["action_code"]) == ["I-01", "I-03"]
    assert list(data.by_pillar["pillar"]) == ["integration"] and data.by_pillar["late"].iloc[0] == 1
    kpis = data.kpis.set_index("kpi_id")
    assert kpis.loc["achievement", "value"] == pytest.approx(50)
    assert kpis.loc["achievement", "name"] == "Capaian rencana aksi"


def test_agency_detail_of_an_agency_that_has_not_reported(store):
    data = views.agency_detail(store, ALL, "DLH")
    assert data.last_report == D_DLH and data.days_since_report == 17


def test_an_unknown_agency_has_no_detail(store):
    assert views.agency_detail(store, ALL, "NOPE") is None


def test_agency_table_has_one_row_per_agency(store):
    table = views.agency_table(store, ALL).set_index("agency_code")
    assert table.loc["DINKES", "actions"] == 2 and table.loc["DINKES", "done"] == 1
    assert table.loc["DLH", "days_since_report"] == 17


# -- Rencana Aksi -------------------------------------------------------------------------------

def test_actions_page_filtered_by_agency(store):
    page = views.actions_page(store, Filters(agency="DINKES"))
    assert page.total == 2 and list(page.rows["action_code"]) == ["C-01", "C-02"]


def test_actions_page_filtered_by_status_and_search(store):
    assert list(views.actions_page(store, ALL, status=("late",)).rows["action_code"]) == ["I-03", "S-02"]
    assert list(views.actions_page(store, ALL, search="stunting").rows["action_code"]) == ["C-02"]
    assert list(views.actions_page(store, ALL, search="kabid").rows["action_code"]) == ["I-01"]  # the owner


def test_actions_page_fetches_one_page(store):
    # 7 actions, 3 a page: pages of 3, 3 and 1
    page = views.actions_page(store, ALL, page=3, page_size=3)
    assert (page.total, page.pages, page.page, len(page.rows)) == (7, 3, 3, 1)
    assert views.actions_page(store, ALL, page=9, page_size=3).page == 3      # past the end: the last page


def test_actions_show_achievement_in_percent(store):
    rows = views.actions_page(store, ALL).rows.set_index("action_code")
    assert rows.loc["I-02", "achievement"] == pytest.approx(120)            # uncapped in the list
    assert rows.loc["C-02", "achievement"] == pytest.approx(75)             # (2 x 20 - 25) / 20


def test_the_export_has_every_column_and_every_matching_action(store):
    df = views.actions_for_export(store, Filters(pillar="integration"))
    assert list(df.columns) == list(views.EXPORT_COLUMNS)
    assert list(df["action_code"]) == ["I-02", "I-01", "I-03"]             # by agency, then code


def test_action_detail_with_its_history(store):
    action_id = store.query_one("SELECT id FROM actions WHERE action_code = 'I-01'")[0]
    detail = views.action_detail(store, ALL, action_id)
    assert detail.fields["achievement"] == pytest.approx(60) and detail.fields["status"] == "at_risk"
    assert list(detail.history["actual"]) == [60, 40]                       # newest first
    assert views.action_detail(store, Filters(as_of=D_EARLIER), action_id).history["actual"].tolist() == [40]


# -- KPI ----------------------------------------------------------------------------------------

def test_kpi_board_overall(store):
    board = views.kpi_board(store, ALL)
    assert board.as_of == D and board.scope_type == "all"
    kpi = next(k for k in board.kpis if k.id == "achievement")
    assert kpi.value == pytest.approx(4.05 / 7 * 100)
    assert kpi.status == "red"                      # 57,9 is under amber 76
    assert kpi.predikat == "low"                    # 51-65: rendah
    assert kpi.formula.startswith("rata-rata")
    by_agency = kpi.by_agency.set_index("agency_code")
    assert by_agency.loc["DINKES", "value"] == pytest.approx(87.5)
    assert kpi.by_agency["agency_code"].iloc[0] == "DISDUKCAPIL"            # best first (100)
    # over time: 20 Sep DLH only (0 + 0.3)/2; 30 Sep I-01 0.4 with DLH (0.4 + 0 + 0.3)/3; 7 Oct 4.05/7
    assert kpi.trend["value"].tolist() == pytest.approx([15, 70 / 3, 4.05 / 7 * 100])


def test_kpi_board_for_one_agency(store):
    board = views.kpi_board(store, Filters(agency="DISKOMINFO"), "en")
    kpi = next(k for k in board.kpis if k.id == "achievement")
    assert (board.scope_type, board.scope_key) == ("agency", "DISKOMINFO")
    assert kpi.value == pytest.approx(50) and kpi.name == "Action-plan achievement"
    assert list(kpi.by_agency["agency_code"]) == ["DISKOMINFO"]


def test_kpi_board_for_one_pillar_leaves_out_other_pillars_kpis(store):
    board = views.kpi_board(store, Filters(pillar="collaboration"))
    ids = [k.id for k in board.kpis]
    assert "collaboration_started" in ids and "integration_achievement" not in ids
    assert next(k for k in board.kpis if k.id == "achievement").value == pytest.approx(87.5)
    # a pillar KPI at its own pillar: both collaboration actions are under way (on track, done)
    assert next(k for k in board.kpis if k.id == "collaboration_started").value == pytest.approx(100)


def test_kpis_are_computed_when_the_date_has_none_stored(own_store):
    own_store.query_df("DELETE FROM kpi_values")
    kpi = next(k for k in views.kpi_board(own_store, ALL).kpis if k.id == "achievement")
    assert kpi.value == pytest.approx(4.05 / 7 * 100)


# -- uploads ------------------------------------------------------------------------------------

HEADER = "Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Pagu Anggaran;Realisasi Anggaran;Tanggal Mulai;Tanggal Selesai"


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode("utf-8")


GOOD = _csv("K-01;Integrasi;Diskominfo;Satu Data;100;40;Rp 1.000.000;Rp 500.000;01/01/2024;31/12/2024",
            "K-02;Kolaborasi;Dinkes;Posyandu;10;5;;;01/01/2024;31/12/2024")
ONE_BAD = _csv("K-01;Integrasi;Diskominfo;Satu Data;100;40;;;01/01/2024;31/12/2024",
               "K-02;Integrasi;Diskominfo;Tanpa target;banyak;5;;;01/01/2024;31/12/2024")


def test_load_uploads_reports_each_file(empty):
    good, bad = uploads.load_uploads(empty, [("a.csv", GOOD), ("b.csv", ONE_BAD)], date(2024, 10, 7), SYSTEM_ACTOR)
    assert (good.file_name, good.status, good.rows_loaded, good.rows_rejected) == ("a.csv", "loaded", 2, 0)
    assert good.problems.empty and good.rejected.empty
    assert (bad.status, bad.rows_loaded, bad.rows_rejected) == ("loaded", 1, 1)
    row_problems = bad.problems[bad.problems["level"] == "row"]
    assert list(row_problems["row"]) == [3]                                   # the header is row 1
    assert row_problems["file"].iloc[0] == "b.csv" and row_problems["column"].iloc[0] == "Target"
    assert list(bad.rejected["row"]) == [3] and "Target: banyak" in bad.rejected["cells"].iloc[0]
    assert views.dates_with_data(empty) == [date(2024, 10, 7)]


def test_the_same_file_again_is_reported_as_a_duplicate(empty):
    uploads.load_uploads(empty, [("a.csv", GOOD)], date(2024, 10, 7), SYSTEM_ACTOR)
    (again,) = uploads.load_uploads(empty, [("a2.csv", GOOD)], date(2024, 10, 14), SYSTEM_ACTOR)
    assert again.status == "duplicate" and "sudah pernah diunggah" in again.problems["message_id"].iloc[0]


def test_a_failing_file_is_reported_and_the_others_still_load(empty, monkeypatch):
    viewer = Actor("tamu", "viewer")
    (denied,) = uploads.load_uploads(empty, [("a.csv", GOOD)], date(2024, 10, 7), viewer)
    assert denied.status == "error" and "tamu" in denied.problems["message_id"].iloc[0]

    import smartcity.pipeline as pipeline

    real = pipeline.load_file

    def broken(store, content, name, *args, **kwargs):
        if name == "x.csv":
            raise RuntimeError("bug")
        return real(store, content, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "load_file", broken)
    first, second = uploads.load_uploads(empty, [("x.csv", b"?"), ("a.csv", GOOD)], date(2024, 10, 7), SYSTEM_ACTOR)
    assert first.status == "error" and "RuntimeError: bug" in first.problems["message_en"].iloc[0]
    assert second.status == "loaded"


def test_upload_history_latest_first_with_problem_counts(empty):
    uploads.load_uploads(empty, [("a.csv", GOOD), ("b.csv", ONE_BAD)], date(2024, 10, 7), SYSTEM_ACTOR)
    history = uploads.upload_history(empty)
    assert list(history["file_name"]) == ["b.csv", "a.csv"]
    assert list(history["problems"]) == [1, 0]
    upload_id = int(history["id"].iloc[0])
    assert list(uploads.upload_problems(empty, upload_id)["row"]) == [3]
    assert list(uploads.rejected_rows(empty, upload_id)["row"]) == [3]
