"""Browser edits and spreadsheet uploads never erase each other (issue 5, point 4), and evidence over
the size limit is refused (point 3).

Dinas Kesehatan uploads A-01 at 40 on 30 Sep; its editor types 55 (with an obstacle) on 7 Oct; then the
agency's spreadsheet for 7 Oct arrives with 60. All three snapshots stay in the history.
"""
from __future__ import annotations

from datetime import date

import pytest

from smartcity import pipeline
from smartcity.auth import Actor
from smartcity.progress import MAX_EVIDENCE_MB, ProgressEdit, _check_evidence, save_edits
from smartcity.store import open_store
from tests.storefix import state

D1, D2 = date(2024, 9, 30), date(2024, 10, 7)
DINKES_EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))
HEADER = "Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Tanggal Mulai;Tanggal Selesai"
LIMIT = MAX_EVIDENCE_MB * 1024 * 1024


def dinkes_file(actual: int) -> bytes:
    return "\n".join([HEADER, f"A-01;Kolaborasi;Dinas Kesehatan;Posyandu digital;100;{actual};01/01/2024;31/12/2024"]
                     ).encode()


@pytest.fixture
def store(tmp_db):
    s = open_store(tmp_db)
    assert pipeline.load_file(s, dinkes_file(40), "dinkes-30sep.csv", D1, DINKES_EDITOR).status == "loaded"
    yield s
    s.close()


def browser_edit(store, values: dict, evidence=None):
    a01 = state(store, D1)["A-01"]
    return save_edits(store, DINKES_EDITOR, [ProgressEdit(int(a01["action_id"]), int(a01["progress_id"]), values,
                                                          evidence=evidence)], D2)


def history(store) -> list[tuple]:
    cur = store.cursor()
    try:
        return cur.execute(
            """SELECT p.as_of, p.source, p.actual, p.obstacle, p.recorded_by FROM progress p
               JOIN actions a ON a.id = p.action_id WHERE a.action_code = 'A-01' ORDER BY p.id""").fetchall()
    finally:
        cur.close()


def test_an_upload_after_a_browser_edit_keeps_both_in_history(store):
    [edit] = browser_edit(store, {"actual": 55, "obstacle": "Sinyal lemah di desa"})
    assert edit.status == "saved"
    upload = pipeline.load_file(store, dinkes_file(60), "dinkes-7okt.csv", D2, DINKES_EDITOR)
    assert upload.status == "loaded"
    assert history(store) == [
        (D1, "upload", 40.0, None, "dinkes"),
        (D2, "edit", 55.0, "Sinyal lemah di desa", "dinkes"),     # the browser edit, untouched
        (D2, "upload", 60.0, None, "dinkes"),
    ]
    assert state(store, D2)["A-01"]["actual"] == 60.0               # the latest recorded is the state now
    kinds = list(store.query_df("SELECT action FROM audit_log WHERE action IN ('upload', 'progress_edit') "
                                "ORDER BY id")["action"])
    assert kinds == ["upload", "progress_edit", "upload"]


def test_an_older_spreadsheet_uploaded_later_leaves_the_browser_edit_in_force(store):
    browser_edit(store, {"actual": 55})
    assert pipeline.load_file(store, dinkes_file(45), "dinkes-30sep-lagi.csv", D1, DINKES_EDITOR).status == "loaded"
    assert [row[1:3] for row in history(store)] == [("upload", 40.0), ("edit", 55.0), ("upload", 45.0)]
    assert state(store, D2)["A-01"]["actual"] == 55.0


def test_evidence_over_the_size_limit_is_refused():
    assert _check_evidence("scan.pdf", b"%PDF" + bytes(LIMIT - 4)) == []          # exactly the limit: accepted
    [problem] = _check_evidence("scan.pdf", b"%PDF" + bytes(LIMIT - 3))            # one byte more
    assert problem.key == "edit.evidence_too_large"
    assert problem.message("id") == f"Bukti scan.pdf terlalu besar; batasnya {MAX_EVIDENCE_MB} MB."


def test_an_update_with_too_large_evidence_saves_nothing(store):
    before = history(store)
    [out] = browser_edit(store, {"actual": 55}, evidence=("foto.png", b"\x89PNG" + bytes(LIMIT)))
    assert out.status == "invalid" and [p.key for p in out.problems] == ["edit.evidence_too_large"]
    assert history(store) == before
    assert store.query_one("SELECT count(*) FROM evidence")[0] == 0
