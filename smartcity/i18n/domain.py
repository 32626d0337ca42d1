"""Names of the domain's values: pillars, statuses, KPI traffic lights, predikat bands."""

DOMAIN: dict[str, tuple[str, str]] = {
    "pillar.integration": ("Integrasi", "Integration"),
    "pillar.collaboration": ("Kolaborasi", "Collaboration"),
    "pillar.sustainability": ("Keberlanjutan", "Sustainability"),
    "pillar.all": ("Semua pilar", "All pillars"),
    "status.not_started": ("Belum mulai", "Not started"),
    "status.on_track": ("Sesuai jadwal", "On track"),
    "status.at_risk": ("Perlu perhatian", "At risk"),
    "status.late": ("Terlambat", "Late"),
    "status.done": ("Selesai", "Done"),
    "rag.green": ("Hijau (baik)", "Green (good)"),
    "rag.amber": ("Kuning (waspada)", "Amber (watch)"),
    "rag.red": ("Merah (buruk)", "Red (poor)"),
    "rag.none": ("Tanpa ambang", "No threshold"),
    "predikat.very_high": ("Sangat tinggi", "Very high"),
    "predikat.high": ("Tinggi", "High"),
    "predikat.medium": ("Sedang", "Medium"),
    "predikat.low": ("Rendah", "Low"),
    "predikat.very_low": ("Sangat rendah", "Very low"),
    "direction.higher": ("Makin tinggi makin baik", "Higher is better"),
    "direction.lower": ("Makin rendah makin baik", "Lower is better"),
    "unit.percent": ("persen", "percent"),
    "unit.count": ("jumlah", "count"),
    "unit.rupiah": ("rupiah", "rupiah"),
    "unit.number": ("angka", "number"),
    "kpi.in_percent": ("dinyatakan dalam persen", "expressed as a percentage"),
    "kpi.pillar_only": ("hanya aksi pilar {pillar}", "only actions of the {pillar} pillar"),
    "bool.true": ("ya", "yes"),
    "bool.false": ("tidak", "no"),
}

DOMAIN.update({
    "review.reminder_head": (
        "Yth. Bapak/Ibu Kepala Perangkat Daerah,\nBerikut OPD yang belum mengirim pembaruan Rencana Aksi Smart City per {date}:",
        "Dear Heads of Agencies,\nThe following agencies have not sent their Smart City action-plan update as of {date}:",
    ),
    "review.reminder_pic": ("PJ", "owner"),
    "review.reminder_last": ("laporan terakhir {date} ({days} hari lalu)", "last report {date} ({days} days ago)"),
    "review.reminder_tail": (
        "Mohon segera mengunggah data terbaru melalui dasbor Smart City. Terima kasih.\n— Bapelitbangda Kotim",
        "Please upload your latest data through the Smart City dashboard. Thank you.\n— Bapelitbangda Kotim",
    ),
})

DOMAIN.update({
    "edit.not_editable": ("Kolom {column} tidak dapat diubah di sini.", "Column {column} cannot be edited here."),
    "edit.not_number": ("Nilai '{value}' bukan angka; isi angka seperti 75 atau 1250000.", "'{value}' is not a number; enter a number such as 75 or 1250000."),
    "edit.negative": ("Nilai '{value}' tidak boleh negatif.", "'{value}' must not be negative."),
    "edit.bad_status": ("Status '{value}' tidak dikenal; pilih belum mulai, sesuai jadwal, perlu perhatian, terlambat atau selesai.", "Unknown status '{value}'; choose not started, on track, at risk, late or done."),
    "edit.too_long": ("Teks terlalu panjang; paling banyak {limit} karakter.", "Text too long; at most {limit} characters."),
    "edit.unknown_action": ("Aksi #{id} tidak ditemukan.", "Action #{id} not found."),
    "edit.conflict": ("Aksi ini sudah diubah oleh {who} pada {when} sejak tabel dimuat; periksa kedua nilai lalu simpan ulang.", "This action was changed by {who} at {when} since the table was loaded; compare both values and save again."),
    "edit.evidence_too_large": ("Bukti {file} terlalu besar; batasnya {limit_mb} MB.", "Evidence {file} is too large; the limit is {limit_mb} MB."),
    "edit.evidence_type": ("Bukti {file} harus berupa foto (JPG/PNG) atau PDF.", "Evidence {file} must be a photo (JPG/PNG) or a PDF."),
})

DOMAIN.update({
    "user.error": ("Kesalahan pengguna.", "User error."),
    "user.bad_name": ("Nama pengguna '{name}' hanya boleh huruf, angka, titik, garis bawah dan tanda hubung.", "Username '{name}' may only contain letters, digits, dots, underscores and hyphens."),
    "user.bad_role": ("Peran '{role}' tidak dikenal; pilih salah satu: {roles}.", "Unknown role '{role}'; choose one of: {roles}."),
    "user.editor_needs_agency": ("Editor harus diberi paling sedikit satu OPD.", "An editor needs at least one agency."),
    "user.unknown_agency": ("OPD tidak dikenal: {agencies}.", "Unknown agency: {agencies}."),
    "user.short_password": ("Kata sandi paling sedikit 8 karakter.", "A password needs at least 8 characters."),
    "user.exists": ("Pengguna '{name}' sudah ada.", "User '{name}' already exists."),
    "user.unknown": ("Pengguna '{name}' tidak ditemukan.", "User '{name}' not found."),
    "login.ok": ("Berhasil masuk.", "Signed in."),
    "login.bad": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "login.wait": ("Terlalu banyak percobaan gagal; coba lagi dalam {seconds} detik.", "Too many failed attempts; try again in {seconds} seconds."),
    "login.disabled": ("Akun ini dinonaktifkan; hubungi admin Bapelitbangda.", "This account is disabled; contact the Bapelitbangda admin."),
})

DOMAIN.update({
    "tpl.instructions_sheet": ("Petunjuk", "Instructions"),
    "tpl.data_sheet": ("Rencana Aksi", "Action Plan"),
    "tpl.rejected_sheet": ("Baris Ditolak", "Rejected Rows"),
    "tpl.title": ("RENCANA AKSI SMART CITY KABUPATEN KOTAWARINGIN TIMUR TAHUN {year}", "SMART CITY ACTION PLAN, KOTAWARINGIN TIMUR REGENCY, {year}"),
    "tpl.title_agency": ("RENCANA AKSI SMART CITY - {agency} - keadaan per {date}", "SMART CITY ACTION PLAN - {agency} - as of {date}"),
    "tpl.instructions_title": ("Petunjuk pengisian Rencana Aksi Smart City", "How to fill in the Smart City action plan"),
    "tpl.instructions_intro": (
        "Isi satu baris per rencana aksi di lembar 'Rencana Aksi'. Jangan mengubah judul kolom. Angka boleh ditulis seperti 1.250.000 atau 75,5; tanggal seperti 31/12/2024. Kode aksi harus unik dalam satu OPD dan tetap sama setiap minggu.",
        "Fill in one row per action on the 'Action Plan' sheet. Do not change the column headings. Numbers may be written like 1,250,000 or 75.5; dates like 31/12/2024. An action's code must be unique within its agency and stay the same every week."),
    "tpl.required": ("Wajib", "Required"),
    "tpl.optional": ("Boleh kosong", "Optional"),
    "tpl.help.code": ("Kode aksi yang tetap, mis. KES-01 atau 1.02.01", "A stable action code, e.g. KES-01 or 1.02.01"),
    "tpl.help.text": ("Teks bebas", "Free text"),
    "tpl.help.number": ("Angka, mis. 75 atau 75,5; '-' bila belum ada", "A number, e.g. 75 or 75.5; '-' when there is none yet"),
    "tpl.help.money": ("Rupiah, mis. 1.250.000.000", "Rupiah, e.g. 1,250,000,000"),
    "tpl.help.percent": ("Persen, mis. 75%", "Percent, e.g. 75%"),
    "tpl.help.date": ("Tanggal, mis. 31/12/2024", "A date, e.g. 31/12/2024"),
    "tpl.help.pillar": ("Pilih dari daftar: Integrasi, Kolaborasi, Keberlanjutan", "Pick from the list: Integration, Collaboration, Sustainability"),
    "tpl.help.status": ("Pilih dari daftar (status yang dilaporkan OPD)", "Pick from the list (the status the agency reports)"),
    "tpl.pick_from_list": ("Pilih nilai dari daftar.", "Pick a value from the list."),
    "tpl.enter_number": ("Isi angka 0 atau lebih.", "Enter a number of 0 or more."),
    "tpl.enter_date": ("Isi tanggal, mis. 31/12/2024.", "Enter a date, e.g. 31/12/2024."),
    "tpl.col_sheet": ("Lembar", "Sheet"),
    "tpl.col_row": ("Baris", "Row"),
    "tpl.col_reason": ("Alasan ditolak", "Reason rejected"),
})

DOMAIN.update({
    "decision.empty": ("Isi keputusan tidak boleh kosong.", "A decision needs some text."),
    "decision.too_long": ("Keputusan terlalu panjang; paling banyak {limit} karakter.", "Decision too long; at most {limit} characters."),
    "decision.unknown_agency": ("OPD {agency} tidak dikenal.", "Unknown agency {agency}."),
    "decision.unknown": ("Keputusan #{id} tidak ditemukan.", "Decision #{id} not found."),
})

DOMAIN.update({
    "revert.unknown": ("Baris audit #{id} tidak ditemukan.", "Audit row #{id} not found."),
    "revert.not_edit": (
        "Baris audit #{id} bukan perubahan progres, jadi tidak dapat dibatalkan di sini.",
        "Audit row #{id} is not a progress edit, so it cannot be undone here.",
    ),
    "revert.changed_since": (
        "Nilai aksi ini sudah diubah lagi oleh {who} pada {when}; pembatalan tidak disimpan. Bandingkan kedua nilai.",
        "This action was changed again by {who} at {when}; the undo was not saved. Compare both values.",
    ),
    "user.self_disable": (
        "Anda tidak dapat menonaktifkan akun Anda sendiri.",
        "You cannot disable your own account.",
    ),
    "auth.login_required": (
        "Silakan masuk terlebih dahulu.",
        "Please sign in first.",
    ),
})

# Audit trail: names of the fields a change lists that are not action columns.
DOMAIN.update({
    "audit.field.reported_status": ("Status dilaporkan", "Reported status"),
    "audit.field.reverts_audit_id": ("Membatalkan audit no.", "Undoes audit no."),
    "audit.field.role": ("Peran", "Role"),
    "audit.field.agencies": ("OPD", "Agencies"),
    "audit.field.active": ("Aktif", "Active"),
})
