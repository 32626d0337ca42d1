"""Every bad row is rejected with sheet, row, column and reason; good rows still load; nothing is lost."""
from __future__ import annotations

from tests.spreadsheets import SheetSpec, action, ingest, template_rows, xlsx

# Row 1 is the header; the good actions are on rows 2 and 4, the bad one on row 3.
GOOD_ROW = 2


def one_bad_row(bad: dict, sheet: str = "Rencana Aksi"):
    """Ingest good, bad, good; check the good ones load and return the single rejected row."""
    rows = template_rows([action("OK-1"), bad, action("OK-2")])
    result = ingest(xlsx(SheetSpec(sheet, rows)), "renaksi.xlsx")
    assert not result.file_problems
    assert [a.values["code"] for a in result.actions] == ["OK-1", "OK-2"]
    assert [a.row for a in result.actions] == [2, 4]
    [rejected] = result.rejected
    assert (rejected.sheet, rejected.row) == (sheet, 3)
    return rejected


def test_text_in_a_number_column():
    rejected = one_bad_row(action("BAD", target="sepuluh"))
    [problem] = rejected.problems
    assert problem.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 3, Kolom Target: Nilai 'sepuluh' di "
                                 "kolom Target bukan angka; yang diharapkan angka seperti 1.250.000 atau 75,5 (boleh "
                                 "dengan %, atau '-' bila kosong).")
    assert problem.located("en") == ("File renaksi.xlsx, Sheet Rencana Aksi, Row 3, Column Target: The value 'sepuluh' "
                                     "in the Target column is not a number; expected a number such as 1.250.000 or "
                                     "75,5 (a % sign is fine, '-' for none).")


def test_rejected_row_keeps_its_raw_values_under_the_file_headers():
    rejected = one_bad_row(action("BAD", target="sepuluh", budget=1_250_000_000))
    assert rejected.raw["Kode"] == "BAD"
    assert rejected.raw["Target"] == "sepuluh"
    assert rejected.raw["Pagu Anggaran"] == "1250000000"
    assert rejected.raw["Tanggal Mulai"] == "2024-01-15"
    assert rejected.raw["Kegiatan"] == "Integrasi data kependudukan"


def test_text_in_a_money_column():
    [problem] = one_bad_row(action("BAD", budget="satu miliar")).problems
    assert problem.key == "err.cell.money"
    assert problem.column == "Pagu Anggaran"
    assert problem.message() == ("Nilai 'satu miliar' di kolom Pagu Anggaran bukan jumlah rupiah; yang diharapkan "
                                 "misalnya Rp 1.250.000.000 atau 1250000000 ('-' bila kosong).")


def test_negative_budget():
    [problem] = one_bad_row(action("BAD", budget=-5_000_000)).problems
    assert problem.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 3, Kolom Pagu Anggaran: Pagu Anggaran "
                                 "tidak boleh negatif (tertulis -5.000.000); yang diharapkan angka 0 atau lebih.")


def test_negative_target():
    [problem] = one_bad_row(action("BAD", target="-3")).problems
    assert (problem.key, problem.column) == ("err.cell.negative", "Target")


def test_unknown_pillar():
    [problem] = one_bad_row(action("BAD", pillar="Integritas")).problems
    assert problem.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 3, Kolom Pilar: Pilar 'Integritas' "
                                 "tidak dikenal; yang diharapkan salah satu dari: Integrasi, Kolaborasi, "
                                 "Keberlanjutan.")


def test_unknown_agency_names_the_closest_known_ones():
    [problem] = one_bad_row(action("BAD", agency="Dinas Kesehatn")).problems
    assert problem.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 3, Kolom OPD: OPD 'Dinas Kesehatn' "
                                 "tidak dikenal. Mungkin maksudnya: Dinas Kesehatan, Dinas Perikanan, Dinas Sosial. "
                                 "Tulis nama OPD seperti dalam daftar OPD.")


def test_unknown_agency_with_nothing_close():
    [problem] = one_bad_row(action("BAD", agency="XYZ Corp")).problems
    assert problem.key == "err.row.agency_unknown_nosuggest"
    assert "'XYZ Corp'" in problem.message()


def test_duplicated_code_rejects_the_later_row_and_names_the_earlier():
    rows = template_rows([action("OK-1"), action("OK-1", activity="Salinan"), action("OK-2")])
    result = ingest(xlsx(rows))
    assert [(a.values["code"], a.row) for a in result.actions] == [("OK-1", 2), ("OK-2", 4)]
    [rejected] = result.rejected
    [problem] = rejected.problems
    assert problem.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 3, Kolom Kode: Kode 'OK-1' sudah "
                                 "dipakai pada baris 2; setiap kegiatan harus memiliki kode sendiri.")
    assert rejected.raw["Kegiatan"] == "Salinan"


def test_duplicated_code_across_sheets_names_the_sheet():
    first = SheetSpec("Integrasi", template_rows([action("K-1")]))
    second = SheetSpec("Kolaborasi", template_rows([action("K-1", pillar=None)]))
    result = ingest(xlsx(first, second))
    [problem] = result.rejected[0].problems
    assert problem.message() == ("Kode 'K-1' sudah dipakai pada lembar 'Integrasi' baris 2; setiap kegiatan harus "
                                 "memiliki kode sendiri.")


def test_missing_required_values_each_named():
    rejected = one_bad_row(action(None, activity="  ", target=None))
    assert [(p.key, p.column) for p in rejected.problems] == [
        ("err.row.required", "Kode"), ("err.row.required", "Kegiatan"), ("err.row.required", "Target")]
    assert rejected.problems[1].message() == "Kegiatan wajib diisi tetapi kosong."
    assert rejected.problems[1].message("en") == "Activity is required but empty."


def test_every_problem_of_a_row_is_listed_not_only_the_first():
    rejected = one_bad_row(action("BAD", target="x", budget=-1, pillar="Lain", due_date="besok"))
    assert sorted(p.column for p in rejected.problems) == ["Pagu Anggaran", "Pilar", "Tanggal Selesai", "Target"]


def test_bad_date():
    [problem] = one_bad_row(action("BAD", due_date="akhir tahun")).problems
    assert problem.message() == ("Nilai 'akhir tahun' di kolom Tanggal Selesai bukan tanggal; yang diharapkan "
                                 "misalnya 21/09/2024, 21 September 2024, Sep-24 atau Januari 2024.")


def test_budget_spent_above_budget_is_a_warning_and_the_row_loads():
    result = ingest(xlsx(template_rows([action(budget=100_000_000, budget_spent=120_000_000)])))
    assert len(result.actions) == 1
    [warning] = result.warnings
    assert warning.located() == ("Berkas renaksi.xlsx, Lembar Rencana Aksi, Baris 2, Kolom Realisasi Anggaran: "
                                 "Realisasi anggaran (120.000.000) melebihi pagu anggaran (100.000.000); periksa "
                                 "kembali.")


def test_actual_above_twice_the_target_is_a_warning_and_the_row_loads():
    result = ingest(xlsx(template_rows([action(target=10, actual=21), action("B", target=10, actual=20)])))
    assert len(result.actions) == 2
    [warning] = result.warnings  # 21 > 2 x 10 warns; 20 is exactly twice and does not
    assert (warning.key, warning.row, warning.column) == ("warn.row.actual_over_target", 2, "Realisasi")
    assert warning.message() == ("Realisasi (21) lebih dari dua kali target (10); periksa kembali satuan dan "
                                 "angkanya.")


def test_no_agency_for_rows_above_the_first_agency_section():
    rows = [["Kode", "Kegiatan", "Target"], ["K-0", "Tanpa OPD", 1], ["I. DINAS KESEHATAN"], ["K-1", "Posyandu", 4]]
    result = ingest(xlsx(rows))
    assert [a.values["code"] for a in result.actions] == ["K-1"]
    [problem] = result.rejected[0].problems
    assert (problem.key, problem.row) == ("err.row.agency_missing", 2)


def test_unknown_agency_in_a_section_row_rejects_its_rows_with_suggestions():
    rows = [["Kode", "Kegiatan", "Target"], ["Perangkat Daerah : Dinas Kesehatn"], ["K-1", "Posyandu", 4]]
    result = ingest(xlsx(rows))
    [problem] = result.rejected[0].problems
    assert problem.key == "err.row.agency_unknown"
    assert problem.column is None
    assert problem.params["suggestions"].startswith("Dinas Kesehatan")


def test_a_sheet_naming_very_many_unknown_agencies_suggests_for_the_first_hundred_only():
    # A column that holds something else than agencies (a wrong header, a shifted column) names thousands of
    # "agencies"; finding the closest known names for each took seconds of the read and helps nobody.
    from smartcity.ingest.rows import SUGGESTED_NAMES

    names = [f"Dinas Kesehatn {i}" for i in range(SUGGESTED_NAMES + 2)] + ["Dinas Kesehatn 0"]
    result = ingest(xlsx(template_rows([action(f"SC-{i:03d}", agency=name) for i, name in enumerate(names)])))
    keys = [r.problems[0].key for r in result.rejected]
    assert len(keys) == SUGGESTED_NAMES + 3
    assert set(keys[:SUGGESTED_NAMES]) == {"err.row.agency_unknown"}         # "Mungkin maksudnya: Dinas Kesehatan"
    assert keys[SUGGESTED_NAMES:] == ["err.row.agency_unknown_nosuggest"] * 2 + ["err.row.agency_unknown"]
