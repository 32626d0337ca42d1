"""A child process for the crash tests: ingests generated files one after another and prints
'ACK <upload_id> <sha256>' after each load_file returns (the moment an upload is acknowledged).

Usage: python -m tests.reliability.ingest_worker DB START COUNT [--fsize BYTES]
"""
from __future__ import annotations

import hashlib
import resource
import signal
import sys
from datetime import date, timedelta


def file_for(i: int) -> bytes:
    """A small valid action-plan CSV, different for each i (so none is a duplicate)."""
    rows = ["Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Pagu Anggaran;Realisasi Anggaran"]
    for k in range(20):
        rows.append(f"A-{k:02d};Integrasi;Dinas Kesehatan;Aksi {k};100;{(i * 7 + k) % 100};Rp 1.000.000;{i * 1000 + k}")
    return "\n".join(rows).encode()


def main() -> int:
    db, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if "--fsize" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--fsize") + 1])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # a write past the limit fails instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from smartcity.errors import StoreError
    from smartcity.pipeline import load_file
    from smartcity.store import open_store

    store = open_store(db)
    # Checkpoint at (nearly) every commit, so kills land inside checkpoints too.
    store.cursor().execute("SET checkpoint_threshold = '1KB'")
    print("READY", flush=True)
    for i in range(start, start + count):
        content = file_for(i)
        try:
            out = load_file(store, content, f"w{i}.csv", date(2024, 1, 1) + timedelta(days=i % 5))
        except StoreError as e:
            print("ERROR", e.message("en").replace("\n", " "), flush=True)
            return 3
        print("ACK", out.upload_id, hashlib.sha256(content).hexdigest(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
