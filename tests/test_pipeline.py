"""Loading files into the store: one transaction per file, snapshots never overwritten,
duplicates recognised, rejected files and rows kept, permission checked before writing."""
from datetime import date

import pytest

import smartcity.pipeline as pipeline
from smartcity.auth import Actor
from smartcity.errors import PermissionDenied
from smartcity.pipeline import load_file, preview_file
from smartcity.report import summary_report

W1, W2 = date(2024, 9, 30), date(2024, 10, 7)
HEADER = "Kode;Pilar;OPD;Kegiatan;Indikator;Satuan;Target;Realisasi;Pagu Anggaran;Realisasi Anggaran;Tanggal Mulai;Tanggal Selesai"


def csv(*rows: str) -> bytes:
    """A semicolon CSV in the canonical template, with a title row above the header."""
    return "\n".join(["RENCANA AKSI SMART CITY KABUPATEN KOTAWARINGIN TIMUR TAHUN 2024", HEADER, *rows]).encode("utf-8")


# Week 1: two Diskominfo actions and one DLH action.
# K-01: 40 of 100, budget Rp 1.250.000.000 spent Rp 500.000.000
# K-02: 10 of 10 (done), budget Rp 50.000.000 spent Rp 50.000.000
# L-01: 2 of 10, budget Rp 200.000.000 spent Rp 0
WEEK1 = csv(
    "K-01;Integrasi;Diskominfo;Satu Data Kotim;Dataset terbit;dataset;100;40;Rp 1.250.000.000;Rp 500.000.000;01/01/2024;31/12/2024",
    "K-02;Kolaborasi;DISKOMINFO KOTIM;Hackathon layanan publik;Tim peserta;tim;10;10;Rp 50.000.000;Rp 50.000.000;01/02/2024;30/06/2024",
    "L-01;Keberlanjutan;Dinas Lingkungan Hidup;Bank sampah digital;Unit aktif;unit;10;2;Rp 200.000.000;0;01/01/2024;31/12/2024",
)


def _count(store, table):
    return store.query_one(f"SELECT count(*) FROM {table}")[0]


def test_a_file_loads_as_a_snapshot_with_its_totals(store):
    out = load_file(store, WEEK1, "minggu1.csv", W1)
    assert (out.status, out.rows_loaded, out.rows_rejected) == ("loaded", 3, 0)
    report = summary_report(store, W1)
    assert report["actions"] == 3 and report["agencies"] == 2
    # 1.250.000.000 + 50.000.000 + 200.000.000 = 1.500.000.000; spent 500.000.000 + 50.000.000 = 550.000.000
    assert report["budget"] == 1_500_000_000 and report["budget_spent"] == 550_000_000
    assert report["pillars"]["collaboration"]["status"]["done"] == 1


def test_the_uploaded_bytes_are_kept_by_hash(store):
    out = load_file(store, WEEK1, "minggu1.csv", W1)
    stored = store.query_one("SELECT u.sha256, f.content FROM uploads u JOIN upload_files f USING (sha256) WHERE u.id = ?",
                             [out.upload_id])
    assert bytes(stored[1]) == WEEK1


def test_a_new_upload_adds_a_snapshot_and_keeps_the_old_one(store):
    load_file(store, WEEK1, "minggu1.csv", W1)
    week2 = WEEK1.replace(b";100;40;", b";100;70;")
    assert load_file(store, week2, "minggu2.csv", W2).status == "loaded"
    assert _count(store, "progress") == 6 and _count(store, "actions") == 3
    actual = "SELECT actual FROM action_state(?::DATE) WHERE action_code = 'K-01'"
    assert store.query_one(actual, [W1])[0] == 40
    assert store.query_one(actual, [W2])[0] == 70


def test_the_same_bytes_again_are_a_duplicate_and_change_nothing(store):
    load_file(store, WEEK1, "minggu1.csv", W1)
    before = [_count(store, t) for t in ("uploads", "progress", "upload_files")]
    version = store.data_version()
    out = load_file(store, WEEK1, "salinan.csv", W2)
    assert out.status == "duplicate"
    assert [_count(store, t) for t in ("uploads", "progress", "upload_files")] == before
    assert store.data_version() == version


def test_an_upload_is_all_or_nothing(store, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk gone mid-write")

    monkeypatch.setattr(pipeline, "_insert_actions", fail)
    with pytest.raises(RuntimeError):
        load_file(store, WEEK1, "minggu1.csv", W1)
    assert [_count(store, t) for t in ("uploads", "upload_files", "actions", "progress")] == [0, 0, 0, 0]


def test_bad_rows_are_rejected_kept_and_good_rows_still_load(store):
    content = csv(
        "K-01;Integrasi;Diskominfo;Satu Data Kotim;Dataset;dataset;100;40;Rp 1.000.000;0;01/01/2024;31/12/2024",
        "K-02;Integrasi;Diskominfo;Portal;Portal;unit;sepuluh;1;Rp 1.000.000;0;01/01/2024;31/12/2024",
    )
    out = load_file(store, content, "campur.csv", W1)
    assert (out.status, out.rows_loaded, out.rows_rejected) == ("loaded", 1, 1)
    problem = out.problems[0]
    assert (problem.row, problem.column) == (4, "Target")      # title row 1, header row 2, data rows 3 and 4
    rejected = store.query_df("SELECT * FROM rejected_rows")
    assert len(rejected) == 1 and "sepuluh" in rejected.loc[0, "raw"]


def test_a_file_that_is_not_a_spreadsheet_is_rejected_whole_and_kept(store):
    out = load_file(store, b"%PDF-1.4 bukan spreadsheet", "laporan.xlsx", W1)
    assert out.status == "rejected" and out.rows_loaded == 0 and out.problems
    assert _count(store, "progress") == 0
    assert store.query_one("SELECT status FROM uploads")[0] == "rejected"
    assert _count(store, "upload_files") == 1


def test_an_editor_cannot_upload_another_agencys_rows(store):
    editor = Actor("dinkes", "editor", frozenset({"DINKES"}))
    with pytest.raises(PermissionDenied):
        load_file(store, WEEK1, "minggu1.csv", W1, editor)
    assert _count(store, "uploads") == 0 and _count(store, "progress") == 0


def test_preview_shows_the_changes_and_writes_nothing(store):
    load_file(store, WEEK1, "minggu1.csv", W1)
    counts = [_count(store, t) for t in ("uploads", "progress", "actions", "audit_log")]
    week2 = csv(
        "K-01;Integrasi;Diskominfo;Satu Data Kotim;Dataset terbit;dataset;100;40;Rp 1.250.000.000;Rp 600.000.000;01/01/2024;31/12/2024",
        "K-03;Integrasi;Diskominfo;SPBE terpadu;Aplikasi;aplikasi;5;1;Rp 80.000.000;0;01/03/2024;31/12/2024",
    )
    preview = preview_file(store, week2, "minggu2.csv", W2)
    assert preview.outcome.status == "preview" and preview.outcome.rows_loaded == 2
    kinds = dict(zip(preview.changes["action_code"], preview.changes["kind"]))
    # K-02 left out of Diskominfo's new file: removed; K-03 new; K-01's spending moved. DLH is not in the file.
    assert kinds == {"K-01": "moved", "K-02": "removed", "K-03": "new"}
    assert [_count(store, t) for t in ("uploads", "progress", "actions", "audit_log")] == counts


def test_every_upload_is_audited(store):
    out = load_file(store, WEEK1, "minggu1.csv", W1)
    row = store.query_df("SELECT actor, action, entity_key FROM audit_log").to_dict("records")
    assert row == [{"actor": "system", "action": "upload", "entity_key": str(out.upload_id)}]


def test_an_action_without_a_pillar_is_kept_as_a_rejected_row(store):
    content = "\n".join([
        "Kode;OPD;Kegiatan;Target;Realisasi",
        "K-01;Diskominfo;Satu Data Kotim;100;40",
    ]).encode()
    out = load_file(store, content, "tanpa_pilar.csv", W1)
    assert (out.status, out.rows_loaded, out.rows_rejected) == ("loaded", 0, 1)
    assert "Pilar" in out.problems[0].message("id") and out.problems[0].row == 2
    raw = store.query_one("SELECT raw FROM rejected_rows")[0]
    assert "Satu Data Kotim" in raw


def test_file_names_with_paths_controls_or_great_length_are_stored_safely(store):
    from smartcity.pipeline import safe_file_name

    assert safe_file_name("../../etc/passwd.csv") == "passwd.csv"
    assert safe_file_name("C:\\\\Users\\\\x\\\\rencana.xlsx") == "rencana.xlsx"
    assert safe_file_name("a\u202egnp.xlsx") == "agnp.xlsx"                  # right-to-left override dropped
    long = safe_file_name("x" * 5000 + ".xlsx")
    assert len(long) <= 200 and long.endswith(".xlsx")
    out = load_file(store, WEEK1, "../../" + "r" * 3000 + ".csv", W1)
    assert out.status == "loaded"
    stored = store.query_one("SELECT file_name FROM uploads")[0]
    assert "/" not in stored and len(stored) <= 200
