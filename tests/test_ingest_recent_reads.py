"""A file previewed and then loaded is read once (smartcity.ingest.recent): the load takes
the preview's reading, unless something the reading depends on has changed in between."""
from __future__ import annotations

from datetime import date

import pytest

from smartcity.auth import Actor
from smartcity.ingest import isolate, recent
from smartcity.mappings import map_agency_alias
from smartcity.pipeline import load_file, preview_file

W1 = date(2024, 9, 30)
ADMIN = Actor("admin", "admin")
# Row 2 loads; row 3 names an agency nobody knows yet; row 4 has a target that is not a number.
FILE = "\n".join([
    "Kode;Pilar;OPD;Kegiatan;Target;Realisasi",
    "K-01;Integrasi;Diskominfo;Satu Data Kotim;100;40",
    "K-02;Integrasi;Kominfo Sampit Baru;Portal layanan terpadu;10;2",
    "K-03;Kolaborasi;Diskominfo;Hackathon;empat;1",
]).encode()


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """One entry per file a reading worker was taken for."""
    taken: list[int] = []
    take = isolate._SPARE.take

    def counting(memory):
        taken.append(memory)
        return take(memory)

    monkeypatch.setattr(isolate._SPARE, "take", counting)
    return taken


def test_loading_a_file_after_its_preview_does_not_read_it_again(store, reads):
    preview = preview_file(store, FILE, "renaksi.csv", W1)
    assert (preview.outcome.status, preview.outcome.rows_loaded, preview.outcome.rows_rejected) == ("preview", 1, 2)
    loaded = load_file(store, FILE, "renaksi.csv", W1)
    assert len(reads) == 1                                         # the preview's reading, and no other
    # The load is what the preview showed: the same row kept, the same two rows rejected with their reasons.
    assert (loaded.status, loaded.rows_loaded, loaded.rows_rejected) == ("loaded", 1, 2)
    assert [(p.row, p.column) for p in loaded.problems] == [(p.row, p.column) for p in preview.outcome.problems]
    assert store.query_one("SELECT list(action_code ORDER BY action_code) FROM actions")[0] == ["K-01"]
    assert store.query_one("SELECT list(row_number ORDER BY row_number) FROM rejected_rows")[0] == [3, 4]


def test_a_reading_is_kept_by_a_preview_and_let_go_by_the_load(store, reads):
    # A load does not keep its reading (the same bytes again are a duplicate; the memory is better spent on
    # the write and the KPI recompute), and the load that takes a preview's reading lets it go.
    load_file(store, FILE, "renaksi.csv", W1)
    assert recent.RECENT._answers == {}
    other = FILE.replace(b"K-01", b"K-09")
    preview_file(store, other, "lain.csv", W1)
    load_file(store, other, "lain.csv", W1)
    assert recent.RECENT._answers == {}
    assert len(reads) == 2                       # renaksi.csv's load, lain.csv's preview


def test_a_kept_reading_is_read_back_into_new_rows_each_time(store, reads):
    # The pipeline changes the rows it is given (pillars assigned, rows held for a pillar): a second
    # preview must not see what the first one changed.
    first = preview_file(store, FILE, "renaksi.csv", W1).outcome.result
    first.actions[0].values["code"] = "changed by the first caller"
    second = preview_file(store, FILE, "renaksi.csv", W1).outcome.result
    assert len(reads) == 1
    assert [row.values["code"] for row in second.actions] == ["K-01"]


def test_a_file_is_read_again_once_an_admin_has_mapped_an_agency_name(store, reads):
    preview = preview_file(store, FILE, "renaksi.csv", W1)
    assert preview.outcome.rows_loaded == 1
    map_agency_alias(store, ADMIN, "Kominfo Sampit Baru", "DISKOMINFO")   # the registry the reading uses changes
    loaded = load_file(store, FILE, "renaksi.csv", W1)
    assert len(reads) == 2
    assert (loaded.rows_loaded, loaded.rows_rejected) == (2, 1)           # K-02 now loads; K-03 is still bad


def test_a_file_under_another_name_is_read_again(store, reads):
    # The file's name is in every message ("renaksi.csv, baris 4 ..."): another name is another reading.
    preview_file(store, FILE, "renaksi.csv", W1)
    loaded = load_file(store, FILE, "salinan.csv", W1)
    assert len(reads) == 2
    assert {p.file for p in loaded.problems} == {"salinan.csv"}


def test_few_readings_are_kept_and_none_for_long(monkeypatch):
    kept = recent.RecentReads()
    clock = [1000.0]
    monkeypatch.setattr(recent.time, "monotonic", lambda: clock[0])
    for key in (b"a", b"b", b"c"):
        kept.put(key, b"answer " + key)
    assert [kept.get(k) for k in (b"a", b"b", b"c")] == [None, b"answer b", b"answer c"]   # RECENT_READS = 2
    assert (kept.get(b"b", let_go=True), kept.get(b"b")) == (b"answer b", None)           # taken: let go
    clock[0] += recent.RECENT_READ_S + 1
    assert kept.get(b"c") is None                                                          # too old
    kept.put(b"big", b"x" * (recent.RECENT_READ_MB * 1024 * 1024 + 1))
    assert kept.get(b"big") is None                                                        # too large to keep
