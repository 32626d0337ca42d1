"""Real layouts: title rows, merged multi-row headers, column numbers, sections, totals, signatures, sheets."""
from __future__ import annotations

import pytest
from tests.spreadsheets import SheetSpec, action, csv_bytes, ingest, ods, template_rows, xls, xlsx, xlsx_with_formulas

TITLE = "RENCANA AKSI SMART CITY KABUPATEN KOTAWARINGIN TIMUR TAHUN 2024"


def renja_rows(total: object = "1.750.000.000") -> list[list]:
    """A Renja-style report: title, agency line, two-row header, column numbers, pillar sections, JUMLAH, signature."""
    return [
        [TITLE],                                                                                   # row 1
        ["Perangkat Daerah : Dinas Kesehatan"],                                                    # row 2
        [],                                                                                        # row 3
        ["No", "Kode", "Kegiatan", "Indikator", "Satuan", "Target", "Realisasi", None, None, None,
         "Anggaran (Rp)", None, "Status"],                                                         # row 4
        [None, None, None, None, None, None, "TW I", "TW II", "TW III", "TW IV", "Pagu", "Realisasi", None],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, "10 = 7+8+9", 11, 12, 13],                                      # row 6
        ["A.", "PILAR INTEGRASI"],                                                                 # row 7
        [1, "DK-01", "Aplikasi rekam medis", "Puskesmas terhubung", "unit", 8, 2, 2, 1, "-",
         "Rp 1.250.000.000", 400_000_000, "Berjalan"],                                             # row 8
        [2, "DK-02", "Satu data kesehatan", "Persentase data terintegrasi", "%", 90, 40, 60, 75, None,
         500_000_000, 200_000_000, "Sesuai jadwal"],                                               # row 9
        ["B.", "PILAR KOLABORASI"],                                                                # row 10
        [3, "DK-03", "Forum kota sehat", "Forum terlaksana", "kali", 4, 1, 1, 1, None, 0, 0, "Berjalan"],
        [None, "JUMLAH", None, None, None, None, None, None, None, None, total, 600_000_000],       # row 12
        [],
        [None, None, None, None, None, None, None, None, None, "Sampit, 30 September 2024"],       # row 14
        [None, None, None, None, None, None, None, None, None, "Kepala Dinas Kesehatan"],
        [],
        [None, None, None, None, None, None, None, None, None, "dr. UMAR KADERI, MPH"],
        [None, None, None, None, None, None, None, None, None, "NIP. 19700101 199903 1 001"],
    ]


RENJA_MERGES = ["A1:M1", "G4:J4", "K4:L4", "A4:A5", "B4:B5", "C4:C5", "M4:M5"]


def check_renja(result):
    """What every format of the Renja report must give: three actions worked out by hand."""
    assert not result.file_problems, [p.located() for p in result.file_problems]
    assert not result.rejected, [p.located() for r in result.rejected for p in r.problems]
    assert result.warnings == []
    got = [(a.row, a.values["code"], a.values["pillar"], a.values["agency_code"], a.values["actual"],
            a.values["quarter_rule"], a.values["budget"]) for a in result.actions]
    assert got == [
        (8, "DK-01", "integration", "DINKES", 5.0, "sum", 1_250_000_000.0),       # units: 2 + 2 + 1
        (9, "DK-02", "integration", "DINKES", 75.0, "latest", 500_000_000.0),     # a percentage: latest, TW III
        (11, "DK-03", "collaboration", "DINKES", 3.0, "sum", 0.0),                # 1 + 1 + 1
    ]
    first = result.actions[0].values
    assert (first["actual_q1"], first["actual_q2"], first["actual_q3"], first["actual_q4"]) == (2.0, 2.0, 1.0, None)
    assert (first["budget_spent"], first["status"], first["actual_source"]) == (400_000_000.0, "on_track", "quarters")


def test_renja_report_with_merged_two_row_header_in_xlsx():
    check_renja(ingest(xlsx(SheetSpec("Sheet1", renja_rows(), merges=RENJA_MERGES)), "dinkes.xlsx"))


@pytest.mark.parametrize("build, name", [(xls, "dinkes.xls"), (ods, "dinkes.ods")])
def test_renja_report_in_xls_and_ods(build, name):
    check_renja(ingest(build(SheetSpec("Sheet1", renja_rows())), name))


def test_renja_report_as_csv_without_merge_information():
    # A CSV keeps no merges: "Realisasi" is spread over the empty cells that have a child below.
    check_renja(ingest(csv_bytes(renja_rows(), delimiter=";"), "dinkes.csv"))


def test_parent_header_is_combined_with_each_child():
    result = ingest(xlsx(SheetSpec("Sheet1", renja_rows(), merges=RENJA_MERGES)))
    row = result.actions[0].values
    # "Anggaran" over "Pagu" is the budget, "Anggaran" over "Realisasi" is the budget spent (not the actual).
    assert (row["budget"], row["budget_spent"]) == (1_250_000_000.0, 400_000_000.0)


def test_a_three_row_header():
    rows = [
        ["Kode", "OPD", "Kegiatan", "Target", "Realisasi Kinerja", None, None, None, "Anggaran", None],
        [None, None, None, None, "Triwulan", None, None, None, "Pagu", "Realisasi"],
        [None, None, None, None, "I", "II", "III", "IV", None, None],
        ["K-1", "Dinkes", "Posyandu", 12, 3, 3, 3, 3, 90_000_000, 45_000_000],
    ]
    merges = ["E1:H1", "I1:J1", "E2:H2"]
    values = ingest(xlsx(SheetSpec("Data", rows, merges=merges))).actions[0].values
    assert [values[q] for q in ("actual_q1", "actual_q2", "actual_q3", "actual_q4")] == [3.0, 3.0, 3.0, 3.0]
    assert (values["actual"], values["budget"], values["budget_spent"]) == (12.0, 90_000_000.0, 45_000_000.0)


def test_quarterly_targets_are_not_read_as_realisation():
    rows = [["Kode", "OPD", "Kegiatan", "Target", None, "Realisasi", None],
            [None, None, None, "TW I", "TW II", "TW I", "TW II"],
            ["K-1", "Dinkes", "Posyandu", 5, 10, 4, 9]]
    values = ingest(xlsx(SheetSpec("Data", rows, merges=["D1:E1", "F1:G1"]))).actions[0].values
    assert (values["target_q1"], values["target_q2"], values["actual_q1"], values["actual_q2"]) == (5.0, 10.0, 4.0, 9.0)
    # No "Target" column of its own: the year's target is derived by the same quarter rule (a count: 5 + 10).
    assert (values["target"], values["target_source"], values["actual"]) == (15.0, "quarters", 13.0)


def test_header_found_below_title_rows_anywhere_in_the_first_thirty_rows():
    rows = [[TITLE]] + [[]] * 20 + template_rows([action("K-1")])
    result = ingest(xlsx(rows))
    assert [(a.row, a.values["code"]) for a in result.actions] == [(23, "K-1")]


def test_header_below_row_thirty_is_not_searched():
    rows = [[TITLE]] + [[]] * 30 + template_rows([action("K-1")])
    assert [p.key for p in ingest(xlsx(rows)).file_problems] == ["err.sheet.no_table"]


@pytest.mark.parametrize("numbers", [[1, 2, 3, 4], ["(1)", "(2)", "(3)", "(4)"], ["1", "2", "3", "4 = 2+3"]])
def test_a_row_of_column_numbers_under_the_header_is_skipped(numbers):
    rows = [["Kode", "OPD", "Kegiatan", "Target"], numbers, ["K-1", "Dinkes", "Posyandu", 4]]
    result = ingest(xlsx(rows))
    assert [(a.row, a.values["code"]) for a in result.actions] == [(3, "K-1")]
    assert not result.rejected and not result.warnings


def test_a_row_of_units_under_the_header_is_skipped():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Pagu"], [None, None, None, "%", "Rp"],
            ["K-1", "Dinkes", "Posyandu", 80, 1000]]
    result = ingest(xlsx(rows))
    assert [a.row for a in result.actions] == [3] and not result.rejected


# ---------------------------------------------------------------- sections, titles, sheet names

def test_section_rows_set_the_agency_for_the_rows_below():
    rows = [["Kode", "Kegiatan", "Target"],
            ["I. DINAS KESEHATAN"], ["K-1", "Posyandu digital", 4],
            ["Perangkat Daerah : Dinas Lingkungan Hidup"], ["L-1", "Bank sampah", 10],
            ["OPD: DISKOMINFO KOTIM"], ["D-1", "Satu data", 1],
            ["1.03.0.00.0.00.01.0000 DINAS PEKERJAAN UMUM DAN PENATAAN RUANG"], ["P-1", "Drainase", 2]]
    result = ingest(xlsx(rows))
    assert [(a.values["code"], a.values["agency_code"]) for a in result.actions] == [
        ("K-1", "DINKES"), ("L-1", "DLH"), ("D-1", "DISKOMINFO"), ("P-1", "DPUPR")]
    assert not result.warnings


def test_sheet_named_after_a_pillar_and_title_naming_the_agency():
    rows = [[TITLE], ["OPD : Dinas Kesehatan"], [], ["Kode", "Kegiatan", "Target"], ["K-1", "Posyandu", 4]]
    values = ingest(xlsx(SheetSpec("Kolaborasi", rows))).actions[0].values
    assert (values["pillar"], values["agency_code"], values["agency"]) == ("collaboration", "DINKES", "Dinas Kesehatan")


def test_sheet_named_after_an_agency():
    rows = [["Kode", "Kegiatan", "Target"], ["K-1", "Posyandu", 4]]
    assert ingest(xlsx(SheetSpec("Dinkes", rows))).actions[0].values["agency_code"] == "DINKES"


def test_pillar_named_in_the_title():
    rows = [["RENCANA AKSI PILAR KEBERLANJUTAN TAHUN 2024"], ["Kode", "OPD", "Kegiatan", "Target"],
            ["K-1", "DLH", "Bank sampah", 4]]
    assert ingest(xlsx(rows)).actions[0].values["pillar"] == "sustainability"


def test_a_pillar_column_wins_over_the_section_row():
    rows = [["Kode", "Pilar", "OPD", "Kegiatan", "Target"], ["A. PILAR INTEGRASI"],
            ["K-1", "Kolaborasi", "Dinkes", "Forum", 4], ["K-2", None, "Dinkes", "Satu data", 4]]
    result = ingest(xlsx(rows))
    assert [a.values["pillar"] for a in result.actions] == ["collaboration", "integration"]


def test_a_one_word_section_in_the_code_column():
    rows = [["Kode", "Kegiatan", "Target"], ["DINKES"], ["INTEGRASI"], ["K-1", "Posyandu", 4]]
    result = ingest(xlsx(rows))
    assert not result.rejected
    values = result.actions[0].values
    assert (values["agency_code"], values["pillar"]) == ("DINKES", "integration")


def test_a_row_with_only_a_code_is_rejected_not_taken_for_a_section():
    rows = [["Kode", "OPD", "Kegiatan", "Target"], ["K-9"], ["K-1", "Dinkes", "Posyandu", 4]]
    result = ingest(xlsx(rows))
    assert [(r.row, [p.column for p in r.problems]) for r in result.rejected] == [(2, ["OPD", "Kegiatan", "Target"])]


def test_the_header_repeated_below_is_skipped():
    rows = template_rows([action("K-1")]) + template_rows([action("K-2")])
    result = ingest(xlsx(rows))
    assert [a.values["code"] for a in result.actions] == ["K-1", "K-2"] and not result.rejected


def test_a_group_heading_row_is_skipped_with_a_warning():
    rows = [["Kode", "OPD", "Kegiatan", "Target"], [None, None, "Program Peningkatan Layanan Kesehatan"],
            ["K-1", "Dinkes", "Posyandu", 4]]
    result = ingest(xlsx(rows))
    assert len(result.actions) == 1 and not result.rejected
    [warning] = result.warnings
    assert (warning.key, warning.row) == ("warn.row.heading", 2)
    assert "Program Peningkatan Layanan Kesehatan" in warning.message()


# ---------------------------------------------------------------- totals, blanks, signatures

def test_total_row_is_not_loaded_and_a_matching_total_gives_no_warning():
    result = ingest(xlsx(SheetSpec("Sheet1", renja_rows(total=1_750_000_000), merges=RENJA_MERGES)))
    assert [a.values["code"] for a in result.actions] == ["DK-01", "DK-02", "DK-03"]
    assert result.warnings == []


def test_total_row_that_disagrees_with_the_loaded_budgets_is_a_warning():
    # 1.250.000.000 + 500.000.000 + 0 = 1.750.000.000, but the JUMLAH row says 1.800.000.000.
    result = ingest(xlsx(SheetSpec("Sheet1", renja_rows(total="1.800.000.000"), merges=RENJA_MERGES)))
    [warning] = result.warnings
    assert (warning.key, warning.row, warning.column) == ("warn.total_mismatch", 12, "Anggaran (Rp) / Pagu")
    assert warning.message() == ("Baris jumlah menyebut pagu 1.800.000.000, tetapi jumlah pagu kegiatan yang dimuat "
                                 "di atasnya 1.750.000.000; periksa baris yang ditolak atau rumus jumlahnya.")


def test_subtotals_compare_with_their_section_and_the_grand_total_with_the_sheet():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Pagu"],
            ["A-1", "Dinkes", "a", 1, 100], ["A-2", "Dinkes", "b", 1, 200], [None, "Sub Total", None, None, 300],
            ["B-1", "Dinkes", "c", 1, 400], [None, "Subtotal", None, None, 400],
            [None, "TOTAL", None, None, 700]]
    result = ingest(xlsx(rows))
    assert len(result.actions) == 3 and result.warnings == []


def test_a_rejected_row_makes_the_total_disagree():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Pagu"],
            ["A-1", "Dinkes", "a", 1, 100], ["A-2", "Dinkes", "b", "x", 200], [None, "JUMLAH", None, None, 300]]
    result = ingest(xlsx(rows))
    assert len(result.rejected) == 1
    assert [w.key for w in result.warnings] == ["warn.total_mismatch"]


def test_blank_rows_and_signature_block_are_skipped_silently():
    rows = template_rows([action("K-1")]) + [[], [], [None, None, "Mengetahui,"], [None, None, "Kepala Dinas"],
                                            [], [None, None, "Ir. BUDI SANTOSO"], [None, None, "Pembina Tk. I"],
                                            [None, None, "NIP 19700101 199903 1 001"]]
    result = ingest(xlsx(rows))
    assert len(result.actions) == 1 and not result.rejected and not result.warnings


# ---------------------------------------------------------------- several sheets

def test_instruction_reference_and_hidden_sheets_are_skipped_even_with_a_table():
    example = template_rows([action("CONTOH-1")])
    result = ingest(xlsx(SheetSpec("Petunjuk", example), SheetSpec("Rencana Aksi", template_rows([action("K-1")])),
                         SheetSpec("Daftar OPD", [["Kode", "OPD"], ["DINKES", "Dinas Kesehatan"]]),
                         SheetSpec("Ref_Status", example), SheetSpec("Arsip", example, hidden=True)))
    assert [a.values["code"] for a in result.actions] == ["K-1"]
    assert [(w.key, w.sheet) for w in result.warnings] == [
        ("warn.sheet.reference", "Petunjuk"), ("warn.sheet.reference", "Daftar OPD"),
        ("warn.sheet.reference", "Ref_Status"), ("warn.sheet.hidden", "Arsip")]


def test_a_sheet_without_a_table_is_skipped_with_a_warning_when_another_has_data():
    notes = SheetSpec("Catatan Rapat", [["Notulen rapat koordinasi"], ["Hadir: 12 orang"]])
    result = ingest(xlsx(notes, SheetSpec("Data", template_rows([action("K-1")]))))
    assert not result.file_problems and len(result.actions) == 1
    [warning] = result.warnings
    assert (warning.key, warning.sheet) == ("warn.sheet.no_table", "Catatan Rapat")
    assert warning.message().startswith("Lembar ini dilewati")


def test_one_sheet_per_pillar_all_load():
    sheets = [SheetSpec(name, template_rows([action(code, pillar=None)]))
              for name, code in (("Integrasi", "I-1"), ("Kolaborasi", "K-1"), ("Keberlanjutan", "B-1"))]
    result = ingest(xlsx(*sheets))
    assert [(a.sheet, a.values["pillar"]) for a in result.actions] == [
        ("Integrasi", "integration"), ("Kolaborasi", "collaboration"), ("Keberlanjutan", "sustainability")]


def test_empty_extra_sheets_are_ignored_silently():
    result = ingest(xlsx(SheetSpec("Data", template_rows([action()])), SheetSpec("Sheet2", []),
                         SheetSpec("Sheet3", [[None]])))
    assert len(result.actions) == 1 and result.warnings == []


# ---------------------------------------------------------------- values as offices write them

def test_thousands_columns_are_scaled_to_rupiah():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Pagu Anggaran Rp. (000)", "Realisasi Anggaran (Rp 000)"],
            ["K-1", "Dinkes", "Posyandu", 4, 1_250_000, "500.000"]]
    values = ingest(xlsx(rows)).actions[0].values
    assert (values["budget"], values["budget_spent"]) == (1_250_000_000.0, 500_000_000.0)


def test_millions_columns_are_scaled_to_rupiah():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Pagu (Rp juta)"], ["K-1", "Dinkes", "Posyandu", 4, "1.250,5"]]
    assert ingest(xlsx(rows)).actions[0].values["budget"] == 1_250_500_000.0


def test_a_number_with_its_unit_word():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Realisasi"], ["K-1", "Dinkes", "Regulasi", "12 dokumen", "5 dok"]]
    values = ingest(xlsx(rows)).actions[0].values
    assert (values["target"], values["actual"]) == (12.0, 5.0)


def test_percentages_stored_as_fractions_with_a_percent_format_are_percent_points():
    rows = [["Kode", "OPD", "Kegiatan", "Satuan", "Target", "Realisasi"],
            ["K-1", "Dinkes", "Cakupan", "%", 0.9, 0.755],   # shown as 90% and 75,5%
            ["K-2", "Dinkes", "Cakupan", "%", 90, 75.5],     # typed as points
            ["K-3", "Dinkes", "Cakupan", "%", "90%", "75,5%"]]
    sheet = SheetSpec("Data", rows, formats={"E2": "0%", "F2": "0.0%"})
    result = ingest(xlsx(sheet))
    assert [(a.values["target"], a.values["actual"]) for a in result.actions] == [
        (90.0, pytest.approx(75.5)), (90.0, 75.5), (90.0, 75.5)]


def test_formulas_are_read_from_their_cached_values():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "TW I", "TW II", "Realisasi"],
            ["K-1", "Dinkes", "Posyandu", 10, 3, 4, None]]
    content = xlsx_with_formulas(rows, {"G2": ("=E2+F2", 7)})
    assert ingest(content).actions[0].values["actual"] == 7.0


# ---------------------------------------------------------------- the quarter rule

def quarter_row(code, unit, indicator, quarters, actual=None):
    return [code, "Dinkes", "Kegiatan", indicator, unit, 100, *quarters, actual]


QUARTER_HEADER = ["Kode", "OPD", "Kegiatan", "Indikator", "Satuan", "Target", "TW I", "TW II", "TW III", "TW IV",
                  "Realisasi"]


def test_quarter_rule_sums_counts_and_takes_the_latest_level():
    rows = [QUARTER_HEADER,
            quarter_row("A", "dokumen", "Dokumen tersusun", [1, 2, 3, None]),          # count: 1 + 2 + 3 = 6
            quarter_row("B", "%", "Cakupan layanan", [20, 45, 60, None]),              # a percentage: 60
            quarter_row("C", "Indeks", "Indeks SPBE", [2.1, 2.4, None, None]),         # an index: 2.4
            quarter_row("D", "orang", "Peserta pelatihan (kumulatif)", [10, 25, 40, None]),  # cumulative: 40
            quarter_row("E", None, "Persentase desa digital", [5, 10, None, None]),    # no unit, "Persentase": 10
            quarter_row("F", "unit", "Unit terpasang", [1, 1, 1, 1], actual=3)]        # its own actual wins
    result = ingest(xlsx(rows))
    assert [(a.values["code"], a.values["quarter_rule"], a.values["actual"], a.values["actual_source"])
            for a in result.actions] == [
        ("A", "sum", 6.0, "quarters"), ("B", "latest", 60.0, "quarters"), ("C", "latest", 2.4, "quarters"),
        ("D", "latest", 40.0, "quarters"), ("E", "latest", 10.0, "quarters"), ("F", "sum", 3.0, "column")]


def test_no_quarters_and_no_actual_leaves_the_actual_empty():
    rows = [QUARTER_HEADER, quarter_row("A", "dokumen", "Dokumen", [None, None, None, None])]
    values = ingest(xlsx(rows)).actions[0].values
    assert (values["actual"], values["actual_source"]) == (None, None)


def test_profile_sets_one_quarter_rule_for_the_file():
    rows = [QUARTER_HEADER, quarter_row("A", "dokumen", "Dokumen", [1, 2, 3, None])]
    values = ingest(xlsx(rows), profile={"quarter_rule": "latest"}).actions[0].values
    assert (values["quarter_rule"], values["actual"]) == ("latest", 3.0)


def test_k_percent_rp_under_each_quarter():
    # A three-row header: "Realisasi" over "TW I | TW II", each over "K | % | Rp.". K is the quarter's
    # output, % its own achievement (not loaded), Rp. the money realised in that quarter.
    rows = [
        [TITLE],
        ["Kode", "OPD", "Pilar", "Kegiatan", "Satuan", "Target", "Pagu Anggaran", "Realisasi"] + [None] * 5,
        [None] * 7 + ["TW I", None, None, "TW II", None, None],
        [None] * 7 + ["K", "%", "Rp.", "K", "%", "Rp."],
        ["K-01", "Diskominfo", "Integrasi", "Satu data", "dataset", 20, 100_000_000, 5, 25, 10_000_000, 6, 30, 15_000_000],
        ["K-02", "Diskominfo", "Kolaborasi", "Forum", "kali", 4, 50_000_000, 1, 25, 5_000_000, 1, 25, 2_500_000],
    ]
    merges = ["H2:M2", "H3:J3", "K3:M3"] + [f"{c}2:{c}4" for c in "ABCDEFG"]
    result = ingest(xlsx(SheetSpec("Sheet1", rows, merges=merges)), "triwulan.xlsx")
    assert not result.rejected and not result.file_problems and result.warnings == []
    got = [(a.row, a.values["code"], a.values["actual"], a.values["actual_q1"], a.values["actual_q2"],
            a.values["budget_spent_q1"], a.values["budget_spent_q2"], a.values["budget_spent"]) for a in result.actions]
    assert got == [
        (5, "K-01", 11.0, 5.0, 6.0, 10_000_000.0, 15_000_000.0, 25_000_000.0),   # datasets add up: 5 + 6
        (6, "K-02", 2.0, 1.0, 1.0, 5_000_000.0, 2_500_000.0, 7_500_000.0),       # 1 + 1 forums
    ]
