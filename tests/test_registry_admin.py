"""Admins change KPI definitions and the agency registry in the app (smartcity.registry_admin).

The plan is tests/ui_fixtures.py on 7 Oct 2024: overall achievement 57,9% (4,05 / 7 actions).
kpi_definitions.yaml gives `achievement` target 90, green from 91, amber from 76, so 57,9% is red.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from smartcity import registry_admin
from smartcity.auth import Actor
from smartcity.errors import InvalidKpiDefinitions
from smartcity.kpi import load_kpis
from smartcity.registry_admin import SettingsError, add_agency, edit_agency, set_kpi_definition
from smartcity.store import open_store
from tests.ui_fixtures import D, plan_db

ADMIN = Actor("admin", "admin")


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    return plan_db(tmp_path_factory.mktemp("registry") / "plan.duckdb")


@pytest.fixture
def store(plan_path, tmp_path):
    """A private copy of the plan (built once per module: building it takes seconds)."""
    path = tmp_path / "plan.duckdb"
    shutil.copyfile(plan_path, path)
    s = open_store(path)
    yield s
    s.close()


def overall(store, kpi_id: str) -> tuple:
    """(value, target, status) of a KPI over the whole plan on D, as stored."""
    return store.query_one("SELECT round(value, 1), target, status FROM kpi_values "
                           "WHERE kpi_id = ? AND scope_type = 'all' AND as_of = ?", [kpi_id, D])


def audit(store, action: str) -> list[tuple]:
    rows = store.query_df("SELECT actor, entity_key, before, after FROM audit_log WHERE action = ? ORDER BY id",
                          [action])
    return [(a, k, None if not isinstance(b, str) else json.loads(b), json.loads(c))
            for a, k, b, c in rows.itertuples(index=False)]


def refused_key(call) -> str:
    with pytest.raises(SettingsError) as refused:
        call()
    assert refused.value.message("id") and refused.value.message("en")
    return refused.value.key


# -- KPI definitions ----------------------------------------------------------------------------

def test_new_thresholds_and_target_are_recomputed_at_once(store):
    assert overall(store, "achievement") == (57.9, 90.0, "red")
    set_kpi_definition(store, ADMIN, "achievement", target=60, green=55, amber=40)
    assert overall(store, "achievement") == (57.9, 60.0, "green")          # 57,9 >= 55


def test_the_next_upload_keeps_the_admins_target(store):
    # An upload recomputes every KPI: with the target and thresholds in force, not the file's.
    from smartcity.pipeline import load_file

    set_kpi_definition(store, ADMIN, "achievement", target=60, green=55, amber=40)
    sheet = ("Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Tanggal Mulai;Tanggal Selesai\n"
             "C-01;Kolaborasi;Dinkes;Kemitraan posyandu digital;4;4;01/01/2024;31/12/2024\n").encode()
    assert load_file(store, sheet, "dinkes.csv", D, ADMIN).status == "loaded"
    assert overall(store, "achievement") == (57.9, 60.0, "green")          # same value, the admin's target


def test_load_kpis_lays_the_change_over_the_file_only_when_given_the_store(store):
    set_kpi_definition(store, ADMIN, "achievement", target=60, public=False, name_en="Plan achievement")
    from_file = {k.id: k for k in load_kpis()}["achievement"]
    in_force = {k.id: k for k in load_kpis(store=store)}["achievement"]
    assert (from_file.target, from_file.public, from_file.name.en) == (90, True, "Action-plan achievement")
    assert (in_force.target, in_force.public, in_force.name.en) == (60, False, "Plan achievement")
    assert in_force.formula == from_file.formula and in_force.name.id == "Capaian rencana aksi"


def test_a_kpi_change_is_audited_with_the_changed_fields_before_and_after(store):
    set_kpi_definition(store, ADMIN, "achievement", target=60, green=55, amber=40)
    assert audit(store, "kpi_change") == [
        ("admin", "achievement", {"target": 90.0, "green": 91.0, "amber": 76.0},
         {"target": 60.0, "green": 55.0, "amber": 40.0})]


def test_only_the_differences_from_the_file_are_kept(store):
    set_kpi_definition(store, ADMIN, "achievement", target=60)
    assert registry_admin.kpi_overrides(store) == {"achievement": {"target": 60.0}}
    set_kpi_definition(store, ADMIN, "achievement", target=90)              # the file's own value again
    assert registry_admin.kpi_overrides(store) == {}
    assert [(b, a) for _, _, b, a in audit(store, "kpi_change")] == [
        ({"target": 90.0}, {"target": 60.0}), ({"target": 60.0}, {"target": 90.0})]


def test_saving_what_is_already_there_writes_nothing(store):
    version = store.data_version()
    set_kpi_definition(store, ADMIN, "achievement", target=90, green=91, amber=76, public=True)
    assert audit(store, "kpi_change") == [] and store.data_version() == version


def test_a_target_or_thresholds_can_be_removed(store):
    kpi = set_kpi_definition(store, ADMIN, "achievement", target=None, green=None, amber=None)
    assert kpi.target is None and kpi.thresholds is None
    assert overall(store, "achievement") == (57.9, None, "none")


def test_the_formula_unit_and_direction_stay_in_the_file(store):
    assert refused_key(lambda: set_kpi_definition(store, ADMIN, "achievement", direction="lower")) == "set.kpi_field_fixed"
    assert refused_key(lambda: set_kpi_definition(store, ADMIN, "achievement", formula={})) == "set.kpi_field_fixed"


@pytest.mark.parametrize("kpi_id, changes, key", [
    ("achievement", {"green": 50, "amber": 60}, "set.kpi_order_higher"),   # higher is better: green >= amber
    ("late_share", {"green": 20, "amber": 10}, "set.kpi_order_lower"),     # lower is better: green <= amber
    ("achievement", {"green": None}, "set.kpi_thresholds_both"),
    ("achievement", {"target": "sembilan puluh"}, "set.kpi_not_number"),
    ("achievement", {"target": float("nan")}, "set.kpi_not_number"),
    ("achievement", {"name_id": "   "}, "set.name_empty"),
    ("tidak_ada", {"target": 1}, "set.kpi_unknown"),
])
def test_a_change_that_does_not_fit_is_refused_and_writes_nothing(store, kpi_id, changes, key):
    assert refused_key(lambda: set_kpi_definition(store, ADMIN, kpi_id, **changes)) == key
    assert registry_admin.kpi_overrides(store) == {} and audit(store, "kpi_change") == []


def test_a_stored_change_the_file_no_longer_allows_is_named(store):
    with store.transaction() as cur:           # e.g. the file's direction changed after an admin's thresholds
        cur.execute("INSERT INTO kpi_overrides VALUES ('achievement', '{\"green\": 10, \"amber\": 20}', 'admin', now())")
    with pytest.raises(InvalidKpiDefinitions, match="achievement"):
        load_kpis(store=store)


def test_the_definitions_in_words(store):
    set_kpi_definition(store, ADMIN, "late_share", green=4)
    rows = registry_admin.kpi_definitions(store, "id").set_index("kpi_id")
    assert rows.loc["achievement", "formula"] == "rata-rata capaian, maksimal 100% per aksi, dinyatakan dalam persen"
    assert rows.loc["achievement", "thresholds"] == "Hijau bila ≥ 91%, kuning bila ≥ 76%, selain itu merah"
    assert rows.loc["late_share", "thresholds"] == "Hijau bila ≤ 4%, kuning bila ≤ 15%, selain itu merah"
    assert rows.loc["late_or_at_risk", "thresholds"] == "Tanpa ambang warna"
    assert (rows.loc["achievement", "target"], rows.loc["achievement", "public"]) == ("90%", "ya")
    assert (rows.loc["late_share", "changed"], rows.loc["achievement", "changed"]) == ("ya", "tidak (sesuai berkas)")
    english = registry_admin.kpi_definitions(store, "en").set_index("kpi_id")
    assert english.loc["achievement", "direction"] == "Higher is better"


# -- the agency registry ------------------------------------------------------------------------

def test_an_added_agency_is_known_by_its_names_and_audited(store):
    add_agency(store, ADMIN, "ulp", "Unit Layanan Pengadaan", "ULP", "ULP Kotim\nLayanan Pengadaan")
    registry = store.registry()
    assert registry.short("ULP") == "ULP"
    assert registry.resolve("Layanan Pengadaan") == "ULP" and registry.resolve("ulp kotim") == "ULP"
    assert audit(store, "agency_add") == [("admin", "ULP", None, {
        "name": "Unit Layanan Pengadaan", "short_name": "ULP", "aliases": ["ULP Kotim", "Layanan Pengadaan"]})]


def test_the_short_name_defaults_to_the_name(store):
    assert add_agency(store, ADMIN, "ULP", "Unit Layanan Pengadaan").short == "Unit Layanan Pengadaan"


def test_an_edit_changes_the_names_shown_and_is_audited_with_before_and_after(store):
    edit_agency(store, ADMIN, "DINKES", short_name="Dinas Kesehatan", aliases=["Dinkes Kotim", "Kesehatan"])
    shown = store.query_df("SELECT DISTINCT agency_short FROM action_state(?::DATE) WHERE agency_code = 'DINKES'", [D])
    assert list(shown["agency_short"]) == ["Dinas Kesehatan"]
    [(who, key, before, after)] = audit(store, "agency_change")
    assert (who, key) == ("admin", "DINKES")
    assert after == {"short_name": "Dinas Kesehatan", "aliases": ["Dinkes Kotim", "Kesehatan"]}
    assert before["short_name"] == "Dinkes" and set(before) == {"short_name", "aliases"}   # the name did not change
    listed = registry_admin.agency_list(store).set_index("code")
    assert listed.loc["DINKES", "aliases"] == "Dinkes Kotim, Kesehatan" and listed.loc["DINKES", "edited"]
    assert not listed.loc["DLH", "edited"]


def test_an_edit_that_changes_nothing_writes_nothing(store):
    current = store.registry().agencies["DLH"]
    edit_agency(store, ADMIN, "DLH", name=current.name, short_name=current.short, aliases=list(current.aliases))
    assert audit(store, "agency_change") == []


@pytest.mark.parametrize("call, key", [
    (lambda s: add_agency(s, ADMIN, "DINKES", "Dinas Baru"), "set.agency_exists"),
    (lambda s: add_agency(s, ADMIN, "dinas baru!", "Dinas Baru"), "set.agency_bad_code"),
    (lambda s: add_agency(s, ADMIN, "ULP", ""), "set.name_empty"),
    (lambda s: add_agency(s, ADMIN, "ULP", "Unit Layanan Pengadaan", aliases=["Diskominfo"]), "set.agency_spelling_taken"),
    (lambda s: edit_agency(s, ADMIN, "DLH", short_name="Dinkes"), "set.agency_spelling_taken"),
    (lambda s: edit_agency(s, ADMIN, "TIDAKADA", name="Apa saja"), "set.agency_unknown"),
])
def test_an_agency_change_that_does_not_fit_is_refused(store, call, key):
    assert refused_key(lambda: call(store)) == key
    assert audit(store, "agency_add") == [] and audit(store, "agency_change") == []


def test_the_admins_agencies_outlive_a_restart(tmp_db):
    # Opening the store loads data/agencies.yaml again (its name for DINKES is "Dinas Kesehatan");
    # the admin's edit and the added agency must still win after that.
    store = open_store(tmp_db)
    edit_agency(store, ADMIN, "DINKES", name="Dinas Kesehatan Kotawaringin Timur")
    add_agency(store, ADMIN, "ULP", "Unit Layanan Pengadaan")
    store.close()
    store = open_store(tmp_db)
    assert store.registry().name("DINKES") == "Dinas Kesehatan Kotawaringin Timur"
    assert store.registry().name("ULP") == "Unit Layanan Pengadaan"
    assert store.registry().name("DISKOMINFO") == "Dinas Komunikasi dan Informatika"
    store.close()


def test_a_change_to_the_registry_file_shows_after_a_restart_and_an_admin_edit_still_wins(tmp_db, tmp_path,
                                                                                        monkeypatch):
    # The store loads data/agencies.yaml on every open and writes only when the file (or an edit)
    # says something the table does not hold yet: a renamed agency and a new alias must still arrive.
    import smartcity.store as store_module

    store = open_store(tmp_db)
    edit_agency(store, ADMIN, "DINKES", name="Dinas Kesehatan Kotawaringin Timur")
    store.close()
    text = store_module.AGENCY_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "agencies.yaml"
    changed.write_text(text.replace("name: Dinas Lingkungan Hidup", "name: Dinas Lingkungan Hidup dan Kebersihan")
                       .replace("aliases: [Lingkungan Hidup, Dinas LH]", "aliases: [Lingkungan Hidup, Dinas LH, DLHK]")
                       .replace("name: Dinas Kesehatan\n", "name: Dinas Kesehatan Daerah\n"), encoding="utf-8")
    monkeypatch.setattr(store_module, "AGENCY_FILE", changed)
    store = open_store(tmp_db)
    registry = store.registry()
    assert registry.name("DLH") == "Dinas Lingkungan Hidup dan Kebersihan"
    assert registry.resolve("DLHK") == "DLH"
    assert registry.name("DINKES") == "Dinas Kesehatan Kotawaringin Timur"   # the admin's edit, not the file
    store.close()
