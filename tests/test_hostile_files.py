"""Hostile and broken files: each ends in one clear message, quickly, with nothing half-stored.

Every file is built here by code. Each test loads it through pipeline.load_file (the worker
process with its limits, as the upload page does) into a new store and checks the message
key, the time taken, and that no action or snapshot was written.
"""
from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.spreadsheets import action, csv_bytes, ingest, template_rows, xlsx

from smartcity.pipeline import load_file

AS_OF = date(2024, 9, 30)
HEADER = ["Kode", "Pilar", "OPD", "Kegiatan", "Target"]
GOOD = [HEADER, ["K-01", "Integrasi", "Diskominfo", "Satu Data Kotim", 10]]


def refused(store, content: bytes, name: str, key: str, seconds: float = 60.0):
    """Load `content`; assert it was rejected whole with `key`, storing no action.

    `key` names the guard that refused it (a file read to the end and then refused would carry
    another key, or the reading worker's time limit's). `seconds` only catches a hang: speed is
    measured by `make bench`, and a busy CI machine took 6 s for what takes 1 s here."""
    started = time.monotonic()
    out = load_file(store, content, name, AS_OF)
    took = time.monotonic() - started
    assert out.status == "rejected", [p.key for p in out.problems]
    assert [p.key for p in out.problems] == [key]
    assert out.problems[0].message("id") and out.problems[0].message("en")
    assert took < seconds, f"{name} took {took:.1f} s"
    counts = [store.query_one(f"SELECT count(*) FROM {t}")[0] for t in ("actions", "progress", "rejected_rows")]
    assert counts == [0, 0, 0]
    return out


def rezip(content: bytes, replace: dict[str, bytes | callable] | None = None, add: dict[str, bytes] | None = None,
          drop: tuple[str, ...] = ()) -> bytes:
    """The zip `content` with some parts replaced (bytes, or a function of the old bytes), added or dropped."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            data = source.read(item.filename)
            if item.filename in replace:
                new = replace[item.filename]
                data = new(data) if callable(new) else new
            target.writestr(item.filename, data)
        for name, data in add.items():
            target.writestr(name, data)
    return out.getvalue()


def with_cells(extra: bytes) -> bytes:
    """The good workbook with `extra` XML appended to its sheet's data."""
    return rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": lambda d: d.replace(b"</sheetData>", extra + b"</sheetData>")})


# ---------------------------------------------------------------- zip bombs

def test_a_part_that_unpacks_a_thousand_times_its_size_is_refused_before_parsing(store):
    # 30 MB of spaces packs into about 30 KB: the mark of a zip bomb.
    bomb = rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * 30_000_000)})
    assert len(bomb) < 200_000
    out = refused(store, bomb, "bom.xlsx", "err.file.zip_ratio")
    assert out.problems[0].params["part"] == "xl/worksheets/sheet1.xml"


def test_a_zip_declaring_gigabytes_is_refused_without_unpacking_anything(store):
    # The central directory claims 300 MB for the sheet; nothing is unpacked to find out.
    content = bytearray(xlsx(GOOD))
    end = content.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<I", content, end + 16)[0]
    while content[offset:offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", content, offset + 28)
        if content[offset + 46:offset + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", content, offset + 24, 300 * 1024 * 1024)
        offset += 46 + name_len + extra_len + comment_len
    refused(store, bytes(content), "besar.xlsx", "err.file.zip_bomb")


def test_a_zip_of_twenty_thousand_parts_is_refused(store):
    parts = {f"xl/media/image{i}.png": b"" for i in range(20_000)}
    refused(store, rezip(xlsx(GOOD), add=parts), "banyak.xlsx", "err.file.zip_members", seconds=10)


# ---------------------------------------------------------------- XML entities

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')


def test_a_billion_laughs_in_the_sheet_is_refused(store):
    bomb = rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": lambda d: LAUGHS + d.split(b"?>", 1)[-1].replace(
        b"<t>Satu Data Kotim</t>", b"<t>&lol4;</t>")})
    out = refused(store, bomb, "tawa.xlsx", "err.file.xml_entities")
    assert out.problems[0].params["part"] == "xl/worksheets/sheet1.xml"


def test_an_external_entity_is_refused(store):
    xxe = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    content = rezip(xlsx(GOOD), {"xl/styles.xml": lambda d: xxe + d.split(b"?>", 1)[-1]})
    refused(store, content, "xxe.xlsx", "err.file.xml_entities")


def test_entities_in_an_ods_are_refused(store):
    from tests.spreadsheets import ods

    content = rezip(ods(GOOD), {"content.xml": lambda d: LAUGHS + d.split(b"?>", 1)[-1]})
    refused(store, content, "tawa.ods", "err.file.xml_entities")


def test_the_doctype_openoffice_3_writes_in_its_manifest_is_harmless(store):
    from tests.spreadsheets import ods

    doctype = b'<!DOCTYPE manifest:manifest PUBLIC "-//OpenOffice.org//DTD Manifest 1.0//EN" "Manifest.dtd">'
    content = rezip(ods(GOOD), {"META-INF/manifest.xml": lambda d: d.replace(b"?>", b"?>" + doctype, 1)})
    assert load_file(store, content, "openoffice3.ods", AS_OF).rows_loaded == 1


# ---------------------------------------------------------------- huge sheets

def test_a_declared_dimension_of_the_whole_sheet_costs_nothing(store):
    content = rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": lambda d: d.replace(
        b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>')})
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    # Read as declared, the sheet would be 17 billion cells: the worker's memory limit would refuse the
    # file (err.file.too_complex). The time only catches a hang (as in `refused`), not speed.
    started = time.monotonic()
    out = load_file(store, content, "dimensi.xlsx", AS_OF)
    assert (out.status, out.rows_loaded) == ("loaded", 1) and time.monotonic() - started < 60


def test_a_value_in_the_last_cell_is_refused_before_calamine_allocates_the_sheet(store):
    # calamine would allocate 1,048,576 x 16,384 cells (and abort the process): refused by the scan.
    content = with_cells(b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    out = refused(store, content, "pojok.xlsx", "err.file.sheet_too_large")
    assert out.problems[0].params["last_cell"] == "XFD1048576"


def test_formatting_alone_in_the_last_cell_is_harmless(store):
    content = with_cells(b'<row r="1048576"><c r="XFD1048576" s="0"/></row>')
    assert load_file(store, content, "format.xlsx", AS_OF).rows_loaded == 1


def test_a_million_rows_of_an_ods_in_one_element_are_refused(store):
    from tests.spreadsheets import ods

    repeated = (b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell office:value-type="float" '
                b'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    content = rezip(ods(GOOD), {"content.xml": lambda d: d.replace(b"</table:table>", repeated + b"</table:table>")})
    refused(store, content, "ulang.ods", "err.file.sheet_too_large")


def test_empty_trailing_rows_of_an_ods_are_harmless(store):
    from tests.spreadsheets import ods

    trailing = (b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
                b'table:number-columns-repeated="1024"/></table:table-row>')
    content = rezip(ods(GOOD), {"content.xml": lambda d: d.replace(b"</table:table>", trailing + b"</table:table>")})
    assert load_file(store, content, "libreoffice.ods", AS_OF).rows_loaded == 1


def test_a_csv_of_a_million_empty_lines_is_refused(store):
    content = csv_bytes(GOOD) + b"\r\n" * 1_000_001
    refused(store, content, "kosong.csv", "err.file.sheet_too_large")


def test_two_thousand_sheets_are_refused(store):
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 2}" r:id="rIdS{i}"/>' for i in range(2000)).encode()
    rels = "".join(f'<Relationship Id="rIdS{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/s{i}.xml"/>' for i in range(2000)).encode()
    base = xlsx(GOOD)
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml")
    content = rezip(base, {"xl/workbook.xml": lambda d: d.replace(b"</sheets>", sheets + b"</sheets>"),
                           "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", rels + b"</Relationships>")},
                    add={f"xl/worksheets/s{i}.xml": sheet for i in range(2000)})
    out = refused(store, content, "lembar.xlsx", "err.file.too_many_sheets")
    assert out.problems[0].params["count"] == 2001


# ---------------------------------------------------------------- files that are not what they say

def test_a_password_protected_workbook(store):
    # Excel's encrypted .xlsx: an OLE compound file holding EncryptionInfo and EncryptedPackage streams.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
                         for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    refused(store, header + directory + os.urandom(2048), "rahasia.xlsx", "err.file.password")


def test_a_workbook_encrypted_by_excel(store):
    crypto = pytest.importorskip("msoffcrypto.format.ooxml")
    encrypted = io.BytesIO()
    crypto.OOXMLFile(io.BytesIO(xlsx(GOOD))).encrypt("rahasia", encrypted)
    refused(store, encrypted.getvalue(), "rahasia.xlsx", "err.file.password")


def test_an_xlsb_gets_save_as_xlsx(store):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00\x80\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
    result = refused(store, out.getvalue(), "renaksi.xlsb", "err.file.xlsb")
    assert ".xlsx" in result.problems[0].message("id")


@pytest.mark.parametrize("content, name, key", [
    (os.urandom(4096).replace(b"PK", b"pk").replace(b"\xd0\xcf", b"dc") + b"\x00", "acak.xlsx", "err.file.not_spreadsheet"),
    (b"", "kosong.xlsx", "err.file.empty"),
    (b"<html><body><table><tr><td>Kode</td></tr></table></body></html>", "ekspor.xls", "err.file.html"),
])
def test_random_empty_and_html_files(store, content, name, key):
    refused(store, content, name, key)


def test_a_truncated_workbook(store):
    content = xlsx(GOOD)
    refused(store, content[: len(content) // 2], "terpotong.xlsx", "err.file.damaged")


# ---------------------------------------------------------------- limits of the worker

def test_reading_that_takes_too_long_is_stopped(store, monkeypatch, stall_readings):
    monkeypatch.setenv("SMARTCITY_PARSE_TIMEOUT_S", "0.5")
    stall_readings()
    out = refused(store, xlsx(GOOD), "lambat.xlsx", "err.file.timeout")
    assert out.problems[0].params["seconds"] == "0.5"


def test_a_file_that_needs_too_much_memory_is_stopped(store, monkeypatch):
    # One 30,000-character shared string used by 200,000 cells: small on disk, 6 GB as Python text.
    monkeypatch.setenv("SMARTCITY_PARSE_MEMORY_MB", "1024")
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           b'main" count="1" uniqueCount="1"><si><t>' + b"x" * 30_000 + b"</t></si></sst>")
    # Under a header the reader recognises, so that every cell is read (the large-sheet reader of
    # smartcity.ingest.bulk reads only the top rows of a sheet without one).
    header = b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col, text)
                      for col, text in ((b"A", b"Kode"), (b"B", b"Kegiatan"), (b"C", b"Target")))
    cells = b'<row r="1">' + header + b"</row>" + b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s"><v>0</v></c><c r="C%d"><v>1</v></c></row>'
        % (r, r, r, r) for r in range(2, 100_002))
    content = rezip(xlsx([["x"]]), {
        "xl/worksheets/sheet1.xml": lambda d: d.split(b"<sheetData>")[0] + b"<sheetData>" + cells + b"</sheetData></worksheet>",
        "[Content_Types].xml": lambda d: d.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                                   b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://'
                                                          b'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                                          b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    }, add={"xl/sharedStrings.xml": sst})
    refused(store, content, "memori.xlsx", "err.file.too_complex", seconds=20)


# ---------------------------------------------------------------- odd text that must load

@pytest.mark.parametrize("build, name, warnings", [
    (xlsx, "panjang.xlsx", []),                             # calamine itself keeps Excel's 32,767
    (lambda rows: csv_bytes(rows, delimiter=";"), "panjang.csv", ["warn.cell.too_long"]),  # we cut, and say so
])
def test_a_32768_character_cell_is_cut_to_excels_limit(store, build, name, warnings):
    long = "Integrasi data " + "x" * (32_768 - 15)
    out = load_file(store, build(template_rows([action("K-01", activity=long)])), name, AS_OF)
    assert (out.status, out.rows_loaded) == ("loaded", 1)
    assert [w.key for w in out.warnings] == warnings
    stored = store.query_one("SELECT activity FROM progress")[0]
    assert len(stored) == 32_767 and stored.startswith("Integrasi data x")


def test_a_long_bad_value_is_shortened_in_its_message():
    result = ingest(xlsx(template_rows([action("K-01", target="sepuluh " * 5_000)])))
    message = result.rejected[0].problems[0].message("id")
    assert len(message) < 500 and "\u2026" in message


def test_nul_characters_are_dropped_and_the_text_kept(store):
    # A CSV exported by an old system: NUL bytes inside cells, past the first kilobyte.
    rows = template_rows([action(f"K-{i:02d}") for i in range(1, 20)] + [action("K-99", agency="Disko\x00minfo",
                                                                                 activity="Satu\x00 Data Kotim")])
    content = csv_bytes(rows, delimiter=";")
    assert content.index(b"\x00") > 1024
    out = load_file(store, content, "nul.csv", AS_OF)
    assert (out.status, out.rows_loaded, out.rows_rejected) == ("loaded", 20, 0)
    assert store.query_one("SELECT activity FROM progress p JOIN actions a ON a.id = p.action_id "
                           "WHERE action_code = 'K-99'")[0] == "Satu Data Kotim"


def test_an_escaped_nul_in_an_xlsx_is_dropped():
    content = rezip(xlsx(GOOD), {"xl/worksheets/sheet1.xml": lambda d: d.replace(b"Satu Data Kotim", b"Satu_x0000_ Data")})
    result = ingest(content)
    assert result.actions[0].values["activity"] == "Satu Data"


def test_direction_overrides_and_zero_width_characters_in_agency_names(store):
    rows = template_rows([action("K-01", agency="\u202eDiskominfo\u202c", activity="Aplikasi \u202eterbalik"),
                          action("K-02", agency="Dis\u200bkomin\u200dfo"), action("K-03", agency="\ufeffDinkes")])
    out = load_file(store, xlsx(rows), "unicode.xlsx", AS_OF)
    assert (out.rows_loaded, out.rows_rejected) == (3, 0)
    codes = dict(store.query_df("SELECT action_code, agency_code FROM actions").itertuples(index=False))
    assert codes == {"K-01": "DISKOMINFO", "K-02": "DISKOMINFO", "K-03": "DINKES"}
    # The text itself is kept as written (the marks are what the agency typed).
    assert store.query_one("SELECT activity FROM progress p JOIN actions a ON a.id = p.action_id "
                           "WHERE action_code = 'K-01'")[0] == "Aplikasi \u202eterbalik"


# ---------------------------------------------------------------- fuzzing

VALID = [xlsx(GOOD), csv_bytes(GOOD, delimiter=";"), xlsx(template_rows([action("K-01"), action("K-02")]))]


@st.composite
def mutated(draw):
    """A valid file with a few bytes changed, a slice cut out, or cut short."""
    content = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "cut", "truncate", "insert"]))
        at = draw(st.integers(0, max(len(content) - 1, 0)))
        if kind == "flip" and content:
            content[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del content[at:at + draw(st.integers(1, 64))]
        elif kind == "truncate":
            del content[at:]
        else:
            content[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(content)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(st.binary(max_size=4096), mutated()), st.sampled_from(["f.xlsx", "f.csv", "f.ods", "f.xls"]))
def test_fuzzed_bytes_never_raise(content, name):
    result = ingest(content, name)
    assert result.size == len(content)
    for problem in result.all_problems() + result.warnings:
        assert problem.message("id") and problem.message("en")
    assert all(p.key != "err.file.internal" for p in result.file_problems), [p.params for p in result.file_problems]


def test_a_damaged_compressed_part_is_a_damaged_file_not_a_crash():
    # Found by the fuzz run: the deflate stream of [Content_Types].xml garbled, so zlib itself raises.
    content = bytearray(xlsx(GOOD))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo("[Content_Types].xml")
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    content[data_start:data_start + 16] = b"\xff" * 16
    result = ingest(bytes(content))
    assert [p.key for p in result.file_problems] == ["err.file.damaged"]
    assert "rusak" in result.file_problems[0].message("id").lower()


def test_a_large_sheet_with_a_value_in_the_last_cell_is_refused_while_read_in_bulk(store, monkeypatch):
    # A sheet large enough for the bulk reader (smartcity.ingest.bulk) is read while the guard's pass
    # over it still runs (in the reading worker only). calamine's allocation then ends the worker, or
    # the pass refuses the sheet first: either way the file is refused with a message, nothing loads,
    # and the app goes on.
    monkeypatch.setenv("SMARTCITY_BULK_MIN_BYTES", "0")   # every sheet counts as large, in the worker too
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>K-%d</t></is></c></row>' % (r, r, r)
                    for r in range(3, 80))
    content = with_cells(rows + b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    out = load_file(store, content, "pojok-besar.xlsx", AS_OF)
    assert out.status == "rejected" and out.rows_loaded == 0
    assert [p.key for p in out.problems] in (["err.file.sheet_too_large"], ["err.file.too_complex"])
    assert load_file(store, xlsx(GOOD), "baik.xlsx", AS_OF).rows_loaded == 1
