"""Messages about bad input: (Bahasa Indonesia, English). Placeholders in {braces}.

Each message says what is wrong and what was expected, in words a civil servant uses.
Where a message lists field names it gets them in both languages ({x_id} / {x_en}).
File, sheet, row and column are added in front by Problem.located(), not written here.
"""

_AGENCY_WAYS_ID = ("kolom OPD, baris bagian di atas kegiatan (mis. 'I. DINAS KESEHATAN' atau "
                   "'Perangkat Daerah : Dinas Kesehatan'), nama lembar, atau judul (mis. 'OPD : Dinas Kesehatan')")
_AGENCY_WAYS_EN = ("an Agency (OPD) column, a section row above the actions (e.g. 'I. DINAS KESEHATAN' or "
                   "'Perangkat Daerah : Dinas Kesehatan'), the sheet name, or the title (e.g. 'OPD : Dinas Kesehatan')")
_REQUIRED_ID = "Kode, Kegiatan, Target, dan OPD"
_REQUIRED_EN = "Code, Activity, Target and Agency"

ERRORS: dict[str, tuple[str, str]] = {
    "err.generic": ("Terjadi kesalahan: {detail}", "Something went wrong: {detail}"),
    # ---- the file as a whole
    "err.file.empty": (
        "Berkas kosong (0 byte). Unggah berkas Excel (.xlsx/.xls), OpenDocument (.ods) atau CSV yang berisi "
        "tabel rencana aksi.",
        "The file is empty (0 bytes). Upload an Excel (.xlsx/.xls), OpenDocument (.ods) or CSV file that holds "
        "the action-plan table."),
    "err.file.pdf": (
        "Berkas ini PDF, bukan spreadsheet. Unggah berkas Excel (.xlsx/.xls), .ods atau CSV aslinya, bukan hasil "
        "cetak/ekspor PDF.",
        "This file is a PDF, not a spreadsheet. Upload the original Excel (.xlsx/.xls), .ods or CSV file, not a "
        "printed or exported PDF."),
    "err.file.html": (
        "Berkas ini halaman web (HTML) yang diberi nama spreadsheet. Buka di Excel lalu simpan ulang sebagai "
        "Excel Workbook (.xlsx), kemudian unggah lagi.",
        "This file is a web page (HTML) with a spreadsheet name. Open it in Excel, save it again as an Excel "
        "Workbook (.xlsx), and upload that."),
    "err.file.not_spreadsheet": (
        "Berkas ini bukan spreadsheet yang dapat dibaca. Yang diharapkan: Excel (.xlsx, .xlsm, .xls), "
        "OpenDocument (.ods) atau CSV.",
        "This file is not a readable spreadsheet. Expected: Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) "
        "or CSV."),
    "err.file.damaged": (
        "Berkas tampak seperti {format} tetapi rusak atau tidak lengkap sehingga tidak dapat dibaca. Buka di "
        "Excel, simpan ulang sebagai .xlsx, lalu unggah lagi.",
        "The file looks like {format} but is damaged or incomplete and cannot be read. Open it in Excel, save "
        "it again as .xlsx, and upload it again."),
    "err.file.password": (
        "Berkas dilindungi kata sandi. Hapus kata sandinya di Excel (File > Info > Protect Workbook), simpan, "
        "lalu unggah lagi.",
        "The file is password-protected. Remove the password in Excel (File > Info > Protect Workbook), save, "
        "and upload it again."),
    "err.file.internal": (
        "Berkas tidak dapat diproses karena kesalahan pada aplikasi ({detail}). Berkas sudah disimpan; "
        "laporkan ke admin Bapelitbangda.",
        "The file could not be processed because of an error in the application ({detail}). The file has been "
        "kept; please report this to the Bapelitbangda administrator."),
    "err.file.unreadable_path": ("Berkas tidak dapat dibuka: {detail}", "The file cannot be opened: {detail}"),
    # ---- a sheet (a file problem when no sheet has data, else a warning that the sheet was skipped)
    "err.sheet.no_table": (
        "Tidak ditemukan tabel rencana aksi: tidak ada baris judul kolom yang dikenali dalam 30 baris pertama. "
        "Kolom wajib: " + _REQUIRED_ID + ". Judul kolom yang dikenali: {expected_id}.",
        "No action-plan table found: no recognisable header row in the first 30 rows. Required columns: "
        + _REQUIRED_EN + ". Recognised headers: {expected_en}."),
    "err.sheet.missing_columns": (
        "Tabel tidak memiliki kolom wajib: {missing_id}. Kolom yang ditemukan: {found}. Kolom wajib: "
        + _REQUIRED_ID + "; judul kolom yang dikenali: {expected_id}.",
        "The table lacks required columns: {missing_en}. Columns found: {found}. Required columns: "
        + _REQUIRED_EN + "; recognised headers: {expected_en}."),
    "err.sheet.no_agency": (
        "Tidak diketahui OPD pemilik kegiatan. Tuliskan OPD melalui " + _AGENCY_WAYS_ID + ".",
        "The agency that owns the actions is not known. Give it through " + _AGENCY_WAYS_EN + "."),
    "warn.sheet.no_table": (
        "Lembar ini dilewati: tidak ada baris judul kolom rencana aksi yang dikenali (kolom wajib: "
        + _REQUIRED_ID + ").",
        "Sheet skipped: no recognisable action-plan header row (required columns: " + _REQUIRED_EN + ")."),
    "warn.sheet.missing_columns": (
        "Lembar ini dilewati: tidak ada kolom wajib {missing_id}. Kolom yang ditemukan: {found}.",
        "Sheet skipped: the required columns {missing_en} are missing. Columns found: {found}."),
    "warn.sheet.no_agency": (
        "Lembar ini dilewati: OPD pemilik kegiatan tidak diketahui. Tuliskan OPD melalui " + _AGENCY_WAYS_ID + ".",
        "Sheet skipped: the agency owning the actions is not known. Give it through " + _AGENCY_WAYS_EN + "."),
    "warn.sheet.hidden": ("Lembar tersembunyi, tidak dibaca.", "Hidden sheet, not read."),
    "warn.sheet.reference": (
        "Lembar petunjuk/referensi, tidak dibaca sebagai data.",
        "Instructions/reference sheet, not read as data."),
    "warn.file.no_rows": (
        "Tabel ditemukan tetapi tidak berisi satu pun baris kegiatan.",
        "The table was found but holds no action rows."),
    # ---- one cell or row (the row is rejected and kept with its raw values)
    "err.cell.number": (
        "Nilai '{value}' di kolom {field_id} bukan angka; yang diharapkan angka seperti 1.250.000 atau 75,5 "
        "(boleh dengan %, atau '-' bila kosong).",
        "The value '{value}' in the {field_en} column is not a number; expected a number such as 1.250.000 or "
        "75,5 (a % sign is fine, '-' for none)."),
    "err.cell.money": (
        "Nilai '{value}' di kolom {field_id} bukan jumlah rupiah; yang diharapkan misalnya Rp 1.250.000.000 "
        "atau 1250000000 ('-' bila kosong).",
        "The value '{value}' in the {field_en} column is not a rupiah amount; expected e.g. Rp 1.250.000.000 or "
        "1250000000 ('-' for none)."),
    "err.cell.date": (
        "Nilai '{value}' di kolom {field_id} bukan tanggal; yang diharapkan misalnya 21/09/2024, "
        "21 September 2024, Sep-24 atau Januari 2024.",
        "The value '{value}' in the {field_en} column is not a date; expected e.g. 21/09/2024, "
        "21 September 2024, Sep-24 or Januari 2024."),
    "err.cell.negative": (
        "{field_id} tidak boleh negatif (tertulis {value}); yang diharapkan angka 0 atau lebih.",
        "{field_en} cannot be negative (it says {value}); expected 0 or more."),
    "err.cell.pillar": (
        "Pilar '{value}' tidak dikenal; yang diharapkan salah satu dari: {expected}.",
        "Unknown pillar '{value}'; expected one of: Integration (Integrasi), Collaboration (Kolaborasi), "
        "Sustainability (Keberlanjutan)."),
    "err.row.required": (
        "{field_id} wajib diisi tetapi kosong.",
        "{field_en} is required but empty."),
    "err.row.agency_missing": (
        "OPD untuk baris ini tidak diketahui; isi kolom OPD atau tulis baris bagian OPD di atasnya "
        "(mis. 'I. DINAS KESEHATAN').",
        "The agency for this row is not known; fill the Agency (OPD) column or put an agency section row above "
        "it (e.g. 'I. DINAS KESEHATAN')."),
    "err.row.agency_unknown": (
        "OPD '{value}' tidak dikenal. Mungkin maksudnya: {suggestions}. Tulis nama OPD seperti dalam daftar OPD.",
        "Unknown agency '{value}'. Did you mean: {suggestions}? Write the agency as in the agency list."),
    "err.row.agency_unknown_nosuggest": (
        "OPD '{value}' tidak dikenal dan tidak ada yang mirip. Tulis nama OPD seperti dalam daftar OPD "
        "(mis. Dinas Kesehatan atau Dinkes), atau minta admin menambahkannya.",
        "Unknown agency '{value}' and nothing similar is known. Write the agency as in the agency list "
        "(e.g. Dinas Kesehatan or Dinkes), or ask the administrator to add it."),
    "err.row.duplicate_code": (
        "Kode '{code}' sudah dipakai pada baris {first_row}; setiap kegiatan harus memiliki kode sendiri.",
        "Code '{code}' is already used on row {first_row}; each action needs its own code."),
    "err.row.duplicate_code_sheet": (
        "Kode '{code}' sudah dipakai pada lembar '{first_sheet}' baris {first_row}; setiap kegiatan harus "
        "memiliki kode sendiri.",
        "Code '{code}' is already used on sheet '{first_sheet}' row {first_row}; each action needs its own code."),
    # ---- warnings: the row is loaded, but someone should look
    "warn.cell.status": (
        "Status '{value}' tidak dikenal dan diabaikan; yang diharapkan salah satu dari: {expected}.",
        "Unknown status '{value}' ignored; expected one of: not started, on track, at risk, late, done "
        "(belum mulai, sesuai jadwal, perlu perhatian, terlambat, selesai)."),
    "warn.cell.direction": (
        "Arah indikator '{value}' tidak dikenal; dianggap 'naik' (semakin besar semakin baik). Tulis 'naik' "
        "atau 'turun'.",
        "Unknown indicator direction '{value}'; taken as 'higher is better'. Write 'naik' (higher) or 'turun' "
        "(lower)."),
    "warn.row.spent_over_budget": (
        "Realisasi anggaran ({spent}) melebihi pagu anggaran ({budget}); periksa kembali.",
        "Budget spent ({spent}) is more than the budget ({budget}); please check."),
    "warn.row.actual_over_target": (
        "Realisasi ({actual}) lebih dari dua kali target ({target}); periksa kembali satuan dan angkanya.",
        "Actual ({actual}) is more than twice the target ({target}); please check the unit and the figure."),
    "warn.row.heading": (
        "Baris judul kelompok '{text}' tidak dibaca sebagai kegiatan (tidak ada kode maupun angka).",
        "Group heading row '{text}' not read as an action (it has no code and no figures)."),
    "warn.total_mismatch": (
        "Baris jumlah menyebut pagu {total}, tetapi jumlah pagu kegiatan yang dimuat di atasnya {loaded}; "
        "periksa baris yang ditolak atau rumus jumlahnya.",
        "The total row says the budget is {total}, but the loaded actions above it add up to {loaded}; check "
        "the rejected rows or the total's formula."),
}

# ---- hostile or unusual files (smartcity.ingest.guard, reader, isolate), column mappings and
# ---- remembered agency/pillar mappings (smartcity.mappings)
ERRORS.update({
    "err.file.xlsb": (
        "Berkas ini Excel Binary Workbook (.xlsb), yang tidak dapat dibaca. Buka di Excel, pilih File > Save As > "
        "Excel Workbook (.xlsx), simpan ulang sebagai .xlsx, lalu unggah berkas .xlsx itu.",
        "This file is an Excel Binary Workbook (.xlsb), which cannot be read. Open it in Excel, choose File > "
        "Save As > Excel Workbook (.xlsx), and upload that .xlsx file."),
    "err.file.zip_bomb": (
        "Berkas ditolak: isinya membengkak menjadi {size_mb} MB setelah dibuka (batas {limit_mb} MB). Berkas "
        "rencana aksi tidak sebesar ini; hapus lembar yang tidak perlu atau bagi berkasnya, lalu unggah lagi.",
        "File refused: its content grows to {size_mb} MB when unpacked (the limit is {limit_mb} MB). An action "
        "plan is never this big; remove sheets that are not needed or split the file, and upload it again."),
    "err.file.zip_ratio": (
        "Berkas ditolak: bagian '{part}' membengkak {ratio} kali saat dibuka (batas {limit} kali), ciri berkas "
        "perusak (zip bomb). Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi.",
        "File refused: its part '{part}' grows {ratio} times when unpacked (the limit is {limit} times), the mark "
        "of a zip bomb. Open it in Excel, save it again as .xlsx, and upload it again."),
    "err.file.zip_members": (
        "Berkas ditolak: berisi {count} bagian (batas {limit}). Simpan ulang dari Excel sebagai .xlsx, lalu "
        "unggah lagi.",
        "File refused: it holds {count} parts (the limit is {limit}). Save it again from Excel as .xlsx, and "
        "upload it again."),
    "err.file.xml_entities": (
        "Berkas ditolak: bagian '{part}' memuat deklarasi XML (DOCTYPE/ENTITY) yang tidak pernah ditulis Excel "
        "atau LibreOffice dan dapat dipakai untuk menyerang server. Buka di Excel, simpan ulang sebagai .xlsx, "
        "lalu unggah lagi.",
        "File refused: its part '{part}' holds XML declarations (DOCTYPE/ENTITY) that Excel and LibreOffice "
        "never write and that can be used to attack the server. Open it in Excel, save it again as .xlsx, and "
        "upload it again."),
    "err.file.sheet_too_large": (
        "Lembar '{sheet}' terlalu besar: sel terakhir yang berisi ada di {last_cell} ({rows} baris x {columns} "
        "kolom). Batasnya {max_rows} baris dan {max_cells} sel. Hapus isi sel yang jauh di luar tabel (Ctrl+End "
        "menunjukkan sel terakhir), simpan, lalu unggah lagi.",
        "Sheet '{sheet}' is too large: its last cell with a value is {last_cell} ({rows} rows x {columns} "
        "columns). The limits are {max_rows} rows and {max_cells} cells. Clear the cells far outside the table "
        "(Ctrl+End shows the last cell), save, and upload it again."),
    "err.file.too_many_sheets": (
        "Berkas berisi {count} lembar (batas {limit}). Unggah hanya lembar rencana aksi: hapus lembar lain atau "
        "bagi berkasnya.",
        "The file has {count} sheets (the limit is {limit}). Upload only the action-plan sheets: delete the "
        "others or split the file."),
    "err.file.timeout": (
        "Pembacaan berkas dihentikan setelah {seconds} detik karena terlalu lama; tidak ada data yang disimpan. "
        "Hapus lembar atau baris yang tidak perlu, atau bagi berkasnya, lalu unggah lagi.",
        "Reading the file was stopped after {seconds} seconds because it took too long; no data was stored. "
        "Remove sheets or rows that are not needed, or split the file, and upload it again."),
    "err.file.too_complex": (
        "Berkas terlalu besar atau terlalu rumit untuk dibaca dengan memori yang tersedia; tidak ada data yang "
        "disimpan. Hapus lembar atau baris yang tidak perlu, atau bagi berkasnya, lalu unggah lagi.",
        "The file is too large or too complex to read with the memory available; no data was stored. Remove "
        "sheets or rows that are not needed, or split the file, and upload it again."),
    "warn.cell.too_long": (
        "Isi kolom {field_id} sepanjang {length} karakter dipotong menjadi {limit} karakter (batas Excel).",
        "The {field_en} cell of {length} characters was cut to {limit} characters (Excel's limit)."),
    "err.cell.formula_no_value": (
        "Sel {cell} ({field_id}) berisi rumus tanpa nilai tersimpan: berkas dibuat oleh program yang tidak "
        "menghitung rumus, sehingga nilainya tidak dapat dibaca. Buka berkas di Excel atau LibreOffice, simpan "
        "ulang (rumus akan dihitung), lalu unggah lagi.",
        "Cell {cell} ({field_en}) holds a formula with no saved value: the file was made by a program that does "
        "not compute formulas, so its value cannot be read. Open the file in Excel or LibreOffice, save it again "
        "(the formulas are computed), and upload it again."),
    "warn.cell.formula_no_value": (
        "Sel {cell} ({field_id}) berisi rumus tanpa nilai tersimpan; baris dimuat tanpa nilai {field_id}. Buka "
        "berkas di Excel atau LibreOffice, simpan ulang, lalu unggah lagi agar nilainya terbaca.",
        "Cell {cell} ({field_en}) holds a formula with no saved value; the row is loaded without its {field_en}. "
        "Open the file in Excel or LibreOffice, save it again, and upload it again to have the value read."),
    "warn.cell.merged_number": (
        "Sel {field_id} bernilai {value} digabung (merge) dari baris {first_row} sampai {last_row}; nilainya "
        "dihitung sekali, untuk baris {first_row} saja, bukan untuk setiap baris. Bila setiap baris punya nilainya "
        "sendiri, pisahkan sel (unmerge) dan isi per baris.",
        "The {field_en} cell holding {value} is merged over rows {first_row} to {last_row}; the value is counted "
        "once, for row {first_row} only, not for every row. If each row has its own value, unmerge the cell and "
        "fill each row."),
    "err.cell.merged_number": (
        "{field_id} baris ini kosong karena selnya digabung (merge) dengan baris {first_row}; angka yang digabung "
        "hanya dihitung untuk baris {first_row}. Pisahkan sel (unmerge) dan isi {field_id} baris ini.",
        "This row's {field_en} is empty because its cell is merged with row {first_row}; a merged number counts "
        "for row {first_row} only. Unmerge the cell and fill this row's {field_en}."),
    "warn.sheet.renja": (
        "Lembar dibaca sebagai formulir Evaluasi Renja (Permendagri 86/2017, E.81): baris sub kegiatan dimuat "
        "sebagai kegiatan; baris program dan kegiatan hanya berisi jumlah dan tidak dimuat.",
        "Sheet read as the Renja evaluation form (Permendagri 86/2017, E.81): sub-activity rows are loaded as "
        "actions; programme and activity rows only hold sums and are not loaded."),
    "warn.sheet.profile_applied": (
        "Judul kolom lembar ini dibaca dengan profil kolom '{name}'.",
        "This sheet's column headers were read with the column profile '{name}'."),
    # ---- mappings remembered for later uploads
    "err.mapping.unknown_agency": (
        "Kode OPD '{code}' tidak ada dalam daftar OPD.",
        "Agency code '{code}' is not in the agency list."),
    "err.mapping.empty_name": (
        "Nama OPD yang akan dipetakan kosong.",
        "The agency name to map is empty."),
    "err.mapping.alias_conflict": (
        "'{name}' sudah merupakan nama OPD {other}; tidak dapat dipetakan ke OPD lain.",
        "'{name}' is already a name of agency {other}; it cannot be mapped to another agency."),
    "err.mapping.pillar": (
        "Pilar '{value}' tidak dikenal; pilih Integrasi, Kolaborasi atau Keberlanjutan.",
        "Unknown pillar '{value}'; choose Integration, Collaboration or Sustainability."),
    "err.mapping.empty_prefix": (
        "Awalan kode program/kegiatan kosong.",
        "The programme/activity code prefix is empty."),
    "err.profile.empty_name": (
        "Nama profil kolom kosong.",
        "The column profile's name is empty."),
    "err.profile.unknown_field": (
        "Kolom tujuan '{field}' tidak dikenal; yang diharapkan salah satu dari: {expected}.",
        "Unknown target field '{field}'; expected one of: {expected}."),
    "err.profile.empty_mapping": (
        "Pemetaan kolom kosong; pilih kolom berkas untuk setidaknya Kode, Kegiatan dan Target.",
        "The column mapping is empty; choose the file's columns for at least Code, Activity and Target."),
    "err.profile.permission": (
        "Pengguna {user} hanya dapat melihat; menyimpan profil kolom memerlukan peran editor atau admin.",
        "User {user} can only view; saving a column profile needs the editor or admin role."),
    "err.profile.unknown": (
        "Profil kolom '{name}' tidak ditemukan. Profil yang ada: {known}.",
        "Column profile '{name}' not found. Profiles saved: {known}."),
})
