"""The Pengaturan page (admin) under AppTest: the KPI definitions in words and the agency registry,
each with its forms, on the hand-worked plan of tests/ui_fixtures.py with its accounts.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcity.i18n import t
from smartcity.store import open_store
from tests.ui_fixtures import add_accounts, plan_db, signed_in

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def accounts_path(tmp_path_factory) -> Path:
    return add_accounts(plan_db(tmp_path_factory.mktemp("settings") / "plan.duckdb"))


@pytest.fixture
def plan(accounts_path, tmp_path, monkeypatch) -> Path:
    """A private copy of the plan with accounts (the tests here write)."""
    path = tmp_path / "plan.duckdb"
    shutil.copyfile(accounts_path, path)
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def page(user: str = "admin") -> AppTest:
    return signed_in(AppTest.from_file(str(ROOT / "pages" / "pengaturan.py"), default_timeout=60), user)


def submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def said(elements) -> list[str]:
    """The texts of messages, Markdown escapes removed."""
    return [e.value.replace("\\", "") for e in elements]


def kpi_table(at: AppTest):
    return next(d.value for d in at.dataframe if "formula" in d.value.columns).set_index("name")


def agency_table(at: AppTest):
    return next(d.value for d in at.dataframe if "short_name" in d.value.columns).set_index("code")


def test_the_admin_sees_every_kpi_definition_in_words_and_the_registry(plan):
    at = page().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Pengaturan"
    kpis = kpi_table(at)
    assert kpis.loc["Capaian rencana aksi", "formula"] == "rata-rata capaian, maksimal 100% per aksi, dinyatakan dalam persen"
    assert kpis.loc["Capaian rencana aksi", "thresholds"] == "Hijau bila ≥ 91%, kuning bila ≥ 76%, selain itu merah"
    assert kpis.loc["Capaian rencana aksi", "target"] == "90%"
    assert agency_table(at).loc["DINKES", "short_name"] == "Dinkes"


def test_the_admin_changes_a_kpis_target_and_thresholds(plan):
    at = page().run()
    at.selectbox(key="set_kpi_pick").set_value("achievement").run()
    at.number_input(key="set_kpi_target_achievement").set_value(60.0)
    at.number_input(key="set_kpi_green_achievement").set_value(55.0)
    at.number_input(key="set_kpi_amber_achievement").set_value(40.0)
    submit(at, "set_kpi_achievement", "Simpan KPI")
    assert not at.exception, at.exception
    assert said(at.success) == ["KPI achievement disimpan dan dihitung ulang."]
    row = kpi_table(at).loc["Capaian rencana aksi"]
    assert (row["target"], row["thresholds"], row["changed"]) == (
        "60%", "Hijau bila ≥ 55%, kuning bila ≥ 40%, selain itu merah", "ya")
    with open_store(plan) as store:                    # the app's connection is still open: the same configuration
        assert store.query_one("SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1") == ("admin", "kpi_change")
        assert store.query_one("SELECT DISTINCT status FROM kpi_values WHERE kpi_id = 'achievement' "
                               "AND scope_type = 'all' AND as_of = DATE '2024-10-07'")[0] == "green"   # 57,9 >= 55


def test_thresholds_out_of_order_are_refused_with_the_reason(plan):
    at = page().run()
    at.number_input(key="set_kpi_green_achievement").set_value(50.0)
    at.number_input(key="set_kpi_amber_achievement").set_value(60.0)
    submit(at, "set_kpi_achievement", "Simpan KPI")
    assert said(at.error) == [t("set.kpi_order_higher", kpi="achievement")]
    assert kpi_table(at).loc["Capaian rencana aksi", "changed"] == "tidak (sesuai berkas)"


def test_the_admin_adds_an_agency(plan):
    at = page().run()
    at.text_input(key="set_ag_add_code").input("ulp")
    at.text_input(key="set_ag_add_name").input("Unit Layanan Pengadaan")
    at.text_input(key="set_ag_add_short").input("ULP")
    at.text_area(key="set_ag_add_aliases").input("ULP Kotim\nLayanan Pengadaan")
    submit(at, "set_agency_add", "Tambah OPD")
    assert not at.exception, at.exception
    assert said(at.success) == ["OPD ULP ditambahkan."]
    added = agency_table(at).loc["ULP"]
    assert (added["name"], added["aliases"]) == ("Unit Layanan Pengadaan", "ULP Kotim, Layanan Pengadaan")


def test_the_admin_edits_an_agencys_short_name(plan):
    at = page().run()
    at.selectbox(key="set_ag_pick").set_value("DINKES").run()
    at.text_input(key="set_ag_short_DINKES").input("Dinas Kesehatan")
    submit(at, "set_agency_edit_DINKES", "Simpan OPD")
    assert said(at.success) == ["OPD DINKES disimpan."]
    assert agency_table(at).loc["DINKES", "short_name"] == "Dinas Kesehatan"


def test_a_taken_name_is_refused_on_the_page(plan):
    at = page().run()
    at.text_input(key="set_ag_add_code").input("ULP")
    at.text_input(key="set_ag_add_name").input("Diskominfo")
    submit(at, "set_agency_add", "Tambah OPD")
    assert said(at.error) == ["'Diskominfo' sudah menjadi nama Dinas Komunikasi dan Informatika."]


def test_the_page_in_english(plan):
    at = page()
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Settings"
    assert "Green when ≥ 91%, amber when ≥ 76%, otherwise red" in set(kpi_table(at)["thresholds"])


@pytest.mark.parametrize("user", ["dinkes", "viewer"])
def test_editors_and_viewers_cannot_open_the_settings(plan, user):
    at = page(user).run()
    assert not at.exception
    role = t(f"role.{'editor' if user == 'dinkes' else 'viewer'}")
    assert [e.value for e in at.error] == [t("auth.refused", role=role)]
    assert not at.dataframe and not at.number_input and not at.text_input
