"""Messages about the system itself: the store, permissions, uploads as a whole."""

SYSTEM: dict[str, tuple[str, str]] = {
    "err.store": ("Basis data tidak dapat menyelesaikan permintaan: {detail}", "The database could not complete the request: {detail}"),
    "err.store_busy": ("Basis data sedang dipakai proses lain; coba lagi sebentar lagi.", "The database is in use by another process; try again shortly."),
    "err.permission": ("Pengguna {user} tidak berhak mengubah data OPD: {agencies}.", "User {user} may not change data of agency: {agencies}."),
    "err.permission_admin": ("Hanya admin yang boleh melakukan ini (pengguna {user}).", "Only an admin may do this (user {user})."),
    "err.kpi_invalid": ("Definisi KPI tidak valid:\n{problems}", "Invalid KPI definitions:\n{problems}"),
    "err.file_too_large": ("Berkas {file} berukuran {size_mb} MB; batasnya {limit_mb} MB.", "File {file} is {size_mb} MB; the limit is {limit_mb} MB."),
    "err.duplicate_upload": ("Berkas ini sudah pernah diunggah (unggahan #{upload_id}, {when}); tidak ada yang diubah.", "This file was already uploaded (upload #{upload_id}, {when}); nothing was changed."),
    "err.file_unreadable": ("Berkas {file} tidak dapat dibaca: {detail}", "File {file} cannot be read: {detail}"),
    "cli.busy_waiting": ("Basis data sedang dibuka oleh dasbor; menunggu hingga {seconds} detik...",
                         "The database is open in the dashboard; waiting up to {seconds} seconds..."),
    "cli.queued": ("Basis data masih dipakai dasbor. Berkas diantrekan di {folder} dan akan dimuat dasbor pada "
                   "pemuatan halaman berikutnya; hasilnya tampil di Unggah Data dan di {folder}/done.",
                   "The database is still in use by the dashboard. The files are queued in {folder} and the "
                   "dashboard loads them on its next page run; the results show in Unggah Data and in {folder}/done."),
    "inbox.loaded": ("Berkas antrean dimuat: {file} ({status}, {loaded} baris dimuat, {rejected} ditolak)",
                     "Queued file loaded: {file} ({status}, {loaded} rows loaded, {rejected} rejected)"),
}

SYSTEM.update({
    "err.backup_exists": ("Folder cadangan {path} sudah berisi; pilih folder baru.", "Backup folder {path} is not empty; choose a new folder."),
    "err.restore_target_exists": ("Basis data {path} sudah ada; pemulihan hanya ke lokasi kosong.", "Database {path} already exists; restore only into an empty location."),
    "err.backup_corrupt": ("Cadangan rusak atau tidak lengkap: {path}", "The backup is damaged or incomplete: {path}"),
})

SYSTEM.update({
    "err.row.pillar_missing": (
        "Pilar aksi ini tidak disebut (tidak ada kolom Pilar, baris bagian 'A. PILAR ...', atau nama lembar pilar); isi Integrasi, Kolaborasi atau Keberlanjutan.",
        "This action's pillar is not given (no Pillar column, no 'A. PILAR ...' section row, no pillar sheet name); fill in Integration, Collaboration or Sustainability."),
})
