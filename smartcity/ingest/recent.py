"""The reading worker's answers to a preview, kept for the load that follows it.

The upload page previews a file, then loads it; both read the file in a worker process
(smartcity.ingest.isolate). The load takes the preview's reading, and lets it go, instead of reading
the file again (the 100,000-row file: ~1.5 s of its ~2.5 s).

    key = RECENT.key(name, args, kwargs, settings)
    answer = RECENT.get(key, let_go=True)     # None: read the file
    RECENT.put(key, answer)                   # a preview's answer, for its load
"""
from __future__ import annotations

import hashlib
import pickle
import threading
import time

RECENT_READS = 2
RECENT_READ_MB = 64
RECENT_READ_S = 30 * 60
_MB = 1024 * 1024


class RecentReads:
    """The last few answers of the reading worker to a preview, by everything the worker was given.

    The key is a digest of the call (the file's bytes, its name, the agency registry and the column
    profile) and of the worker's settings: any difference reads the file afresh, and reading is
    deterministic, so a kept answer is the answer a new worker would give. Only answers of a worker
    that ended normally are kept (a timeout depends on the machine's load); an answer is raw bytes,
    read back into new objects each time (the caller may change them). A load's own reading is not
    kept: the same bytes loaded again are a duplicate, and holding them would add to the memory of
    the write and recompute that follow. At most RECENT_READS answers and RECENT_READ_MB in all are
    kept, each for RECENT_READ_S seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._answers: dict[bytes, tuple[float, bytes]] = {}   # key -> (when kept, answer), oldest first

    @staticmethod
    def key(name: str, args: tuple, kwargs: dict, settings: tuple) -> bytes | None:
        digest = hashlib.sha256()
        rest = []
        for arg in args:  # the file's bytes hashed as they are (pickling them would copy them first)
            if isinstance(arg, bytes):
                digest.update(len(arg).to_bytes(8, "little"))
                digest.update(arg)
                rest.append(bytes)
            else:
                rest.append(arg)
        try:
            digest.update(pickle.dumps((name, rest, kwargs, settings), protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - an argument that does not pickle fails in the worker's pipe too
            return None
        return digest.digest()

    def get(self, key: bytes | None, let_go: bool = False) -> bytes | None:
        """The answer kept under `key`, or None; `let_go`: no longer kept (a load takes it)."""
        if key is None:
            return None
        with self._lock:
            self._expire()
            kept = self._answers.pop(key, None) if let_go else self._answers.get(key)
            return kept[1] if kept else None

    def put(self, key: bytes | None, answer: bytes) -> None:
        if key is None or len(answer) > RECENT_READ_MB * _MB:
            return
        with self._lock:
            self._answers.pop(key, None)
            self._answers[key] = (time.monotonic(), answer)
            self._expire()
            while (len(self._answers) > RECENT_READS
                   or sum(len(a) for _t, a in self._answers.values()) > RECENT_READ_MB * _MB):
                del self._answers[next(iter(self._answers))]

    def __bool__(self) -> bool:
        """Whether any answer is kept."""
        with self._lock:
            return bool(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, (when, _a) in self._answers.items() if now - when > RECENT_READ_S]:
            del self._answers[key]


RECENT = RecentReads()
