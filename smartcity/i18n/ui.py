"""Screen text: (Bahasa Indonesia, English). Placeholders in {braces}."""

UI: dict[str, tuple[str, str]] = {
    "app.title": ("Dasbor Rencana Aksi Smart City Kotim", "Kotim Smart City Action-Plan Dashboard"),
}

# Pages: titles in the navigation and the header.
UI.update({
    "page.overview": ("Ringkasan", "Overview"),
    "page.pillar": ("Pilar", "Pillars"),
    "page.agency": ("OPD", "Agencies"),
    "page.actions": ("Rencana Aksi", "Action Plan"),
    "page.kpi": ("KPI", "KPIs"),
    "page.upload": ("Unggah Data", "Upload Data"),
})

# Sidebar: language and the filters every page shares.
UI.update({
    "side.language": ("Bahasa", "Language"),
    "side.filters": ("Filter", "Filters"),
    "side.as_of": ("Data per tanggal", "Data as of"),
    "side.as_of_latest": ("Terbaru ({date})", "Latest ({date})"),
    "side.pillar": ("Pilar", "Pillar"),
    "side.agency": ("OPD", "Agency"),
    "side.all_agencies": ("Semua OPD", "All agencies"),
    "side.reset": ("Hapus filter", "Clear filters"),
    "side.no_dates": ("Belum ada data", "No data yet"),
})

# Header and common states.
UI.update({
    "head.as_of": ("Data per {date}", "Data as of {date}"),
    "head.scope": ("Cakupan: {scope}", "Scope: {scope}"),
    "state.empty_title": ("Belum ada data rencana aksi", "No action-plan data yet"),
    "state.empty_body": (
        "Unggah berkas rencana aksi dari OPD (Excel, ODS atau CSV) untuk mulai melihat capaian, serapan anggaran dan status aksi.",
        "Upload the agencies' action-plan files (Excel, ODS or CSV) to start seeing achievement, budget absorption and action status.",
    ),
    "state.go_upload": ("Buka halaman Unggah Data", "Open the Upload Data page"),
    "state.no_rows": ("Tidak ada aksi yang sesuai filter.", "No actions match the filters."),
    "state.error": (
        "Halaman ini tidak dapat ditampilkan karena terjadi kesalahan tak terduga. Coba muat ulang halaman; "
        "jika masih terjadi, hubungi admin Bapelitbangda dan sebutkan kode berikut: {ref}",
        "This page cannot be shown because of an unexpected error. Reload the page; if it persists, "
        "contact the Bapelitbangda admin and quote this code: {ref}",
    ),
    "state.unknown_agency": ("OPD yang dipilih tidak dikenal.", "The chosen agency is not known."),
})

# Figures, as cards and column headings show them.
UI.update({
    "m.actions": ("Jumlah aksi", "Actions"),
    "head.known_then": ("Ditampilkan seperti diketahui pada tanggal itu; {n} nilai dikoreksi kemudian "
                        "(lihat Tinjauan Mingguan).",
                        "Shown as known on that date; {n} values were corrected later (see Weekly Review)."),
    "head.known_then_help": ("Data yang dikirim setelah data minggu berikutnya masuk dianggap koreksi: tidak "
                             "diubah di sini, tetapi tercatat sebagai koreksi dengan kedua nilainya.",
                             "Data sent after the next week's data came in counts as a correction: not changed "
                             "here, but listed as a correction with both values."),
    "table.cut": ("Menampilkan {shown} baris pertama dari {total}; saring untuk mempersempit.",
                  "Showing the first {shown} of {total} rows; filter to narrow them down."),
    "table.cut_excel": ("Unduhan Excel memuat semua baris.", "The Excel download holds every row."),
    "m.achievement": ("Capaian", "Achievement"),
    "m.achievement_help": (
        "Rata-rata capaian indikator (realisasi / target × 100%), tiap aksi dibatasi 100%. "
        "Untuk indikator yang makin rendah makin baik: (2 × target − realisasi) / target.",
        "Mean indicator achievement (actual / target × 100%), each action capped at 100%. "
        "For lower-is-better indicators: (2 × target − actual) / target.",
    ),
    "m.absorption": ("Serapan anggaran", "Budget absorption"),
    "m.absorption_short": ("Serapan", "Absorption"),
    "m.absorption_help": ("Realisasi anggaran dibagi pagu anggaran.", "Budget spent divided by budget."),
    "m.budget_line": ("{spent} dari {budget}", "{spent} of {budget}"),
    "m.predikat": ("Predikat: {predikat}", "Rating: {predikat}"),
    "m.predikat_none": ("Predikat: –", "Rating: –"),
    "m.not_reported": ("OPD belum melapor", "Agencies not reported"),
    "m.not_reported_help": (
        "OPD yang tidak mengirim data dalam {days} hari terakhir.",
        "Agencies that sent no data in the last {days} days.",
    ),
    "m.last_report": ("Laporan terakhir", "Last report"),
    "m.days_ago": ("{days} hari lalu", "{days} days ago"),
    "m.n_actions": ("{n} aksi", "{n} actions"),
})

# Column headings of tables (also used by the Excel export for computed columns).
UI.update({
    "col.action_code": ("Kode", "Code"),
    "col.agency": ("OPD", "Agency"),
    "col.pillar": ("Pilar", "Pillar"),
    "col.dimension": ("Dimensi", "Dimension"),
    "col.activity": ("Kegiatan", "Activity"),
    "col.indicator": ("Indikator", "Indicator"),
    "col.unit": ("Satuan", "Unit"),
    "col.target": ("Target", "Target"),
    "col.actual": ("Realisasi", "Actual"),
    "col.achievement": ("Capaian", "Achievement"),
    "col.absorption": ("Serapan", "Absorption"),
    "col.budget": ("Pagu", "Budget"),
    "col.budget_spent": ("Realisasi anggaran", "Spent"),
    "col.status": ("Status", "Status"),
    "col.due_date": ("Tenggat", "Due"),
    "col.owner": ("Penanggung jawab", "Owner"),
    "col.as_of": ("Data per", "As of"),
    "col.reported_status": ("Status dilaporkan", "Reported status"),
    "col.obstacle": ("Kendala", "Obstacle"),
    "col.follow_up": ("Tindak lanjut", "Follow-up"),
    "col.actions": ("Aksi", "Actions"),
    "col.last_report": ("Laporan terakhir", "Last report"),
    "col.days_since": ("Hari sejak laporan", "Days since report"),
    "col.owners": ("Penanggung jawab", "Owners"),
    "col.kpi": ("KPI", "KPI"),
    "col.value": ("Nilai", "Value"),
    "col.n": ("Jumlah aksi", "Actions"),
    "col.late": ("Terlambat", "Late"),
    "col.at_risk": ("Perlu perhatian", "At risk"),
    "col.source": ("Sumber", "Source"),
    "col.recorded_by": ("Dicatat oleh", "Recorded by"),
    "col.recorded_at": ("Dicatat pada", "Recorded at"),
    "col.file": ("Berkas", "File"),
    "col.sheet": ("Lembar", "Sheet"),
    "col.row": ("Baris", "Row"),
    "col.column": ("Kolom", "Column"),
    "col.message": ("Pesan", "Message"),
    "col.level": ("Jenis", "Kind"),
    "col.reasons": ("Alasan ditolak", "Why rejected"),
    "col.cells": ("Isi baris", "Row content"),
    "col.upload_id": ("No.", "No."),
    "col.uploaded_at": ("Waktu unggah", "Uploaded at"),
    "col.uploaded_by": ("Pengunggah", "Uploaded by"),
    "col.rows_loaded": ("Baris dimuat", "Rows loaded"),
    "col.rows_rejected": ("Baris ditolak", "Rows rejected"),
    "col.problems": ("Masalah", "Problems"),
    "col.warnings": ("Peringatan", "Warnings"),
})

# Ringkasan.
UI.update({
    "ov.pillars": ("Tiga pilar Smart City", "The three Smart City pillars"),
    "ov.open_pillar": ("Rincian pilar", "Pillar details"),
    "ov.status_chart": ("Status aksi per pilar", "Action status by pillar"),
    "ov.by_agency": ("Capaian per OPD", "Achievement by agency"),
    "ov.not_reported": ("OPD yang belum melapor dalam siklus review", "Agencies that have not reported this review cycle"),
    "ov.all_reported": ("Semua OPD sudah melapor dalam siklus review.", "Every agency has reported this review cycle."),
    "ov.no_actions": ("Belum ada aksi di pilar ini.", "No actions in this pillar yet."),
})

# Pilar.
UI.update({
    "pl.choose": ("Pilih pilar", "Choose a pillar"),
    "pl.agencies": ("OPD dalam pilar ini", "Agencies in this pillar"),
    "pl.dimensions": ("Capaian per dimensi", "Achievement by dimension"),
    "pl.attention": ("Aksi terlambat dan perlu perhatian", "Actions late and at risk"),
    "pl.attention_none": ("Tidak ada aksi yang terlambat atau perlu perhatian.", "No action is late or at risk."),
    "pl.open_agency": ("Rincian OPD", "Agency details"),
    "pl.pick_agency": ("OPD untuk dirinci", "Agency to open"),
})

# OPD.
UI.update({
    "ag.choose": ("Pilih OPD", "Choose an agency"),
    "ag.choose_hint": (
        "Pilih satu OPD di filter samping atau di bawah ini untuk melihat aksi, status, anggaran dan KPI-nya.",
        "Choose an agency in the sidebar filter or below to see its actions, statuses, budget and KPIs.",
    ),
    "ag.all_agencies": ("Semua OPD", "All agencies"),
    "ag.actions": ("Aksi OPD", "The agency's actions"),
    "ag.kpis": ("KPI OPD", "The agency's KPIs"),
    "ag.open_actions": ("Buka di Rencana Aksi", "Open in Action Plan"),
})

# Rencana Aksi and the action detail.
UI.update({
    "ac.search": ("Cari kode, kegiatan, indikator, program atau penanggung jawab", "Search code, activity, indicator, program or owner"),
    "ac.status": ("Status", "Status"),
    "ac.count": ("{total} aksi · halaman {page} dari {pages}", "{total} actions · page {page} of {pages}"),
    "ac.download": ("Unduh Excel", "Download Excel"),
    "ac.download_help": ("Semua aksi yang sesuai filter, dengan seluruh kolom.", "Every action matching the filters, with every column."),
    "ac.detail": ("Rincian aksi", "Action details"),
    "ac.pick": ("Aksi", "Action"),
    "ac.pick_none": ("(pilih aksi untuk melihat rincian)", "(choose an action to see its details)"),
    "ac.history": ("Riwayat laporan", "Report history"),
    "ac.field": ("Kolom", "Field"),
    "ac.progress": ("Kemajuan dari baseline", "Progress from baseline"),
    "ac.elapsed": ("Waktu berjalan", "Time elapsed"),
    "ac.quarter_rule": ("Aturan triwulan", "Quarter rule"),
    "ac.source.upload": ("unggahan", "upload"),
    "ac.source.edit": ("suntingan", "edit"),
})

# KPI.
UI.update({
    "kp.scope.all": ("Seluruh rencana aksi", "The whole action plan"),
    "kp.values_of": ("Nilai KPI per {date} · {scope}", "KPI values as of {date} · {scope}"),
    "kp.target": ("Target: {value}", "Target: {value}"),
    "kp.no_target": ("Tanpa target", "No target"),
    "kp.thresholds": ("Ambang: hijau {green}, kuning {amber}", "Thresholds: green {green}, amber {amber}"),
    "kp.formula": ("Cara menghitung", "How it is computed"),
    "kp.by_agency": ("Per OPD", "By agency"),
    "kp.trend": ("Perkembangan", "Trend"),
    "kp.none": ("Belum ada KPI yang dapat dihitung.", "No KPI can be computed yet."),
    "kp.n": ("dihitung dari {n} aksi", "computed from {n} actions"),
})

# Unggah Data.
UI.update({
    "up.intro": (
        "Unggah satu atau beberapa berkas rencana aksi OPD. Setiap berkas menjadi satu snapshot per tanggal data; "
        "baris yang bermasalah ditolak dengan alasannya, baris lain tetap dimuat.",
        "Upload one or more agency action-plan files. Each file becomes a snapshot on the data date; "
        "rows with problems are rejected with their reasons, the other rows are still loaded.",
    ),
    "up.files": ("Berkas (xlsx, xlsm, xls, ods, csv; maks. {mb} MB per berkas)", "Files (xlsx, xlsm, xls, ods, csv; max {mb} MB each)"),
    "up.as_of": ("Tanggal data (per tanggal)", "Data date (as of)"),
    "up.actor": ("Diunggah sebagai: {user}", "Uploading as: {user}"),
    "up.load": ("Muat berkas", "Load files"),
    "up.loading": ("Memuat {file} …", "Loading {file} …"),
    "up.no_files": ("Pilih berkas terlebih dahulu.", "Choose files first."),
    "up.results": ("Hasil unggahan terakhir", "Results of the last upload"),
    "up.result_line": ("{loaded} baris dimuat · {rejected} baris ditolak", "{loaded} rows loaded · {rejected} rows rejected"),
    "up.status.loaded": ("Dimuat", "Loaded"),
    "up.status.rejected": ("Ditolak", "Rejected"),
    "up.status.duplicate": ("Sudah pernah diunggah", "Already uploaded"),
    "up.status.error": ("Gagal", "Failed"),
    "up.problems": ("Masalah yang ditemukan", "Problems found"),
    "up.rejected_rows": ("Baris yang ditolak", "Rejected rows"),
    "up.level.file": ("berkas", "file"),
    "up.level.row": ("baris", "row"),
    "up.level.warning": ("peringatan", "warning"),
    "up.history": ("Riwayat unggahan", "Upload history"),
    "up.history_empty": ("Belum ada unggahan.", "No uploads yet."),
    "up.history_pick": ("Lihat masalah unggahan", "Show the problems of upload"),
    "up.history_none": ("(pilih unggahan)", "(choose an upload)"),
    "up.no_problems": ("Tidak ada masalah.", "No problems."),
})

# Unggah Data: the preview step, unknown agencies, and the downloads.
UI.update({
    "up.preview": ("Pratinjau", "Preview"),
    "up.previewing": ("Memeriksa {file} …", "Checking {file} …"),
    "up.preview_title": ("Pratinjau: belum ada yang dimuat", "Preview: nothing loaded yet"),
    "up.preview_line": ("{loaded} baris akan dimuat · {rejected} baris ditolak",
                        "{loaded} rows will load · {rejected} rows rejected"),
    "up.status.preview": ("Siap dimuat", "Ready to load"),
    "up.by_pillar_agency": ("Aksi per pilar dan OPD", "Actions per pillar and agency"),
    "up.col.status_before": ("Status sebelumnya", "Status before"),
    "up.changes": ("Perbedaan dengan snapshot OPD sebelumnya", "Difference from the agency's previous snapshot"),
    "up.no_changes": ("Tidak ada perubahan dibanding snapshot sebelumnya.", "No change from the previous snapshot."),
    "up.confirm": ("Muat data", "Load data"),
    "up.cancel": ("Batal", "Cancel"),
    "up.unknown_title": ("OPD tidak dikenal", "Unknown agencies"),
    "up.unknown_name": ("“{name}” ({n} baris) berarti:", "“{name}” ({n} rows) means:"),
    "up.unknown_admin_only": (
        "OPD “{name}” tidak dikenal ({n} baris ditolak). Admin harus memetakan nama ini ke OPD yang benar.",
        "Agency “{name}” is unknown ({n} rows rejected). An admin must map this name to the right agency.",
    ),
    "up.unknown_more": (
        "{n} nama OPD lain ({rows} baris) tidak ditampilkan. Petakan nama di atas lalu pratinjau ulang; bila nama-nama "
        "itu bukan nama OPD, periksa kolom OPD pada berkas.",
        "{n} other agency names ({rows} rows) are not shown. Map the names above and preview again; if those are not "
        "agency names, check the file's agency column.",
    ),
    "up.map_save": ("Simpan pemetaan", "Save mapping"),
    "up.mapped": ("“{name}” dipetakan ke {agency}; pratinjau diperbarui.",
                  "“{name}” mapped to {agency}; preview updated."),
    "up.download_rejected": ("Unduh baris ditolak (Excel)", "Download rejected rows (Excel)"),
    "up.templates": ("Unduh templat", "Download templates"),
    "up.template_blank": ("Templat kosong", "Blank template"),
    "up.template_agency": ("OPD untuk templat terisi", "Agency for the pre-filled template"),
    "up.template_prefilled": ("Templat terisi aksi saat ini", "Template with the current actions"),
    "up.template_none": ("Tidak ada OPD yang dapat Anda isi.", "There is no agency you may fill in."),
})

# Unggah Data: mapping the columns of a file whose headers were not recognised, and choosing the
# pillar of programmes whose rows wait for one (smartcity.uploads.SheetMapping, WaitingProgram).
UI.update({
    "up.colmap.title": ("Petakan kolom berkas", "Map the file's columns"),
    "up.colmap.intro": (
        "Judul kolom berkas ini tidak dikenali. Pilih kolom berkas untuk setiap isian; pemetaan disimpan sebagai "
        "profil dan dipakai otomatis untuk berkas berikutnya dengan judul kolom yang sama.",
        "This file's column headers were not recognised. Choose the file's column for each field; the mapping is "
        "saved as a profile and applied by itself to later files with the same headers.",
    ),
    "up.colmap.sheet": ("Lembar yang dipetakan", "Sheet to map"),
    "up.colmap.sheet_line": ("Lembar {sheet}, judul kolom di baris {row}", "Sheet {sheet}, header in row {row}"),
    "up.colmap.required": ("{label} (wajib)", "{label} (required)"),
    "up.colmap.none": ("— tidak ada —", "— none —"),
    "up.colmap.samples": ("Contoh isi: {values}", "Sample values: {values}"),
    "up.colmap.empty_column": ("Kolom ini kosong.", "This column is empty."),
    "up.colmap.optional": ("Isian lain (tidak wajib)", "Other fields (optional)"),
    "up.colmap.profile_name": ("Nama profil", "Profile name"),
    "up.colmap.save": ("Simpan profil & pratinjau ulang", "Save profile & preview again"),
    "up.colmap.saved": ("Profil “{name}” disimpan; pratinjau diperbarui.", "Profile “{name}” saved; preview updated."),
    "up.colmap.missing": ("Pilih kolom berkas untuk: {fields_id}.", "Choose the file's column for: {fields_en}."),
    "up.colmap.twice": ("Kolom “{column}” dipilih untuk lebih dari satu isian: {fields_id}.",
                        "Column “{column}” is chosen for more than one field: {fields_en}."),
    "up.assign.title": ("Pilar program", "Pillars of programmes"),
    "up.assign.intro": (
        "{n} baris menunggu pilar karena berkas tidak menyebutnya. Pilih pilar untuk setiap kode program; "
        "pilihan diingat untuk berkas berikutnya.",
        "{n} rows wait for a pillar because the file names none. Choose the pillar of each programme code; "
        "the choice is remembered for later files.",
    ),
    "up.assign.program": ("{code} · {program} ({n} baris)", "{code} · {program} (rows: {n})"),
    "up.assign.codes": ("{first} … {last} ({n} kode)", "{first} … {last} ({n} codes)"),
    "up.assign.more": ("{n} program lain juga menunggu pilar; simpan pilar di atas, lalu program berikutnya "
                       "ditampilkan.",
                       "{n} more programmes wait for a pillar; save the pillars above and the next ones are shown."),
    "up.assign.placeholder": ("Pilih pilar", "Choose a pillar"),
    "up.assign.save": ("Simpan pilar & pratinjau ulang", "Save pillars & preview again"),
    "up.assign.saved": ("Pilar disimpan untuk {n} kode program; pratinjau diperbarui.",
                        "Pillar saved for {n} programme codes; preview updated."),
    "up.assign.admin_only": (
        "{n} baris menunggu pilar untuk kode program {codes}. Admin harus memilih pilar program tersebut.",
        "{n} rows wait for a pillar for programme codes {codes}. An admin must choose the pillar of these programmes.",
    ),
})

# Excel downloads of the tables pages show (ui.widgets.excel_download), and their extra headings.
UI.update({
    "xl.download": ("Unduh Excel", "Download Excel"),
    "xl.download_help": ("Tabel ini sebagai berkas Excel, apa adanya.", "This table as an Excel file, as shown."),
    "col.notes": ("Keterangan", "Notes"),
    "col.progress": ("Kemajuan", "Progress"),
    "col.rank": ("No", "No"),
    "col.done": ("Selesai", "Done"),
})

# Briefing Bupati (the exports' own words are in i18n/briefing.py, shared with this page).
UI.update({
    "page.briefing": ("Briefing Bupati", "Regent's Briefing"),
    "br.since": ("Dibandingkan dengan data per", "Compared with data as of"),
    "br.since_none": ("(tidak ada data sebelumnya)", "(no earlier data)"),
    "br.pdf": ("Unduh PDF", "Download PDF"),
    "br.pdf_help": ("A4 mendatar: ringkasan, satu halaman per pilar, risiko utama.",
                    "A4 landscape: summary, one page per pillar, top risks."),
    "br.pptx": ("Unduh PPTX", "Download PPTX"),
    "br.pptx_help": ("Salindia 16:9 untuk rapat: ringkasan, satu salindia per pilar, risiko utama.",
                     "16:9 slides for the meeting: summary, one slide per pillar, top risks."),
    "br.pillars": ("Tiga pilar", "The three pillars"),
    "br.target": ("target {value}", "target {value}"),
    "br.no_target": ("tanpa target", "no target"),
    "br.change_since": ("Panah: perubahan sejak data per {date}", "Arrows: change since the data of {date}"),
    "br.risks": ("Risiko utama", "Top risks"),
    "br.risk_line": ("{agency} · {code} · tenggat {due} · kemajuan {progress}",
                     "{agency} · {code} · due {due} · progress {progress}"),
    "br.reason": ("Kendala", "Obstacle"),
    "br.follow_up": ("Tindak lanjut", "Follow-up"),
    "br.owner": ("Penanggung jawab", "Owner"),
    "br.ranking": ("Peringkat OPD", "Agencies ranked"),
    "br.by_achievement": ("Menurut capaian", "By achievement"),
    "br.by_absorption": ("Menurut serapan anggaran", "By budget absorption"),
    "br.changes_plain": ("Perubahan", "Changes"),
})

# Publik: the read-only public progress page.
UI.update({
    "page.public": ("Publik", "Public"),
    "pub.intro": (
        "Kemajuan Rencana Aksi Smart City Kabupaten Kotawaringin Timur untuk warga dan mitra: capaian per pilar "
        "dan per perangkat daerah, indikator utama, dan kegiatan yang sudah selesai.",
        "Progress of the Kotawaringin Timur Smart City action plan for citizens and partners: achievement by "
        "pillar and by agency, headline indicators, and the activities completed.",
    ),
    "pub.pillars": ("Kemajuan per pilar", "Progress by pillar"),
    "pub.kpis": ("Indikator utama", "Headline indicators"),
    "pub.agencies": ("Kemajuan per perangkat daerah", "Progress by agency"),
    "pub.completed": ("Kegiatan yang sudah selesai ({n})", "Activities completed ({n})"),
    "pub.completed_none": ("Belum ada kegiatan yang selesai.", "No activity has been completed yet."),
    "pub.completed_shown": ("Kegiatan {first}–{last} dari {total} yang selesai",
                            "Activities {first}–{last} of the {total} completed"),
    "pub.note": (
        "Angka diperbarui setiap pekan dari laporan perangkat daerah, dikoordinasikan Bapelitbangda. "
        "Halaman ini tidak memuat nama orang atau catatan internal.",
        "Figures are updated weekly from the agencies' reports, coordinated by Bapelitbangda. "
        "This page shows no personal names and no internal notes.",
    ),
    "pub.empty": ("Belum ada data yang dapat ditampilkan.", "There is no data to show yet."),
    "pub.n_actions": ("{n} kegiatan · {done} selesai", "{n} activities · {done} done"),
})

# Accounts: signing in and out, roles (issue 5).
UI.update({
    "page.login": ("Masuk", "Sign in"),
    "page.update": ("Perbarui Progres", "Update Progress"),
    "page.audit": ("Jejak Audit", "Audit Trail"),
    "page.users": ("Pengguna", "Users"),
    "auth.title": ("Masuk ke dasbor", "Sign in to the dashboard"),
    "auth.username": ("Nama pengguna", "Username"),
    "auth.password": ("Kata sandi", "Password"),
    "auth.submit": ("Masuk", "Sign in"),
    "auth.fill_both": ("Isi nama pengguna dan kata sandi.", "Enter the username and the password."),
    "auth.logout": ("Keluar", "Sign out"),
    "auth.needed": ("Halaman ini hanya untuk pengguna yang sudah masuk.", "This page is for signed-in users only."),
    "auth.refused": (
        "Halaman ini tidak tersedia untuk peran Anda ({role}). Hubungi admin Bapelitbangda bila Anda memerlukannya.",
        "This page is not available to your role ({role}). Contact the Bapelitbangda admin if you need it.",
    ),
    "auth.expired": (
        "Sesi Anda berakhir karena tidak ada aktivitas selama {minutes} menit. Silakan masuk lagi.",
        "Your session ended after {minutes} minutes without activity. Please sign in again.",
    ),
    "auth.demo_title": ("Akun demo", "Demo accounts"),
    "auth.demo_body": (
        "Basis data ini adalah data demo; akun berikut hanya ada di sini.",
        "This database holds the demo data; these accounts exist only here.",
    ),
    "auth.signed_in_as": ("Anda masuk sebagai {user} ({role}).", "You are signed in as {user} ({role})."),
    "auth.go_home": ("Buka Ringkasan", "Open the Overview"),
    "role.admin": ("Admin", "Admin"),
    "role.editor": ("Editor OPD", "Agency editor"),
    "role.viewer": ("Pembaca", "Viewer"),
})

# Perbarui Progres.
UI.update({
    "upd.intro": (
        "Ketik realisasi, realisasi anggaran, status, keterangan, faktor penghambat dan tindak lanjut aksi OPD Anda, "
        "lalu simpan. Setiap penyimpanan menjadi data baru; data lama tetap tersimpan.",
        "Type the actual, budget spent, status, notes, obstacle and follow-up of your agency's actions, then save. "
        "Each save becomes new data; the old data is kept.",
    ),
    "upd.intro_viewer": (
        "Anda masuk sebagai pembaca: tabel ini hanya dapat dilihat.",
        "You are signed in as a viewer: this table is read-only.",
    ),
    "upd.scope": ("Masuk sebagai {who} · {role}", "Signed in as {who} · {role}"),
    "upd.as_of": ("Simpan sebagai data per", "Save as data as of"),
    "upd.as_of_help": (
        "Tanggal data perubahan: hari ini, atau tanggal lain yang tidak lebih awal dari data terbaru.",
        "The data date of the changes: today, or another date no earlier than the latest data.",
    ),
    "upd.none": ("Tidak ada aksi yang dapat Anda perbarui dengan filter ini.", "No action you can update matches the filters."),
    "upd.col.budget": ("Pagu (Rp)", "Budget (Rp)"),
    "upd.col.status_computed": ("Status terhitung", "Computed status"),
    "upd.col.status": ("Status", "Status"),
    "upd.help.actual": ("Capaian kumulatif sampai hari ini, dalam satuan indikator.", "Cumulative actual to date, in the indicator's unit."),
    "upd.help.budget_spent": ("Realisasi anggaran kumulatif, dalam rupiah.", "Cumulative budget spent, in rupiah."),
    "upd.help.status": ("Status menurut OPD; status terhitung mengikuti realisasi dan jadwal.",
                        "Status as the agency reports it; the computed status follows the actual and the schedule."),
    "upd.evidence": ("Lampirkan bukti (opsional)", "Attach evidence (optional)"),
    "upd.evidence_action": ("Untuk aksi", "For action"),
    "upd.evidence_search": ("Cari aksi (kode atau kegiatan)", "Find an action (code or activity)"),
    "upd.evidence_search_help": (
        "Ketik sebagian kode atau nama kegiatan. Tanpa pencarian, pilihannya adalah aksi di halaman tabel ini.",
        "Type part of the code or the activity. Without a search, the choices are the actions on this page of the table.",
    ),
    "upd.evidence_no_match": ("Tidak ada aksi yang cocok dengan '{text}'.", "No action matches '{text}'."),
    "upd.evidence_more": ("{n} aksi pertama yang cocok; ketik lebih lengkap untuk mempersempit.",
                          "The first {n} matching actions; type more to narrow them down."),
    "upd.evidence_file": ("Foto (JPG/PNG) atau PDF, maks. {mb} MB", "Photo (JPG/PNG) or PDF, max {mb} MB"),
    "upd.save": ("Simpan perubahan", "Save changes"),
    "upd.discard": ("Batalkan ketikan", "Discard typing"),
    "upd.pending": ("{n} aksi diubah, belum disimpan", "{n} actions changed, not saved yet"),
    "upd.no_pending": ("Belum ada perubahan.", "No changes yet."),
    "upd.pending_elsewhere": ("Ada ketikan belum disimpan untuk {n} aksi di luar filter.",
                              "Unsaved typing for {n} actions outside the filters."),
    "upd.saved": ("{n} aksi tersimpan:", "{n} actions saved:"),
    "upd.unchanged": ("Tidak ada nilai yang berubah; tidak ada yang disimpan.", "No value changed; nothing was saved."),
    "upd.theirs": ("Nilai tersimpan ({who}, {when})", "Saved value ({who}, {when})"),
    "upd.mine": ("Nilai Anda (belum disimpan)", "Your value (not saved)"),
    "upd.invalid": ("tidak disimpan karena:", "not saved because:"),
})

# Jejak Audit.
UI.update({
    "au.intro": (
        "Setiap perubahan data: siapa, kapan, apa, nilai sebelum dan sesudah. Catatan audit tidak pernah diubah atau dihapus.",
        "Every change of data: who, when, what, the values before and after. Audit rows are never changed or deleted.",
    ),
    "au.who": ("Oleh", "By"),
    "au.kind": ("Jenis perubahan", "Kind of change"),
    "au.agency": ("OPD", "Agency"),
    "au.since": ("Sejak tanggal", "Since"),
    "au.all": ("Semua", "All"),
    "au.count": ("{n} perubahan · halaman {page} dari {pages}", "{n} changes · page {page} of {pages}"),
    "au.empty": ("Tidak ada perubahan yang sesuai filter.", "No change matches the filters."),
    "au.col.id": ("No.", "No."),
    "au.col.when": ("Waktu", "When"),
    "au.col.who": ("Oleh", "By"),
    "au.col.kind": ("Jenis", "Kind"),
    "au.col.subject": ("Data", "Subject"),
    "au.col.before": ("Sebelum", "Before"),
    "au.col.after": ("Sesudah", "After"),
    "au.revert": ("Batalkan perubahan progres", "Undo a progress edit"),
    "au.revert_help": (
        "Nilai sebelum perubahan disimpan sebagai data baru; perubahan lama tetap tercatat.",
        "The values from before the edit are saved as new data; the edit stays on record.",
    ),
    "au.revert_none": ("Tidak ada perubahan progres dalam daftar ini.", "No progress edit in this list."),
    "au.revert_pick": ("Perubahan yang dibatalkan", "Edit to undo"),
    "au.revert_button": ("Batalkan perubahan ini", "Undo this edit"),
    "au.reverted": ("Perubahan {label} dibatalkan.", "Edit {label} undone."),
    "au.revert_unchanged": ("Tidak ada nilai yang perlu dikembalikan.", "No value needed restoring."),
    "au.restore": ("Nilai yang akan dikembalikan", "Value to restore"),
    "au.kind.upload": ("Unggahan berkas", "File upload"),
    "au.kind.progress_edit": ("Perubahan progres", "Progress edit"),
    "au.kind.revert": ("Pembatalan perubahan", "Undo of an edit"),
    "au.kind.user_add": ("Pengguna ditambah", "User added"),
    "au.kind.user_change": ("Peran diubah", "Role changed"),
    "au.kind.user_password": ("Kata sandi diatur", "Password set"),
    "au.kind.user_disable": ("Pengguna dinonaktifkan", "User disabled"),
    "au.kind.user_enable": ("Pengguna diaktifkan", "User enabled"),
    "au.kind.decision_add": ("Keputusan rapat", "Review decision"),
    "au.kind.decision_follow_up": ("Tindak lanjut keputusan", "Decision follow-up"),
    "au.kind.agency_mapping": ("Pemetaan nama OPD", "Agency name mapping"),
    "au.kind.pillar_assignment": ("Penetapan pilar", "Pillar assignment"),
    "au.kind.profile_save": ("Profil kolom disimpan", "Column profile saved"),
})

# Pengguna.
UI.update({
    "usr.username": ("Nama pengguna", "Username"),
    "usr.username_help": ("Huruf, angka, titik, garis bawah atau tanda hubung, mis. dinkes.budi", "Letters, digits, dots, underscores or hyphens, e.g. dinkes.budi"),
    "usr.display_name": ("Nama tampilan", "Display name"),
    "usr.role": ("Peran", "Role"),
    "usr.agencies": ("OPD", "Agencies"),
    "usr.agencies_help": ("Hanya untuk Editor OPD: OPD yang datanya boleh ia ubah.", "Agency editors only: the agencies whose data they may change."),
    "usr.agencies_placeholder": ("Pilih OPD", "Choose agencies"),
    "usr.password": ("Kata sandi awal", "Initial password"),
    "usr.password_help": ("Paling sedikit 8 karakter; pengguna dapat menggantinya.", "At least 8 characters; the user can change it."),
    "usr.state": ("Keadaan", "State"),
    "usr.active": ("aktif", "active"),
    "usr.disabled": ("nonaktif", "disabled"),
    "usr.created": ("Dibuat", "Created"),
    "usr.tab_add": ("Tambah pengguna", "Add a user"),
    "usr.tab_role": ("Ubah peran", "Change a role"),
    "usr.tab_access": ("Nonaktifkan atau atur ulang kata sandi", "Disable or reset a password"),
    "usr.add": ("Tambah pengguna", "Add user"),
    "usr.added": ("Pengguna {user} ditambahkan.", "User {user} added."),
    "usr.pick": ("Pengguna", "User"),
    "usr.change_role": ("Simpan peran", "Save role"),
    "usr.role_changed": ("Peran {user} diubah.", "The role of {user} was changed."),
    "usr.disable": ("Nonaktifkan", "Disable"),
    "usr.enable": ("Aktifkan lagi", "Enable again"),
    "usr.disabled_done": ("Pengguna {user} dinonaktifkan.", "User {user} disabled."),
    "usr.enabled_done": ("Pengguna {user} diaktifkan lagi.", "User {user} enabled again."),
    "usr.reset": ("Atur ulang kata sandi", "Reset password"),
    "usr.reset_done": (
        "Kata sandi baru {user} (berikan kepada pengguna; tidak ditampilkan lagi):",
        "New password of {user} (hand it to the user; it is not shown again):",
    ),
})

# Tinjauan Mingguan: the weekly review (issue 4); the KPI cards' change since the previous review.
UI.update({
    "page.review": ("Tinjauan Mingguan", "Weekly Review"),
    "kp.change": ("{change} sejak {date}", "{change} since {date}"),
    "kp.change_points": ("{change} poin sejak {date}", "{change} pts since {date}"),
    "rv.since": ("Dibandingkan dengan data per", "Compared with data as of"),
    "rv.since_previous": ("Tinjauan sebelumnya ({date})", "Previous review ({date})"),
    "rv.weeks": ("Tidak bergerak selama (minggu)", "Stalled for (weeks)"),
    "rv.weeks_help": (
        "Aksi yang belum selesai dan realisasi maupun realisasi anggarannya sama dengan data sekian minggu sebelumnya.",
        "Actions not done whose actual and budget spent are the same as that many weeks before.",
    ),
    "rv.compared": ("Data per {as_of} dibandingkan dengan data per {since}; tidak bergerak: sama dengan data per {base}.",
                    "Data as of {as_of} compared with {since}; stalled: the same as on {base}."),
    "rv.no_previous": ("Belum ada data sebelum {date} untuk dibandingkan.", "No data before {date} to compare with."),
    "rv.not_reported": ("OPD yang belum melapor", "Agencies that have not reported"),
    "rv.not_reported_metric": ("OPD belum melapor", "Agencies not reported"),
    "rv.reminder": ("Pesan pengingat, siap disalin ke WhatsApp atau e-mail", "Reminder, ready to copy into WhatsApp or e-mail"),
    "rv.counts": ("Sejak tinjauan sebelumnya", "Since the previous review"),
    "rv.kind.slipped_late": ("Menjadi terlambat", "Slipped to late"),
    "rv.kind.slipped_at_risk": ("Memburuk", "Got worse"),
    "rv.kind.removed": ("Dihapus dari rencana", "Removed"),
    "rv.kind.stalled": ("Tidak bergerak", "Stalled"),
    "rv.kind.new": ("Aksi baru", "New"),
    "rv.kind.completed": ("Selesai", "Completed"),
    "rv.kind.improved": ("Membaik", "Improved"),
    "rv.kind.moved": ("Angka berubah", "Numbers moved"),
    "rv.changes": ("Perubahan per OPD, kabar terburuk lebih dulu", "Changes per agency, worst news first"),
    "rv.no_changes": ("Tidak ada perubahan.", "No changes."),
    "rv.missing": ("Aksi merah tanpa kendala atau tindak lanjut", "Red actions without obstacle or follow-up"),
    "rv.missing_metric": ("Merah tanpa alasan", "Red, no reasons"),
    "rv.missing_help": (
        "Aksi terlambat atau perlu perhatian yang belum berisi faktor penghambat (kendala) atau tindak lanjut.",
        "Late or at-risk actions with no obstacle (faktor penghambat) or follow-up (tindak lanjut) filled in.",
    ),
    "rv.missing_none": ("Semua aksi terlambat dan perlu perhatian sudah berisi kendala dan tindak lanjut.",
                        "Every late and at-risk action has an obstacle and a follow-up."),
    "rv.missing.obstacle": ("kendala", "obstacle"),
    "rv.missing.follow_up": ("tindak lanjut", "follow-up"),
    "rv.corrections": ("Koreksi", "Corrections"),
    "rv.corrections_metric": ("Koreksi", "Corrections"),
    "rv.corrections_help": (
        "Data yang dikirim ulang untuk tanggal yang sudah dilaporkan. Kedua nilai disimpan; halaman memakai yang terbaru.",
        "Data sent again for a date already reported. Both values are kept; the pages use the later one.",
    ),
    "rv.corrections_none": ("Tidak ada koreksi.", "No corrections."),
    "rv.decisions_last": ("Keputusan tinjauan {date} dan tindak lanjutnya", "Decisions of the review of {date} and their follow-up"),
    "rv.decisions_previous": ("Keputusan tinjauan sebelumnya", "Decisions of the previous review"),
    "rv.decisions_last_none": ("Belum ada keputusan dari tinjauan sebelumnya.", "No decisions from an earlier review."),
    "rv.decisions_now": ("Keputusan tinjauan ini ({date})", "This review's decisions ({date})"),
    "rv.decisions_now_none": ("Belum ada keputusan untuk tinjauan ini.", "No decisions for this review yet."),
    "rv.decision_add": ("Catat keputusan", "Record a decision"),
    "rv.decision_agency": ("OPD", "Agency"),
    "rv.decision_agency_pick": ("(pilih OPD)", "(choose an agency)"),
    "rv.decision_action": ("Aksi (opsional)", "Action (optional)"),
    "rv.decision_action_none": ("(seluruh OPD)", "(the whole agency)"),
    "rv.decision_text": ("Keputusan", "Decision"),
    "rv.decision_due": ("Tenggat (opsional)", "Due date (optional)"),
    "rv.decision_save": ("Simpan keputusan", "Save decision"),
    "rv.decision_saved": ("Keputusan #{id} disimpan.", "Decision #{id} saved."),
    "rv.decision_no_agency": ("Pilih OPD untuk keputusan ini.", "Choose the agency of this decision."),
    "rv.decision_admins": ("Keputusan dicatat oleh admin Bapelitbangda.", "Decisions are recorded by the Bapelitbangda admins."),
    "rv.follow_up": ("Catat tindak lanjut", "Record follow-up"),
    "rv.follow_up_pick": ("Keputusan", "Decision"),
    "rv.follow_up_done": ("Sudah dilaksanakan", "Carried out"),
    "rv.follow_up_note": ("Catatan tindak lanjut", "Follow-up note"),
    "rv.follow_up_save": ("Simpan tindak lanjut", "Save follow-up"),
    "rv.follow_up_saved": ("Tindak lanjut keputusan #{id} disimpan.", "Follow-up of decision #{id} saved."),
    "rv.follow_up_nobody": ("Tindak lanjut dicatat oleh editor OPD yang bersangkutan atau admin.",
                            "Follow-up is recorded by the agency's editors or an admin."),
    "rv.done.true": ("Sudah", "Done"),
    "rv.done.false": ("Belum", "Not yet"),
    "rv.history": ("Riwayat", "History"),
    "rv.history_by": ("Rincian", "Break down"),
    "rv.by.all": ("Keseluruhan", "Overall"),
    "rv.by.pillar": ("Per pilar", "By pillar"),
    "rv.by.agency": ("Per OPD", "By agency"),
    "rv.tab.achievement": ("Capaian", "Achievement"),
    "rv.tab.absorption": ("Serapan anggaran", "Budget absorption"),
    "rv.tab.status": ("Status aksi", "Action status"),
    "rv.history_one_date": ("Riwayat tampil setelah ada data lebih dari satu tanggal.",
                            "The history shows once there is data for more than one date."),
    "rv.col.kind": ("Perubahan", "Change"),
    "rv.col.status_after": ("Status kini", "Status now"),
    "rv.col.actual": ("Realisasi", "Actual"),
    "rv.col.spent": ("Realisasi anggaran", "Budget spent"),
    "rv.col.missing": ("Belum diisi", "Missing"),
    "rv.col.decision": ("Keputusan", "Decision"),
    "rv.col.action": ("Aksi", "Action"),
    "rv.col.decided_by": ("Diputuskan oleh", "Decided by"),
    "rv.col.done": ("Ditindaklanjuti", "Followed up"),
    "rv.col.follow_up_note": ("Catatan tindak lanjut", "Follow-up note"),
    "rv.col.followed_up_by": ("Oleh", "By"),
    "rv.col.corrected_at": ("Dikoreksi pada", "Corrected at"),
    "rv.col.corrected_by": ("Dikoreksi oleh", "Corrected by"),
    "ag.missing_reasons": (
        "{n} aksi terlambat atau perlu perhatian belum berisi kendala (faktor penghambat) atau tindak lanjut.",
        "{n} late or at-risk actions have no obstacle (faktor penghambat) or follow-up.",
    ),
})

# Pengaturan (admin): KPI definitions and the agency registry (smartcity.registry_admin), and their audit rows.
UI.update({
    "page.settings": ("Pengaturan", "Settings"),
    "set.intro": (
        "Ubah target, ambang warna, tanda publik dan nama KPI, serta daftar OPD. Setiap perubahan dicatat di Jejak Audit.",
        "Change the KPIs' targets, colour thresholds, public flag and names, and the agency registry. Every change is recorded in the Audit Trail.",
    ),
    "set.tab_kpi": ("Definisi KPI", "KPI definitions"),
    "set.tab_agency": ("Daftar OPD", "Agency registry"),
    "set.col.kpi_id": ("Kode", "Id"),
    "set.col.name": ("Nama", "Name"),
    "set.col.formula": ("Rumus", "Formula"),
    "set.col.unit": ("Satuan", "Unit"),
    "set.col.direction": ("Arah", "Direction"),
    "set.col.target": ("Target", "Target"),
    "set.col.thresholds": ("Ambang warna", "Colour thresholds"),
    "set.col.public": ("Publik", "Public"),
    "set.col.changed": ("Diubah di aplikasi", "Changed in the app"),
    "set.col.code": ("Kode", "Code"),
    "set.col.agency_name": ("Nama OPD", "Agency name"),
    "set.col.short_name": ("Nama singkat", "Short name"),
    "set.col.aliases": ("Nama lain", "Aliases"),
    "set.changed_yes": ("ya", "yes"),
    "set.changed_no": ("tidak (sesuai berkas)", "no (as in the file)"),
    "set.rule_higher": ("Hijau bila ≥ {green}, kuning bila ≥ {amber}, selain itu merah",
                        "Green when ≥ {green}, amber when ≥ {amber}, otherwise red"),
    "set.rule_lower": ("Hijau bila ≤ {green}, kuning bila ≤ {amber}, selain itu merah",
                       "Green when ≤ {green}, amber when ≤ {amber}, otherwise red"),
    "set.rule_none": ("Tanpa ambang warna", "No colour thresholds"),
    "set.kpi_fixed": ("Rumus, satuan dan arah KPI ditetapkan di kpi_definitions.yaml dan tidak diubah di sini.",
                      "A KPI's formula, unit and direction are set in kpi_definitions.yaml and are not changed here."),
    "set.kpi_pick": ("KPI yang diubah", "KPI to change"),
    "set.kpi_target": ("Target", "Target"),
    "set.kpi_green": ("Ambang hijau", "Green threshold"),
    "set.kpi_amber": ("Ambang kuning", "Amber threshold"),
    "set.kpi_numbers_help": ("Dalam satuan KPI (persen ditulis 0–100). Kosongkan untuk menghapus.",
                             "In the KPI's unit (percent as 0–100). Leave empty to remove."),
    "set.kpi_public": ("Tampil di halaman Publik", "Shown on the Public page"),
    "set.kpi_name_id": ("Nama (Bahasa Indonesia)", "Name (Bahasa Indonesia)"),
    "set.kpi_name_en": ("Nama (English)", "Name (English)"),
    "set.kpi_save": ("Simpan KPI", "Save KPI"),
    "set.kpi_saved": ("KPI {kpi} disimpan dan dihitung ulang.", "KPI {kpi} saved and recomputed."),
    "set.agency_add_heading": ("Tambah OPD", "Add an agency"),
    "set.agency_edit_heading": ("Ubah OPD", "Edit an agency"),
    "set.agency_code": ("Kode OPD", "Agency code"),
    "set.agency_code_help": ("Huruf besar tanpa spasi, mis. BPBD. Kode tidak dapat diubah kemudian.",
                             "Capital letters without spaces, e.g. BPBD. The code cannot be changed later."),
    "set.agency_name": ("Nama lengkap", "Full name"),
    "set.agency_short": ("Nama singkat", "Short name"),
    "set.agency_aliases": ("Nama lain (satu per baris)", "Aliases (one per line)"),
    "set.agency_aliases_help": ("Cara lain OPD ini ditulis di berkas, agar unggahan mengenalinya.",
                                "Other ways the agency is written in files, so uploads recognise it."),
    "set.agency_add": ("Tambah OPD", "Add agency"),
    "set.agency_added": ("OPD {code} ditambahkan.", "Agency {code} added."),
    "set.agency_pick": ("OPD yang diubah", "Agency to edit"),
    "set.agency_save": ("Simpan OPD", "Save agency"),
    "set.agency_saved": ("OPD {code} disimpan.", "Agency {code} saved."),
    "set.error": ("Perubahan tidak dapat disimpan.", "The change cannot be saved."),
    "set.kpi_unknown": ("KPI '{kpi}' tidak ada di kpi_definitions.yaml.", "KPI '{kpi}' is not in kpi_definitions.yaml."),
    "set.kpi_field_fixed": ("KPI {kpi}: {fields} tidak dapat diubah di aplikasi; yang dapat: {allowed}.",
                            "KPI {kpi}: {fields} cannot be changed in the app; these can: {allowed}."),
    "set.kpi_not_number": ("KPI {kpi}: {field} harus berupa angka, bukan '{value}'.",
                           "KPI {kpi}: {field} must be a number, not '{value}'."),
    "set.kpi_thresholds_both": ("KPI {kpi}: isi ambang hijau dan kuning, atau kosongkan keduanya.",
                                "KPI {kpi}: give both the green and the amber threshold, or neither."),
    "set.kpi_order_higher": ("KPI {kpi} makin tinggi makin baik: ambang hijau harus ≥ ambang kuning.",
                             "KPI {kpi} is higher-is-better: the green threshold must be ≥ the amber one."),
    "set.kpi_order_lower": ("KPI {kpi} makin rendah makin baik: ambang hijau harus ≤ ambang kuning.",
                            "KPI {kpi} is lower-is-better: the green threshold must be ≤ the amber one."),
    "set.name_empty": ("Nama tidak boleh kosong.", "A name cannot be empty."),
    "set.name_too_long": ("Nama paling panjang {limit} karakter.", "A name is at most {limit} characters."),
    "set.too_many_aliases": ("Paling banyak {limit} nama lain.", "At most {limit} aliases."),
    "set.agency_bad_code": ("Kode OPD '{code}' tidak sah: 2–30 huruf besar, angka, _ atau -, diawali huruf.",
                            "Agency code '{code}' is not valid: 2–30 capital letters, digits, _ or -, starting with a letter."),
    "set.agency_exists": ("Kode {code} sudah dipakai oleh {name}.", "Code {code} is already used by {name}."),
    "set.agency_unknown": ("OPD {code} tidak dikenal.", "Agency {code} is not known."),
    "set.agency_spelling_taken": ("'{name}' sudah menjadi nama {other}.", "'{name}' is already a name of {other}."),
    "au.kind.kpi_change": ("Definisi KPI diubah", "KPI definition changed"),
    "au.kind.agency_add": ("OPD ditambah", "Agency added"),
    "au.kind.agency_change": ("OPD diubah", "Agency edited"),
    "audit.field.green": ("Ambang hijau", "Green threshold"),
    "audit.field.amber": ("Ambang kuning", "Amber threshold"),
    "audit.field.public": ("Publik", "Public"),
    "audit.field.name_id": ("Nama (ID)", "Name (ID)"),
    "audit.field.name_en": ("Nama (EN)", "Name (EN)"),
    "audit.field.name": ("Nama", "Name"),
    "audit.field.short_name": ("Nama singkat", "Short name"),
    "audit.field.aliases": ("Nama lain", "Aliases"),
})

# Marking an action public (smartcity.publication): its notes then show on the Publik page.
UI.update({
    "pubmark.toggle": ("Tampilkan keterangan aksi ini di halaman Publik",
                       "Show this action's notes on the Public page"),
    "pubmark.help": (
        "Hanya admin. Setelah aksi selesai, keterangannya tampil di halaman Publik. Nama penanggung jawab, "
        "kendala dan tindak lanjut tidak pernah ditampilkan.",
        "Admins only. Once the action is done, its notes are shown on the Public page. The owner's name, "
        "obstacles and follow-ups are never shown.",
    ),
    "pubmark.marked": ("Keterangan aksi {code} kini publik.", "The notes of action {code} are now public."),
    "pubmark.unmarked": ("Keterangan aksi {code} tidak lagi publik.", "The notes of action {code} are no longer public."),
    "pubmark.unknown_action": ("Aksi {action} tidak ada.", "Action {action} does not exist."),
    "pubmark.note": ("Keterangan: {note}", "Notes: {note}"),
    "au.kind.action_public": ("Tanda publik aksi diubah", "Action marked public or not"),
})

# An action's trend inside its year (smartcity.quarters, ui.widgets.quarter_chart).
UI.update({
    "aq.title": ("Realisasi per triwulan", "Realisation per quarter"),
    "aq.kinerja": ("Kinerja (K)", "Performance (K)"),
    "aq.kinerja_unit": ("Kinerja (K, {unit})", "Performance (K, {unit})"),
    "aq.rupiah": ("Realisasi anggaran (Rp)", "Budget spent (Rp)"),
    "aq.quarter.1": ("TW I", "Q1"),
    "aq.quarter.2": ("TW II", "Q2"),
    "aq.quarter.3": ("TW III", "Q3"),
    "aq.quarter.4": ("TW IV", "Q4"),
    "aq.rule.sum": ("Realisasi tahun berjalan = jumlah keempat triwulan; realisasi anggaran = jumlah Rp per triwulan.",
                    "The year's actual = the sum of the quarters; budget spent = the sum of the quarters' Rp."),
    "aq.rule.latest": ("Realisasi tahun berjalan = triwulan terakhir yang dilaporkan (indikator tingkat atau kumulatif); "
                       "realisasi anggaran = jumlah Rp per triwulan.",
                       "The year's actual = the latest quarter reported (a level or cumulative indicator); "
                       "budget spent = the sum of the quarters' Rp."),
    "aq.target": ("Target tahun ini: {target}", "This year's target: {target}"),
    "aq.budget": ("Pagu: {budget}", "Budget: {budget}"),
})
