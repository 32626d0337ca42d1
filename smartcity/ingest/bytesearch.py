"""Whether a regular expression matches in a large piece of a file, without holding the interpreter.

Python's `re` holds the GIL while it searches: the guard's checks over a large sheet's XML (a
100,000-row sheet is 94 MB) then stall the threads that cut and read that sheet beside them. A
piece from 64 KB on is searched by RE2 instead, through pyarrow's compute functions, which let go
of the GIL and ran those checks ~2x faster here. The pattern is written once, for both engines, in
the syntax they share (ASCII classes, alternation, counted repeats);
tests/test_guard_rides_along.py checks that both engines agree.
"""
from __future__ import annotations

import re

LARGE = 1 << 16


class BytePattern:
    """A regular expression over bytes; `found(data)` says whether it matches anywhere in data."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.compiled = re.compile(pattern.encode("ascii"))

    def found(self, data: bytes) -> bool:
        if len(data) < LARGE:
            return self.compiled.search(data) is not None
        return _found_by_re2(self.pattern, data)


def _found_by_re2(pattern: str, data: bytes) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer((0).to_bytes(4, "little") + len(data).to_bytes(4, "little"))  # int32: pieces < 2 GB
    piece = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(data)])  # no copy of data
    return bool(pc.match_substring_regex(piece, pattern)[0].as_py())
