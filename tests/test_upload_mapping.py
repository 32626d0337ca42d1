"""What the upload preview asks the user before loading (issue 3, points 7 and 8): the columns of a
file whose headers we do not recognise, and the pillar of Renja programmes whose rows wait for one.

The two fixtures, worked out by hand:
- tests.test_column_profiles.initiatives(): header in row 3, "Nomor Aksi | Nama Inisiatif |
  Instansi Pelaksana | Sasaran Angka 2024 | Capaian Angka | Dana (Rp) | Pilar". We recognise the
  agency, the actual and the pillar, not the code, activity or target: the file is rejected whole.
  Mapped, it loads IN-01 (Dinkes, Integrasi) and IN-02 (Diskominfo, Kolaborasi): 2 rows.
- tests.renja_fixture.e81_xlsx(): Diskominfo's E.81 form, five actions and no pillar. Programme
  2.16.03 holds rows 12, 13, 14 and 16 (4 actions), programme 2.16.02 row 19 (1 action).
"""
from __future__ import annotations

import os
import re
from datetime import date

import pytest
from tests.renja_fixture import e81_xlsx
from tests.spreadsheets import action, template_rows, xlsx
from tests.test_column_profiles import MAPPING, initiatives
from tests.test_uploads_preview import _page

from smartcity import uploads
from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.errors import PermissionDenied
from smartcity.mappings import MappingError, column_profiles, pillar_assignments, save_profile
from smartcity.store import open_store

W3 = date(2024, 10, 10)
DISKOMINFO_EDITOR = Actor("diskominfo", "editor", frozenset({"DISKOMINFO"}))


def preview(store, content: bytes, name: str, actor: Actor = SYSTEM_ACTOR) -> uploads.FilePreview:
    (p,) = uploads.preview_uploads(store, [(name, content)], W3, actor)
    return p


def by_pillar_agency(p) -> dict:
    return {(r.agency_code, r.pillar): r.actions for r in p.by_pillar_agency.itertuples()}


# -- column mapping: the read model ---------------------------------------------------------------

def test_unrecognised_headers_give_a_mapping_step_with_suggestions_and_sample_values(store):
    p = preview(store, initiatives(), "inisiatif.xlsx")
    assert (p.status, p.rows_loaded, p.rows_rejected) == ("rejected", 0, 0)
    [sheet] = p.column_mapping
    assert (sheet.sheet, sheet.header_row, sheet.profile_name) == ("Inisiatif", 3, "Format inisiatif")
    assert list(sheet.samples) == ["Nomor Aksi", "Nama Inisiatif", "Instansi Pelaksana", "Sasaran Angka 2024",
                                   "Capaian Angka", "Dana (Rp)", "Pilar"]
    assert sheet.samples["Nomor Aksi"] == ["IN-01", "IN-02"]
    # Required first (code, activity, target: none recognised), then the rest in the template's order.
    assert [(f.name, f.required, f.suggested) for f in sheet.fields[:4]] == [
        ("code", True, None), ("activity", True, None), ("target", True, None), ("pillar", False, "Pilar")]
    suggested = {f.name: f.suggested for f in sheet.fields if f.suggested}
    assert suggested == {"pillar": "Pilar", "agency": "Instansi Pelaksana", "actual": "Capaian Angka"}
    assert sheet.fields[-1].name == "target_q4" and sheet.fields[-1].label_id == "Target TW IV"


def test_a_file_we_read_by_ourselves_offers_no_mapping(store):
    from tests.test_pipeline import WEEK1

    assert preview(store, WEEK1, "minggu1.csv").column_mapping == []


def test_a_mapping_needs_the_required_fields_and_each_column_once(store):
    [sheet] = preview(store, initiatives(), "inisiatif.xlsx").column_mapping
    problems = uploads.mapping_problems(sheet, {"code": "Nomor Aksi", "activity": None, "target": None})
    assert [p.message("id") for p in problems] == ["Pilih kolom berkas untuk: Kegiatan, Target."]
    # Quarterly targets stand in for the year's target; one column for two fields is refused.
    problems = uploads.mapping_problems(sheet, {"code": "Nomor Aksi", "activity": "Nomor Aksi",
                                                "target_q1": "Sasaran Angka 2024"})
    assert [p.message("en") for p in problems] == [
        "Column “Nomor Aksi” is chosen for more than one field: Code, Activity."]
    assert uploads.mapping_problems(sheet, MAPPING) == []
    with pytest.raises(MappingError):
        uploads.save_column_profile(store, SYSTEM_ACTOR, sheet, "P", {"code": "Nomor Aksi"})
    assert column_profiles(store) == []


def test_once_the_profile_is_saved_the_preview_loads_the_rows(store):
    [sheet] = preview(store, initiatives(), "inisiatif.xlsx").column_mapping
    uploads.save_column_profile(store, DISKOMINFO_EDITOR, sheet, "Format Inisiatif", {**MAPPING, "unit": None})
    assert [(p.name, p.mapping, p.created_by) for p in column_profiles(store)] == [
        ("Format Inisiatif", MAPPING, "diskominfo")]
    p = preview(store, initiatives(), "inisiatif.xlsx")
    assert (p.status, p.rows_loaded, p.rows_rejected, p.column_mapping) == ("preview", 2, 0, [])
    assert by_pillar_agency(p) == {("DINKES", "integration"): 1, ("DISKOMINFO", "collaboration"): 1}


def test_a_saved_profile_that_still_misses_a_column_is_offered_again_filled_in(store):
    [sheet] = preview(store, initiatives(), "inisiatif.xlsx").column_mapping
    # Saved straight through mappings (no check): the target is forgotten.
    save_profile(store, SYSTEM_ACTOR, "Format Lama", {"code": "Nomor Aksi", "activity": "Nama Inisiatif",
                                                       "actual": "Sasaran Angka 2024"}, sheet.signature)
    p = preview(store, initiatives(), "inisiatif.xlsx")
    assert p.status == "rejected"
    assert p.problems["message_id"][0].startswith("Tabel tidak memiliki kolom wajib: Target.")
    [again] = p.column_mapping
    suggested = {f.name: f.suggested for f in again.fields if f.suggested}
    # The profile's choices win over ours: "Sasaran Angka 2024" is the actual, so "Capaian Angka" is not.
    assert suggested == {"code": "Nomor Aksi", "activity": "Nama Inisiatif", "actual": "Sasaran Angka 2024",
                         "agency": "Instansi Pelaksana", "pillar": "Pilar"}
    assert again.profile_name == "Format Lama"


# -- pillars of Renja programmes: the read model --------------------------------------------------

def test_rows_without_a_pillar_are_grouped_by_their_programme_code(store):
    p = preview(store, e81_xlsx(), "e81.xlsx")
    assert (p.status, p.rows_loaded, p.rows_rejected) == ("preview", 0, 5)
    got = [(w.code_prefix, w.program, [row for _, row in w.rows]) for w in p.waiting_for_pillar]
    assert got == [("2.16.03", "PROGRAM PENGELOLAAN APLIKASI INFORMATIKA", [12, 13, 14, 16]),
                   ("2.16.02", "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK", [19])]


@pytest.mark.parametrize("code, program, expected", [
    ("2.16.03.2.02.0027", "PROGRAM X", "2.16.03"),          # urusan.bidang.program.kegiatan.sub-kegiatan
    ("2.16.03.2.02.0027-2", None, "2.16.03"),               # an action's second indicator
    ("2.16.03.2.02", None, "2.16.03"),                      # an older form: the kegiatan is the action
    ("K-01", "1.02.01 Program Pelayanan", "1.02.01"),       # the code written before the programme's name
    ("1.1.1", "Program Tanpa Kode", "1.1.1"),               # not the nomenclature: the action's own code
    (None, None, None),
])
def test_the_programme_code_of_an_action(code, program, expected):
    assert uploads.program_code(code, program) == expected


def test_after_assigning_the_programmes_the_preview_loads_every_row(store):
    done = uploads.assign_program_pillars(store, SYSTEM_ACTOR, {"2.16.03": "integration", "2.16.02": "collaboration"})
    assert done == 2 and pillar_assignments(store) == {"2.16.03": "integration", "2.16.02": "collaboration"}
    p = preview(store, e81_xlsx(), "e81.xlsx")
    assert (p.rows_loaded, p.rows_rejected, p.waiting_for_pillar) == (5, 0, [])
    assert by_pillar_agency(p) == {("DISKOMINFO", "integration"): 4, ("DISKOMINFO", "collaboration"): 1}


def test_only_an_admin_assigns_pillars_and_a_programme_left_open_keeps_waiting(store):
    assert uploads.may_assign_pillars(SYSTEM_ACTOR) and not uploads.may_assign_pillars(DISKOMINFO_EDITOR)
    with pytest.raises(PermissionDenied):
        uploads.assign_program_pillars(store, DISKOMINFO_EDITOR, {"2.16.03": "integration"})
    assert uploads.assign_program_pillars(store, SYSTEM_ACTOR, {"2.16.03": "integration", "2.16.02": None}) == 1
    p = preview(store, e81_xlsx(), "e81.xlsx", DISKOMINFO_EDITOR)
    assert (p.rows_loaded, p.rows_rejected) == (4, 1)
    assert [w.code_prefix for w in p.waiting_for_pillar] == ["2.16.02"]



def programmes_without_codes(programmes: int, actions_each: int) -> bytes:
    """A file whose programmes are written without a code and whose actions name no pillar."""
    actions = [action(f"SC-{p:02d}{i:02d}", pillar="", program=f"Program Nomor {p}")
               for p in range(programmes) for i in range(actions_each)]
    return xlsx(template_rows(actions))


def test_a_programme_written_without_a_code_is_asked_about_once_for_all_its_actions(store):
    p = preview(store, programmes_without_codes(2, 3), "tanpa-kode.xlsx")
    assert (p.rows_loaded, p.rows_rejected) == (0, 6)
    got = [(w.program, w.prefixes, [row for _, row in w.rows]) for w in p.waiting_for_pillar]
    assert got == [("Program Nomor 0", ["SC-0000", "SC-0001", "SC-0002"], [2, 3, 4]),
                   ("Program Nomor 1", ["SC-0100", "SC-0101", "SC-0102"], [5, 6, 7])]
    # The one choice is saved for the codes of the programme's actions: they load, the other waits.
    [first, _second] = p.waiting_for_pillar
    assert uploads.assign_program_pillars(store, SYSTEM_ACTOR, dict.fromkeys(first.prefixes, "kolaborasi")) == 3
    again = preview(store, programmes_without_codes(2, 3), "tanpa-kode.xlsx")
    assert (again.rows_loaded, again.rows_rejected) == (3, 3)
    assert [w.program for w in again.waiting_for_pillar] == ["Program Nomor 1"]


# -- the page (AppTest: the preview is placed in session_state, as the file uploader would leave it) --

@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A database with only the test accounts (admin, editors of Dinkes and Diskominfo, a viewer)."""
    from tests.ui_fixtures import add_accounts

    path = add_accounts(tmp_path / "app.duckdb")
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    return path


def _with_preview(at, name: str, content: bytes, as_of=W3):
    from ui.upload import AS_OF_KEY, FILES_KEY, PREVIEW_KEY

    s = open_store(os.environ["SMARTCITY_DB"])
    try:
        at.session_state[PREVIEW_KEY] = uploads.preview_uploads(s, [(name, content)], as_of, SYSTEM_ACTOR)
    finally:
        s.close()
    at.session_state[FILES_KEY] = [(name, content)]
    at.session_state[AS_OF_KEY] = as_of
    return at


def plain(markdown: str) -> str:
    """Markdown escaped by ui.common.md_escape, as the user reads it."""
    return re.sub(r"\\(.)", r"\1", markdown)


def captions(at) -> list[str]:
    return [plain(c.value) for c in at.caption]


def test_the_page_maps_unrecognised_columns_saves_the_profile_and_loads_the_rows(app_db):
    at = _with_preview(_page(), "inisiatif.xlsx", initiatives()).run()
    assert not at.exception, at.exception
    assert "**Petakan kolom berkas**" in [m.value for m in at.markdown]
    code = at.selectbox(key="preview_0_cm_0_code")
    assert code.label == "Kode (wajib)" and code.value == ""                # nothing recognised: none chosen
    assert at.selectbox(key="preview_0_cm_0_agency").value == "Instansi Pelaksana"     # suggested
    assert "Contoh isi: Dinkes, Diskominfo" in captions(at)                 # the suggested column's values
    assert plain(at.warning[0].value) == "Pilih kolom berkas untuk: Kode, Kegiatan, Target."
    assert at.button(key="preview_0_cm_save").disabled

    code.set_value("Nomor Aksi").run()
    assert "Contoh isi: IN-01, IN-02" in captions(at)
    at.selectbox(key="preview_0_cm_0_activity").set_value("Nama Inisiatif")
    at.selectbox(key="preview_0_cm_0_target").set_value("Sasaran Angka 2024")
    at.selectbox(key="preview_0_cm_0_budget").set_value("Dana (Rp)").run()
    assert not at.warning and at.text_input(key="preview_0_cm_0_name").value == "Format inisiatif"
    at.text_input(key="preview_0_cm_0_name").set_value("Format Inisiatif Dinkes")
    at.button(key="preview_0_cm_save").click().run()
    assert not at.exception, at.exception

    assert "2 baris akan dimuat · 0 baris ditolak" in captions(at)
    assert "preview_0_cm_save" not in [b.key for b in at.button]          # the profile applied by itself
    by = [df.value for df in at.dataframe if "actions" in df.value.columns][0]
    assert sorted(zip(by["agency_short"], by["pillar"], by["actions"])) == [
        ("Dinkes", "Integrasi", 1), ("Diskominfo", "Kolaborasi", 1)]
    s = open_store(os.environ["SMARTCITY_DB"])
    try:
        # The suggestions the user kept are part of the profile.
        suggested = {"agency": "Instansi Pelaksana", "actual": "Capaian Angka", "pillar": "Pilar"}
        assert [(p.name, p.mapping, p.created_by) for p in column_profiles(s)] == [
            ("Format Inisiatif Dinkes", {**MAPPING, **suggested}, "admin")]
    finally:
        s.close()
    at.button(key="up_confirm").click().run()
    assert "2 baris dimuat · 0 baris ditolak" in captions(at)


def test_the_page_refuses_one_column_for_two_fields(app_db):
    at = _with_preview(_page("dinkes"), "inisiatif.xlsx", initiatives()).run()
    for name, header in (("code", "Nomor Aksi"), ("activity", "Nomor Aksi"), ("target", "Sasaran Angka 2024")):
        at.selectbox(key=f"preview_0_cm_0_{name}").set_value(header)
    at.run()
    assert [plain(w.value) for w in at.warning] == [
        "Kolom “Nomor Aksi” dipilih untuk lebih dari satu isian: Kode, Kegiatan."]
    assert at.button(key="preview_0_cm_save").disabled


def test_an_admin_assigns_the_renja_programmes_a_pillar_and_the_rows_load(app_db):
    at = _with_preview(_page(), "e81_tw3.xlsx", e81_xlsx()).run()
    assert not at.exception, at.exception
    assert "0 baris akan dimuat · 5 baris ditolak" in captions(at)
    assert "5 baris menunggu pilar karena berkas tidak menyebutnya. Pilih pilar untuk setiap kode program; " \
           "pilihan diingat untuk berkas berikutnya." in captions(at)
    first, second = [box for box in at.selectbox if box.key.startswith("preview_0_pillar_")]   # keyed per programme
    assert plain(first.label) == "2.16.03 · PROGRAM PENGELOLAAN APLIKASI INFORMATIKA (4 baris)"
    assert plain(second.label) == "2.16.02 · PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK (1 baris)"
    assert first.value is None and at.button(key="preview_0_pillar_save").disabled
    assert first.options == ["Integrasi", "Kolaborasi", "Keberlanjutan"]

    first.set_value("integration")
    second.set_value("collaboration").run()
    at.button(key="preview_0_pillar_save").click().run()
    assert not at.exception, at.exception
    assert "5 baris akan dimuat · 0 baris ditolak" in captions(at)
    assert "preview_0_pillar_save" not in [b.key for b in at.button]
    by = [df.value for df in at.dataframe if "actions" in df.value.columns][0]
    assert sorted(zip(by["agency_short"], by["pillar"], by["actions"])) == [
        ("Diskominfo", "Integrasi", 4), ("Diskominfo", "Kolaborasi", 1)]
    at.button(key="up_confirm").click().run()
    assert "5 baris dimuat · 0 baris ditolak" in captions(at)


def test_an_editor_is_told_an_admin_must_assign_the_pillars(app_db):
    at = _with_preview(_page("diskominfo"), "e81_tw3.xlsx", e81_xlsx()).run()
    assert not at.exception, at.exception
    assert [plain(w.value) for w in at.warning] == [
        "5 baris menunggu pilar untuk kode program 2.16.03, 2.16.02. Admin harus memilih pilar program tersebut."]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("preview_0_pillar")]


def test_the_page_asks_about_the_first_programmes_and_says_how_many_more_wait(app_db):
    from ui.upload import MAX_WAITING_SHOWN

    more = 4
    content = programmes_without_codes(MAX_WAITING_SHOWN + more, 2)
    at = _with_preview(_page(), "tanpa-kode.xlsx", content).run()
    assert not at.exception, at.exception
    asked = [box for box in at.selectbox if box.key.startswith("preview_0_pillar_")]
    assert len(asked) == MAX_WAITING_SHOWN
    assert plain(asked[0].label) == "SC-0000 … SC-0001 (2 kode) · Program Nomor 0 (2 baris)"
    assert (f"{more} program lain juga menunggu pilar; simpan pilar di atas, lalu program berikutnya "
            "ditampilkan.") in captions(at)
    asked[0].set_value("integration").run()
    at.button(key="preview_0_pillar_save").click().run()
    assert not at.exception, at.exception
    # Saved for both actions of the first programme; the next page of programmes moves up.
    s = open_store(os.environ["SMARTCITY_DB"])
    try:
        assert pillar_assignments(s) == {"SC-0000": "integration", "SC-0001": "integration"}
    finally:
        s.close()
    asked = [box for box in at.selectbox if box.key.startswith("preview_0_pillar_")]
    assert plain(asked[0].label).endswith("Program Nomor 1 (2 baris)")
    assert asked[0].value is None                  # not the pillar chosen for the programme saved
    assert f"{more - 1} program lain juga menunggu pilar; simpan pilar di atas, lalu program berikutnya " \
           "ditampilkan." in captions(at)


# -- many unknown agency names: the most used first, the rest counted ----------------------------

def many_unknown_agencies(names: int) -> bytes:
    """One action for each of `names` unknown agency names, and three for "Kominfo Sampit Baru" (the
    mistake an admin would map first), as a file whose agency column holds something else would give."""
    actions = [action(f"SC-{i:03d}", agency=f"Bidang Pelaksana {i}") for i in range(names)]
    actions += [action(f"SC-9{i:02d}", agency="Kominfo Sampit Baru") for i in range(3)]
    return xlsx(template_rows(actions))


def test_a_file_naming_many_unknown_agencies_offers_the_most_used_names_and_counts_the_rest(store):
    shown = uploads.UNKNOWN_SHOWN
    p = preview(store, many_unknown_agencies(shown + 5), "banyak-opd.xlsx")
    assert (p.rows_loaded, p.rows_rejected) == (0, shown + 8)
    names = [u.name_as_written for u in p.unknown_agencies]
    assert len(names) == shown
    assert names[:3] == ["Kominfo Sampit Baru", "Bidang Pelaksana 0", "Bidang Pelaksana 1"]  # most rows, then order
    assert p.unknown_agencies[0].suggestions[0].code == "DISKOMINFO"
    # 36 names in all (35 + Kominfo Sampit Baru): 30 offered, 6 counted, one row each.
    assert (p.unknown_more, p.unknown_more_rows) == (6, 6)


def test_the_page_offers_the_first_unknown_agencies_and_says_how_many_more(app_db):
    shown = uploads.UNKNOWN_SHOWN
    at = _with_preview(_page(), "banyak-opd.xlsx", many_unknown_agencies(shown + 5)).run()
    assert not at.exception, at.exception
    boxes = [box for box in at.selectbox if box.key.startswith("preview_0_map_")]
    assert len(boxes) == shown
    assert plain(boxes[0].label) == "“Kominfo Sampit Baru” (3 baris) berarti:"
    assert ("6 nama OPD lain (6 baris) tidak ditampilkan. Petakan nama di atas lalu pratinjau ulang; bila nama-nama "
            "itu bukan nama OPD, periksa kolom OPD pada berkas.") in [plain(w.value) for w in at.warning]
