"""A part of a spreadsheet's zip unpacked piece by piece (smartcity.ingest.zipparts): the same bytes
as zipfile gives, in pieces no larger than asked, never more than the part declares, and a damaged
part refused as zipfile refuses it."""
from __future__ import annotations

import builtins
import io
import struct
import zipfile
import zlib

import pytest

from smartcity.ingest.zipparts import unpacked

XML = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Aksi %d</t></is></c></row>' % (i, i, i)
               for i in range(1, 3000))


def zipped(data: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as book:
        book.writestr("[Content_Types].xml", b"<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", data)
    return out.getvalue()


def pieces_of(content: bytes, size: int) -> list[bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return list(unpacked(content, archive, archive.getinfo("xl/worksheets/sheet1.xml"), size))


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("size", [1, 64, 1000, 1 << 20])
def test_the_part_comes_whole_in_pieces_no_larger_than_asked(method, size):
    found = pieces_of(zipped(XML, method), size)
    assert b"".join(found) == XML
    assert max(map(len, found)) <= size
    assert all(found)                                  # no empty piece


def test_without_isa_l_zipfile_unpacks_the_part(monkeypatch):
    real_import = builtins.__import__

    def no_isal(name, *args, **kwargs):
        if name == "isal":
            raise ImportError("isal not installed")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_isal)
    assert b"".join(pieces_of(zipped(XML), 4096)) == XML


def _central_entry(content: bytearray, name: bytes) -> int:
    end = content.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<I", content, end + 16)[0]
    while content[offset:offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", content, offset + 28)
        if content[offset + 46:offset + 46 + name_len] == name:
            return offset
        offset += 46 + name_len + extra_len + comment_len
    raise AssertionError("no such entry")


def test_a_part_whose_crc_is_wrong_is_refused():
    content = bytearray(zipped(XML))
    entry = _central_entry(content, b"xl/worksheets/sheet1.xml")
    struct.pack_into("<I", content, entry + 16, (zlib.crc32(XML) + 1) & 0xFFFFFFFF)
    with pytest.raises(zipfile.BadZipFile):
        pieces_of(bytes(content), 1 << 16)


def test_a_part_that_unpacks_past_its_declared_size_stops_there():
    # The directory declares 1,000 bytes; the data unpacks to ~150 KB: refused after the first pieces.
    content = bytearray(zipped(XML))
    struct.pack_into("<I", content, _central_entry(content, b"xl/worksheets/sheet1.xml") + 24, 1000)
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    got = 0
    with pytest.raises(zipfile.BadZipFile):
        for piece in unpacked(bytes(content), archive, archive.getinfo("xl/worksheets/sheet1.xml"), 256):
            got += len(piece)
    assert got <= 1000
