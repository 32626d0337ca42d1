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
