"""The Renja evaluation form (Permendagri 86/2017, form E.81) as Diskominfo fills it, built by code.

Three header rows (the main titles merged down or across, "Realisasi Kinerja Pada Triwulan"
merged over I..IV, each of those over K | Rp), a row of column numbers, programme / activity /
sub-activity rows with national nomenclature codes, one sub-activity with a second indicator
on the row below, a JUMLAH row and a signature block. The figures are Triwulan III's report.
"""
from __future__ import annotations

from tests.spreadsheets import SheetSpec, xlsx

TITLE = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH LINGKUP KABUPATEN KOTAWARINGIN TIMUR"
WIDTH = 28  # A..AB

HEADER_MAIN = [
    "No", "Sasaran", "Kode", "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan",
    "Indikator Kinerja Program (outcome)/ Kegiatan (output)", "Satuan",
    "Target Renstra Perangkat Daerah pada Tahun 2026 (Akhir Periode Renstra)", None,
    "Realisasi Capaian Kinerja Renstra Perangkat Daerah sampai dengan Renja Perangkat Daerah Tahun Lalu (2023)", None,
    "Target Kinerja dan Anggaran Renja Perangkat Daerah Tahun Berjalan (2024) yang Dievaluasi", None,
    "Realisasi Kinerja Pada Triwulan", None, None, None, None, None, None, None,
    "Realisasi Capaian Kinerja dan Anggaran Renja Perangkat Daerah yang Dievaluasi", None,
    "Realisasi Kinerja dan Anggaran Renstra Perangkat Daerah s/d Tahun 2024", None,
    "Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra Perangkat Daerah s/d Tahun 2024 (%)", None,
    "Perangkat Daerah Penanggung Jawab", "Keterangan",
]
HEADER_QUARTERS = [None] * 12 + ["I", None, "II", None, "III", None, "IV", None] + [None] * 8
HEADER_KRP = [None] * 6 + ["K", "Rp"] * 10 + [None, None]
NUMBERS = [1, 2, 3, 4, 5, 6, 7, None, 8, None, 9, None, 10, None, 11, None, 12, None, 13, None,
           "14 = 10+11+12+13", None, "15 = 8+14", None, "16 = 15/7 x 100%", None, 17, 18]
MERGES = ["A1:AB1", "A6:A8", "B6:B8", "C6:C8", "D6:D8", "E6:E8", "F6:F8", "G6:H7", "I6:J7", "K6:L7", "M6:T6",
          "M7:N7", "O7:P7", "Q7:R7", "S7:T7", "U6:V7", "W6:X7", "Y6:Z7", "AA6:AA8", "AB6:AB8",
          "G9:H9", "I9:J9", "K9:L9", "M9:N9", "O9:P9", "Q9:R9", "S9:T9", "U9:V9", "W9:X9", "Y9:Z9"]

SASARAN = "Meningkatnya kualitas layanan pemerintahan berbasis elektronik"


def _row(no, code, name, indicator, unit, renstra, last_year, target, quarters, year, renstra_now, level,
         responsible=None, notes=None, sasaran=None) -> list:
    """One data row; each money pair is (K, Rp); quarters is four (K, Rp) pairs."""
    cells = [no, sasaran, code, name, indicator, unit, *renstra, *last_year, *target]
    for k, rp in quarters:
        cells += [k, rp]
    return cells + [*year, *renstra_now, *level, responsible, notes]


E = (None, None)

# Row numbers as in the spreadsheet (the header is rows 6-8, the column numbers row 9).
DATA = [
    # row 10: programme: sums only
    _row(1, "2.16.03", "PROGRAM PENGELOLAAN APLIKASI INFORMATIKA", "Indeks SPBE", "indeks",
         (3.5, 12_000_000_000), (2.6, 5_000_000_000), (3.0, 2_550_000_000),
         [(None, 380_000_000), (None, 600_000_000), (None, 635_000_000), E],
         (None, 1_615_000_000), (None, 6_615_000_000), (None, 55.1), "Dinas Komunikasi dan Informatika",
         sasaran=SASARAN),
    # row 11: activity: sums only
    _row(None, "2.16.03.2.02", "Pengelolaan e-government Di Lingkup Pemerintah Daerah Kabupaten/Kota",
         "Persentase perangkat daerah yang menerapkan SPBE", "%", (100, 11_000_000_000), (70, 4_600_000_000),
         (85, 2_400_000_000), [(60, 350_000_000), (70, 560_000_000), (78, 600_000_000), E],
         (78, 1_510_000_000), (78, 6_110_000_000), (78, 55.5), "Dinas Komunikasi dan Informatika"),
    # row 12: ACTION A, a count: 2 + 1 + 2 innovations, Rp 200 + 310 + 400 million spent
    _row(None, "2.16.03.2.02.0027",
         "Implementasi Inovasi Program Kota Cerdas sesuai dengan Masterplan Kabupaten atau Kota Cerdas",
         "Jumlah inovasi kota cerdas yang diimplementasikan", "inovasi", (30, 7_000_000_000),
         (9, 2_800_000_000), (8, 1_500_000_000), [(2, 200_000_000), (1, 310_000_000), (2, 400_000_000), E],
         (5, 910_000_000), (14, 3_710_000_000), (46.7, 53.0), "Bidang Aplikasi Informatika"),
    # row 13: A's second indicator, a percentage: the latest quarter, 52; no money of its own
    _row(None, None, None, "Persentase quick win masterplan smart city yang terlaksana", "%", (100, None),
         (35, None), (60, None), [(40, None), (45, None), (52, None), E], (52, None), (52, None), (52, None),
         "Bidang Aplikasi Informatika"),
    # row 14: ACTION B, a percentage: latest 78; Rp 150 + 250 + 200 million spent
    _row(None, "2.16.03.2.02.0024", "Penyelenggaraan Jaringan Intra Pemerintah Daerah Kab/Kota",
         "Persentase perangkat daerah yang terhubung jaringan intra pemerintah", "%", (100, 4_000_000_000),
         (55, 1_800_000_000), (85, 900_000_000), [(60, 150_000_000), (70, 250_000_000), (78, 200_000_000), E],
         (78, 600_000_000), (78, 2_400_000_000), (78, 60.0), "Diskominfo"),
    # row 15: activity: sums only
    _row(None, "2.16.03.2.01", "Pengelolaan Nama Domain yang telah Ditetapkan oleh Pemerintah Pusat dan Sub "
         "Domain di Lingkup Pemerintah Daerah Kabupaten/Kota", "Persentase sub domain aktif", "%",
         (100, 1_000_000_000), (80, 400_000_000), (90, 150_000_000), [(85, 30_000_000), (87, 40_000_000),
         (88, 35_000_000), E], (88, 105_000_000), (88, 505_000_000), (88, 50.5), "Dinas Komunikasi dan Informatika"),
    # row 16: ACTION C, a count: 10 + 12 + 8 sub-domains; Rp 30 + 40 + 35 million
    _row(None, "2.16.03.2.01.0004", "Pengelolaan Nama Domain dan Sub Domain Penyelenggaraan Pemerintah Daerah",
         "Jumlah sub domain yang dikelola", "sub domain", (200, 1_000_000_000), (110, 400_000_000),
         (45, 150_000_000), [(10, 30_000_000), (12, 40_000_000), (8, 35_000_000), E], (30, 105_000_000),
         (140, 505_000_000), (70.0, 50.5), "Bidang Aplikasi Informatika"),
    # row 17: programme; row 18: activity
    _row(2, "2.16.02", "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK", "Indeks keterbukaan informasi publik",
         "indeks", (90, 1_200_000_000), (78, 480_000_000), (82, 250_000_000), [(None, 50_000_000),
         (None, 60_000_000), E, E], (None, 110_000_000), (None, 590_000_000), (None, 49.2),
         "Dinas Komunikasi dan Informatika", sasaran="Meningkatnya keterbukaan informasi publik"),
    _row(None, "2.16.02.2.01", "Pengelolaan Informasi dan Komunikasi Publik Pemerintah Daerah Kabupaten/Kota",
         "Persentase permohonan informasi yang diselesaikan", "%", (100, 1_200_000_000), (90, 480_000_000),
         (95, 250_000_000), [(92, 50_000_000), (94, 60_000_000), E, E], (94, 110_000_000),
         (94, 590_000_000), (94, 49.2), "Dinas Komunikasi dan Informatika"),
    # row 19: ACTION D, a count, Triwulan III not yet filled: 25 + 35 requests; Rp 50 + 60 million
    _row(None, "2.16.02.2.01.0017", "Pelayanan Informasi Publik", "Jumlah permohonan informasi publik yang dilayani",
         "permohonan", (600, 1_200_000_000), (310, 480_000_000), (120, 250_000_000),
         [(25, 50_000_000), (35, 60_000_000), E, E], (60, 110_000_000), (370, 590_000_000), (61.7, 49.2),
         "Bidang Informasi dan Komunikasi Publik", notes="TW III menunggu rekap PPID"),
]
# row 20: the total of the year's budget over the sub-activities: 1.500 + 900 + 150 + 250 million
TOTAL = [None, None, None, "JUMLAH", None, None, None, 13_200_000_000, None, 5_480_000_000, None, 2_800_000_000]
FOOTER = [[], [None] * 20 + ["Sampit, 10 Oktober 2024"], [None] * 20 + ["Kepala Dinas Komunikasi dan Informatika"],
          [], [None] * 20 + ["Drs. H. CONTOH NAMA, M.Si"], [None] * 20 + ["NIP. 19700101 199503 1 001"]]


def e81_rows(*, codes: bool = True) -> list[list]:
    """The whole sheet. Without codes, the Kode column is left empty and the names carry their level
    ("Program ...", "Kegiatan : ...", "Sub Kegiatan : ..."), as agencies without SIPD codes write them."""
    rows = [
        [TITLE],
        ["Perangkat Daerah : Dinas Komunikasi dan Informatika"],
        ["Periode Pelaksanaan : Triwulan III Tahun 2024"],
        ["Indikator dan target kinerja Perangkat Daerah yang mengacu pada sasaran RKPD: " + SASARAN],
        [],
        *[list(r) for r in (HEADER_MAIN, HEADER_QUARTERS, HEADER_KRP, NUMBERS, *DATA, TOTAL, *FOOTER)],
    ]
    if not codes:
        for row in rows[9:9 + len(DATA)]:
            code, name = row[2], row[3]
            row[2] = None
            if code and code.count(".") == 2:
                row[3] = "Program " + name.removeprefix("PROGRAM ").title()
            elif code and code.count(".") == 4:
                row[3] = "Kegiatan : " + name
            elif code:
                row[3] = "Sub Kegiatan : " + name
    return rows


def e81_xlsx(*, codes: bool = True, sheet: str = "E.81 TW III") -> bytes:
    return xlsx(SheetSpec(sheet, e81_rows(codes=codes), merges=MERGES))
