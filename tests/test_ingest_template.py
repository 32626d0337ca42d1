"""The canonical template, in Indonesian or English, read into canonical action values."""
from __future__ import annotations

import datetime as dt
import hashlib

from tests.spreadsheets import SheetSpec, action, csv_bytes, ingest, registry, template_rows, xlsx

from smartcity.ingest import ingest_path


def only_action(result):
    assert not result.file_problems, [p.located() for p in result.file_problems]
    assert not result.rejected, [p.located() for r in result.rejected for p in r.problems]
    assert len(result.actions) == 1
    return result.actions[0]


def test_indonesian_template_loads_every_field_with_its_type():
    row = only_action(ingest(xlsx(template_rows([action("SC-01", notes="  Rapat koordinasi  ")]))))
    assert row.sheet == "Rencana Aksi"
    assert row.row == 2  # the header is row 1, as the spreadsheet program shows it
    assert row.values == {
        "code": "SC-01", "pillar": "integration", "agency": "Diskominfo", "agency_code": "DISKOMINFO",
        "program": "Program SPBE", "activity": "Integrasi data kependudukan",
        "indicator": "Jumlah layanan terintegrasi", "unit": "layanan", "baseline": 2.0, "target": 10.0,
        "actual": 6.0, "actual_source": "column", "budget": 1_250_000_000.0, "budget_spent": 500_000_000.0,
        "start_date": dt.date(2024, 1, 15), "due_date": dt.date(2024, 12, 31), "status": "on_track",
        "notes": "Rapat koordinasi", "owner": "Kabid Aptika", "direction": "higher", "quarter_rule": "sum",
    }


def test_english_headers_map_to_the_same_fields():
    indonesian = only_action(ingest(xlsx(template_rows([action()], lang="id"))))
    english = only_action(ingest(xlsx(template_rows([action()], lang="en"))))
    assert english.values == indonesian.values


def test_codes_stay_text_with_leading_zeros_and_dots():
    rows = template_rows([action("001"), action("1.02.01"), action("A-7")])
    for content, name in ((xlsx(rows), "r.xlsx"), (csv_bytes(rows), "r.csv")):
        result = ingest(content, name)
        assert [a.values["code"] for a in result.actions] == ["001", "1.02.01", "A-7"]


def test_a_whole_number_code_typed_as_a_number_is_text_without_decimals():
    result = ingest(xlsx(template_rows([action(17)])))
    assert result.actions[0].values["code"] == "17"


def test_budgets_are_rupiah_floats_whatever_way_they_are_written():
    # 1.250.000.000 + 500.000.000 + 0 = 1.750.000.000
    rows = template_rows([action("A", budget="Rp 1.250.000.000", budget_spent=None),
                          action("B", budget=500_000_000, budget_spent=None),
                          action("C", budget="0", budget_spent=None)])
    result = ingest(xlsx(rows))
    budgets = [a.values["budget"] for a in result.actions]
    assert budgets == [1_250_000_000.0, 500_000_000.0, 0.0]
    assert sum(budgets) == 1_750_000_000.0


def test_pillar_words_in_either_language():
    rows = template_rows([action("A", pillar="Kolaborasi"), action("B", pillar="Sustainability"),
                          action("C", pillar="Pilar Integrasi"), action("D", pillar="3. KEBERLANJUTAN")])
    result = ingest(xlsx(rows))
    assert [a.values["pillar"] for a in result.actions] == ["collaboration", "sustainability", "integration",
                                                            "sustainability"]


def test_agency_written_several_ways_resolves_to_one_code():
    rows = template_rows([action("A", agency="DISKOMINFO KOTIM "), action("B", agency="Dinas Komunikasi dan Informatika"),
                          action("C", agency="diskominfo")])
    result = ingest(xlsx(rows))
    assert {a.values["agency_code"] for a in result.actions} == {"DISKOMINFO"}
    assert result.actions[0].values["agency"] == "DISKOMINFO KOTIM"  # as written, stripped


def test_several_agencies_in_one_cell_belong_to_the_first_the_lead_agency():
    result = ingest(xlsx(template_rows([action(agency="Dinkes; Diskominfo")])))
    assert result.actions[0].values["agency_code"] == "DINKES"


def test_reported_status_words_map_to_statuses_and_empty_is_none():
    rows = template_rows([action("A", status="Belum mulai"), action("B", status="Terlambat"),
                          action("C", status="SELESAI"), action("D", status="Dalam proses pengadaan"),
                          action("E", status=None)])
    result = ingest(xlsx(rows))
    assert [a.values["status"] for a in result.actions] == ["not_started", "late", "done", "on_track", None]


def test_unknown_status_is_a_warning_and_the_row_still_loads():
    result = ingest(xlsx(template_rows([action(status="Menunggu")])))
    assert result.actions[0].values["status"] is None
    [warning] = result.warnings
    assert warning.key == "warn.cell.status"
    assert warning.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 2, Kolom Status: Status 'Menunggu' "
                                 "tidak dikenal dan diabaikan; yang diharapkan salah satu dari: belum mulai, sesuai "
                                 "jadwal, perlu perhatian, terlambat, selesai.")


def test_direction_column_says_whether_lower_is_better():
    rows = [["Kode", "OPD", "Kegiatan", "Indikator", "Target", "Arah"],
            ["A", "Dinkes", "Turunkan stunting", "Prevalensi stunting", 14, "Turun"],
            ["B", "Dinkes", "Kurangi temuan", "Jumlah temuan", 2, "semakin kecil semakin baik"],
            ["C", "Dinkes", "Tambah layanan", "Jumlah layanan", 5, "Naik"],
            ["D", "Dinkes", "Tambah layanan", "Jumlah layanan", 5, "negatif"],
            ["E", "Dinkes", "Tambah layanan", "Jumlah layanan", 5, None]]
    result = ingest(xlsx(rows))
    assert [a.values["direction"] for a in result.actions] == ["lower", "lower", "higher", "lower", "higher"]


def test_direction_defaults_to_higher_without_a_column():
    assert only_action(ingest(xlsx(template_rows([action()])))).values["direction"] == "higher"


def test_dates_written_as_text_in_many_ways():
    rows = template_rows([action("A", start_date="21/09/2024", due_date="31-Des-2024"),
                          action("B", start_date="Januari 2024", due_date="Sep-24"),
                          action("C", start_date="1 Agustus 2024", due_date=45657.0)])
    result = ingest(xlsx(rows))
    assert [(a.values["start_date"], a.values["due_date"]) for a in result.actions] == [
        (dt.date(2024, 9, 21), dt.date(2024, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2024, 9, 30)),   # a month as a due date means its last day
        (dt.date(2024, 8, 1), dt.date(2024, 12, 31)),  # Excel serial 45657
    ]


def test_result_carries_the_hash_and_size_of_the_bytes():
    content = xlsx(template_rows([action()]))
    result = ingest(content, "dinkes.xlsx")
    assert result.file_name == "dinkes.xlsx"
    assert result.sha256 == hashlib.sha256(content).hexdigest()
    assert result.size == len(content)


def test_ingest_path_reads_a_file_from_disk(tmp_path):
    path = tmp_path / "renaksi_diskominfo.xlsx"
    path.write_bytes(xlsx(template_rows([action()])))
    result = ingest_path(path, registry())
    assert result.file_name == "renaksi_diskominfo.xlsx"
    assert len(result.actions) == 1


def test_ingest_path_of_a_missing_file_is_a_file_problem(tmp_path):
    result = ingest_path(tmp_path / "nothing.xlsx", registry())
    assert [p.key for p in result.file_problems] == ["err.file.unreadable_path"]


def test_profile_gives_the_agency_and_pillar_when_the_file_names_none():
    rows = [["Kode", "Kegiatan", "Target"], ["K-1", "Posyandu digital", 12]]
    result = ingest(xlsx(rows), profile={"agency": "DINKES", "pillar": "collaboration"})
    values = only_action(result).values
    assert (values["agency_code"], values["pillar"]) == ("DINKES", "collaboration")


def test_rows_are_numbered_as_the_spreadsheet_shows_them_even_below_empty_rows():
    rows = [[], [], [None, "Kode", "OPD", "Kegiatan", "Target"], [None, "K-1", "Dinkes", "Posyandu", 4]]
    result = ingest(xlsx(SheetSpec("Data", rows)))
    assert (result.actions[0].sheet, result.actions[0].row) == ("Data", 4)


def test_an_agency_cell_with_a_sipd_code_before_the_name():
    result = ingest(xlsx(template_rows([action(agency="1.02.0.00.0.00.01.0000 Dinas Kesehatan")])))
    assert result.actions[0].values["agency_code"] == "DINKES"
