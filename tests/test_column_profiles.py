"""Column mapping: a file whose headers we do not recognise is mapped once by the user, and the
saved mapping (a profile) reads every later file with the same header by itself."""
from __future__ import annotations

import json
from datetime import date

import pytest
from tests.spreadsheets import SheetSpec, ingest, xlsx

from smartcity.auth import Actor
from smartcity.errors import PermissionDenied
from smartcity.ingest.columns import inspect_columns
from smartcity.ingest.reader import Unreadable
from smartcity.mappings import MappingError, column_profiles, find_profile, get_profile, save_profile
from smartcity.pipeline import load_file

EDITOR = Actor("kominfo", "editor", frozenset({"DISKOMINFO", "DINKES"}))
MAPPING = {"code": "Nomor Aksi", "activity": "Nama Inisiatif", "target": "Sasaran Angka 2024", "budget": "Dana (Rp)"}


def initiatives(year: int = 2024, first_target: int = 12) -> bytes:
    """An agency's own layout: none of its headers names our code, activity or target."""
    return xlsx(SheetSpec("Inisiatif", [
        [f"LAPORAN INISIATIF KOTA CERDAS TAHUN {year}"],
        [],
        ["Nomor Aksi", "Nama Inisiatif", "Instansi Pelaksana", f"Sasaran Angka {year}", "Capaian Angka", "Dana (Rp)",
         "Pilar"],
        ["IN-01", "Aplikasi antrean puskesmas", "Dinkes", first_target, 5, 250_000_000, "Integrasi"],
        ["IN-02", "Forum data desa", "Diskominfo", 6, 6, 80_000_000, "Kolaborasi"],
    ]))


def test_unrecognised_headers_are_rejected_with_the_columns_found():
    assert [p.key for p in ingest(initiatives()).file_problems] == ["err.sheet.no_table"]


def test_inspect_columns_shows_the_header_samples_and_what_we_recognise():
    [sheet] = inspect_columns(initiatives(), "inisiatif.xlsx")
    assert (sheet.sheet, sheet.header_row) == ("Inisiatif", 3)
    got = [(c.index, c.header_text, c.sample_values, c.suggested_field) for c in sheet.columns]
    assert got == [
        (0, "Nomor Aksi", ["IN-01", "IN-02"], None),
        (1, "Nama Inisiatif", ["Aplikasi antrean puskesmas", "Forum data desa"], None),
        (2, "Instansi Pelaksana", ["Dinkes", "Diskominfo"], "agency"),
        (3, "Sasaran Angka 2024", ["12", "6"], None),
        (4, "Capaian Angka", ["5", "6"], "actual"),
        (5, "Dana (Rp)", ["250000000", "80000000"], None),
        (6, "Pilar", ["Integrasi", "Kolaborasi"], "pillar"),
    ]


def test_a_two_row_header_shows_parent_and_child():
    content = xlsx(SheetSpec("Data", [
        ["Nomor", "Inisiatif", "Ukuran", "Capaian Per Triwulan", None],
        [None, None, None, "TW I", "TW II"],
        ["A-1", "Posyandu digital", 8, 2, 3],
    ], merges=["D1:E1"]))
    [sheet] = inspect_columns(content, "data.xlsx")
    assert [c.header_text for c in sheet.columns] == ["Nomor", "Inisiatif", "Ukuran", "Capaian Per Triwulan / TW I",
                                                     "Capaian Per Triwulan / TW II"]
    assert sheet.header_row == 1 and sheet.columns[3].sample_values == ["2"]


def test_a_file_that_cannot_be_read_raises_unreadable_with_a_message_key():
    with pytest.raises(Unreadable) as caught:
        inspect_columns(b"%PDF-1.4", "x.xlsx")
    assert caught.value.key == "err.file.pdf"


def test_an_explicit_mapping_reads_the_file():
    result = ingest(initiatives(), profile={"columns": MAPPING, "columns_name": "Format Inisiatif"})
    assert not result.file_problems and not result.rejected
    got = [(a.values["code"], a.values["activity"], a.values["agency_code"], a.values["target"], a.values["actual"],
            a.values["budget"], a.values["pillar"]) for a in result.actions]
    assert got == [("IN-01", "Aplikasi antrean puskesmas", "DINKES", 12.0, 5.0, 250_000_000.0, "integration"),
                   ("IN-02", "Forum data desa", "DISKOMINFO", 6.0, 6.0, 80_000_000.0, "collaboration")]
    assert [(w.key, w.params) for w in result.warnings] == [("warn.sheet.profile_applied", {"name": "Format Inisiatif"})]


def test_a_mapping_wins_over_what_we_recognised_by_ourselves():
    # "Capaian Angka" is recognised as the actual; the user says it is the target instead.
    mapping = {"code": "Nomor Aksi", "activity": "Nama Inisiatif", "target": "Capaian Angka"}
    values = ingest(initiatives(), profile={"columns": mapping}).actions[0].values
    assert (values["target"], values["actual"]) == (5.0, None)


def test_a_saved_profile_reads_next_years_file_by_itself(store):
    [sheet] = inspect_columns(initiatives(), "inisiatif.xlsx")
    save_profile(store, EDITOR, "Format Inisiatif", MAPPING, sheet.signature)
    # Next year's file: "Sasaran Angka 2025" has the same signature (years do not count).
    later = initiatives(year=2025, first_target=15)
    assert inspect_columns(later, "2025.xlsx")[0].signature == sheet.signature
    out = load_file(store, later, "inisiatif_2025.xlsx", date(2025, 3, 31), EDITOR)
    assert (out.status, out.rows_loaded, out.rows_rejected) == ("loaded", 2, 0)
    assert [w.key for w in out.warnings] == ["warn.sheet.profile_applied"]
    assert store.query_one("SELECT target FROM action_state(DATE '2025-03-31') WHERE action_code = 'IN-01'")[0] == 15


def test_a_file_rejected_for_its_headers_can_be_sent_again_after_the_profile_is_saved(store):
    first = load_file(store, initiatives(), "inisiatif.xlsx", date(2024, 9, 30), EDITOR)
    assert first.status == "rejected"
    save_profile(store, EDITOR, "Format Inisiatif", MAPPING, inspect_columns(initiatives(), "x.xlsx")[0].signature)
    assert load_file(store, initiatives(), "inisiatif.xlsx", date(2024, 9, 30), EDITOR).rows_loaded == 2


def test_profiles_are_found_by_signature_and_name_and_saving_is_audited(store):
    save_profile(store, EDITOR, "Format Inisiatif", MAPPING, "abc123")
    assert find_profile(store, "abc123").mapping == MAPPING
    assert get_profile(store, "Format Inisiatif").created_by == "kominfo"
    assert find_profile(store, "other") is None and get_profile(store, "Nope") is None
    save_profile(store, EDITOR, "Format Inisiatif", {**MAPPING, "target": "Capaian Angka"}, "abc123")
    assert [p.mapping["target"] for p in column_profiles(store)] == ["Capaian Angka"]
    audit = store.query_df("SELECT action, entity, entity_key, before, after FROM audit_log ORDER BY id")
    assert list(audit["action"]) == ["profile_save", "profile_save"] and set(audit["entity"]) == {"column_profile"}
    assert json.loads(audit["before"][1])["mapping"]["target"] == "Sasaran Angka 2024"


def test_a_viewer_cannot_save_and_a_bad_mapping_is_refused(store):
    with pytest.raises(PermissionDenied):
        save_profile(store, Actor("tamu", "viewer"), "P", MAPPING, "s")
    for name, mapping, key in [("", MAPPING, "err.profile.empty_name"), ("P", {}, "err.profile.empty_mapping"),
                               ("P", {"kode": "Nomor Aksi"}, "err.profile.unknown_field")]:
        with pytest.raises(MappingError) as caught:
            save_profile(store, EDITOR, name, mapping, "s")
        assert caught.value.key == key
    assert column_profiles(store) == []


def test_inspect_upload_reads_in_the_worker_with_the_upload_limits(monkeypatch, stall_readings):
    from smartcity.pipeline import inspect_upload

    [sheet] = inspect_upload(initiatives(), "inisiatif.xlsx")
    assert sheet.signature == inspect_columns(initiatives(), "x.xlsx")[0].signature
    assert sheet.columns[2].suggested_field == "agency"
    with pytest.raises(Unreadable) as caught:
        inspect_upload(b"", "kosong.xlsx")
    assert caught.value.key == "err.file.empty"
    monkeypatch.setenv("SMARTCITY_PARSE_TIMEOUT_S", "0.3")
    stall_readings()
    with pytest.raises(Unreadable) as caught:
        inspect_upload(initiatives(), "lambat.xlsx")
    assert caught.value.key == "err.file.timeout"
    assert caught.value.params["seconds"] == "0.3"
