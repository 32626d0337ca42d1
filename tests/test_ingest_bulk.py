"""A large sheet read in bulk (smartcity.ingest.bulk, bulkrows) gives exactly what the ordinary
row-by-row reading gives: the same actions with the same values, the same rejected rows with the
same messages, the same warnings. Each file here is read both ways and the results compared; the
bulk path is forced by setting its size threshold to 0 (a sheet must still reach below the header
search area, 40 rows, so every fixture has more rows than that).
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smartcity.ingest.bulk as bulk
import smartcity.ingest.bulkrows as bulkrows
import smartcity.ingest.guard as guard
import smartcity.ingest.slices as slices
from smartcity.ingest.result import ActionTable
from tests.spreadsheets import SheetSpec, action, ingest, template_rows, xlsx

AGENCIES = ["Diskominfo", "DISKOMINFO KOTIM ", "Dinas Kesehatan", "Dinkes", "Bappeda Kotim", "Dinas Entah Apa"]
PILLARS = ["Integrasi", "kolaborasi", "KEBERLANJUTAN", "", "Pilar Entah", "NA"]
STATUSES = ["Sesuai jadwal", "terlambat", "entahlah", "Selesai", "Perlu perhatian"]  # 5: not in step with PILLARS


def read_both(content: bytes, monkeypatch, **kwargs):
    """(bulk result, ordinary result, whether the bulk reader settled any row). The bulk reading is
    done twice, in slices of a few rows (smartcity.ingest.slices) and in one slice, the rows it hands
    to the row reader taken from Python lists and from the Arrow cells, and must give the same."""
    used = []
    original = bulkrows.read_bulk

    def spy(*args):
        settled = original(*args)
        used.append(settled is not None)
        return settled

    monkeypatch.setattr(bulkrows, "read_bulk", spy)
    monkeypatch.setattr(bulk, "BULK_MIN_BYTES", 0)
    monkeypatch.setattr(guard, "PARSE_IN_WORKER", True)   # as in the worker: the guard's pass runs alongside
    monkeypatch.setattr(slices, "_CHUNK", 256)           # cut every 600 bytes of XML: a few rows a slice
    monkeypatch.setattr(slices, "SLICE_BYTES", 600)
    monkeypatch.setattr(bulkrows._Rows, "LISTS_AFTER", 0)    # rows read one by one from Python lists
    fast = ingest(content, **kwargs)
    monkeypatch.setattr(slices, "SLICE_BYTES", 10**12)
    monkeypatch.setattr(bulkrows._Rows, "LISTS_AFTER", 10**9)  # ... and cell by cell from the Arrow columns
    assert_same(ingest(content, **kwargs), fast)
    monkeypatch.setattr(guard, "PARSE_IN_WORKER", False)
    monkeypatch.setattr(bulk, "BULK_MIN_BYTES", 10**12)
    slow = ingest(content, **kwargs)
    return fast, slow, any(used)


def assert_same(fast, slow) -> None:
    key = lambda row: (row.sheet, row.row)  # noqa: E731
    assert sorted(fast.actions, key=key) == sorted(slow.actions, key=key)
    assert fast.rejected == slow.rejected
    assert fast.warnings == slow.warnings
    assert fast.file_problems == slow.file_problems


def varied_actions(n: int) -> list[dict]:
    """n actions cycling through agency spellings, pillars, statuses, and the faults a row can have."""
    rows = []
    for i in range(n):
        a = action(f"SC-{i:03d}", agency=AGENCIES[i % len(AGENCIES)], pillar=PILLARS[i % len(PILLARS)],
                   status=STATUSES[i % len(STATUSES)], target=float(10 + i % 7), actual=float(i % 13),
                   budget=1_000_000.0 * (i % 5), budget_spent=400_000.0 * (i % 4),
                   notes=["", "n/a", "Data belum lengkap", "  spasi  ", "-"][i % 5], owner=["NA", "Kabid", ""][i % 3])
        if i % 17 == 3:
            a["target"] = None                     # required value missing
        if i % 19 == 5:
            a["baseline"] = -4.0                   # negative is allowed for a baseline
            a["budget"] = -1.0                     # ... not for a budget
        if i % 23 == 7:
            a["code"] = "SC-001"                   # a code used above
        if i % 29 == 11:
            a["activity"] = None
        if i % 31 == 2:
            a["start_date"] = None
        rows.append(a)
    return rows


def test_a_varied_sheet_reads_the_same_in_bulk(monkeypatch):
    content = xlsx(template_rows(varied_actions(150)))
    fast, slow, used = read_both(content, monkeypatch)
    assert used and isinstance(fast.actions, ActionTable)
    assert_same(fast, slow)
    # The faults above are all there, read by the ordinary row reader in their places.
    keys = {p.key for r in fast.rejected for p in r.problems}
    assert {"err.row.required", "err.cell.negative", "err.row.duplicate_code", "err.cell.pillar",
            "err.row.agency_unknown"} <= keys
    assert {w.key for w in fast.warnings} >= {"warn.cell.status", "warn.row.spent_over_budget"}


def test_section_total_and_signature_rows_inside_a_large_sheet(monkeypatch):
    header = template_rows([])[0]
    blank = [None] * len(header)

    def row(**values):
        cells = list(blank)
        for name, value in values.items():
            cells[header.index(name)] = value
        return cells

    rows = [["RENCANA AKSI SMART CITY 2024"], [], header]
    for block, pillar in enumerate(["A. PILAR INTEGRASI", "B. PILAR KOLABORASI"]):
        rows.append(row(Kode=pillar))
        budget = 0.0
        for i in range(30):
            a = action(f"B{block}-{i:02d}", pillar="", budget=1_000_000.0 * (i + 1), budget_spent=100_000.0)
            rows.append([a.get(f) for f in ("code", "pillar", "agency", "program", "activity", "indicator", "unit",
                                            "baseline", "target", "actual", "budget", "budget_spent",
                                            "start_date", "due_date", "status", "notes", "owner")])
            budget += a["budget"]
        rows.append(row(Kegiatan="JUMLAH", **{"Pagu Anggaran": budget + (0 if block == 0 else 5.0)}))
        rows.append(blank)
        rows.append(row(Kode="Kelompok kegiatan lain"))  # a heading
    rows += [row(Kode="Kode"), row(Kegiatan="Sampit, 30 September 2024"), row(Kegiatan="Kepala Dinas"),
             row(Kegiatan="NIP 19700101 199003 1 001")]
    fast, slow, used = read_both(xlsx(rows), monkeypatch)
    assert used
    assert_same(fast, slow)
    pillars = {row.values["pillar"] for row in fast.actions}
    assert pillars == {"integration", "collaboration"}  # set by the section rows, for the rows below each
    assert len(fast.actions) == 60
    assert [w.key for w in fast.warnings].count("warn.total_mismatch") == 1  # the second total is 5 off


def test_numbers_and_dates_written_as_text(monkeypatch):
    actions = []
    for i in range(60):
        actions.append(action(f"T-{i:02d}", target=["10", "12,5", "1.250", "-"][i % 4],
                              budget=["Rp 1.250.000.000", "750.000,50", "n/a", "Rp. 2.000.000"][i % 4],
                              actual=["75%", "6", "7,5 %", "abc"][i % 4],
                              start_date=["21/09/2024", "Sep-24", "31-Des-2024", "Januari 2024", "kemarin"][i % 5],
                              due_date="Sep-24"))
    fast, slow, used = read_both(xlsx(template_rows(actions)), monkeypatch)
    assert used
    assert_same(fast, slow)
    by_code = {row.values["code"]: row.values for row in fast.actions}
    assert by_code["T-00"]["budget"] == 1_250_000_000.0
    assert by_code["T-00"]["start_date"] == dt.date(2024, 9, 21)
    assert by_code["T-01"]["due_date"] == dt.date(2024, 9, 30)  # a due month is its last day


def test_percent_formatted_cells_are_percent_points(monkeypatch):
    actions = [action(f"P-{i:02d}", actual=0.755, target=1.0) for i in range(50)]
    rows = template_rows(actions)
    formats = {f"J{r}": "0.0%" for r in range(2, 52, 2)}   # every other row shows its actual as 75,5%
    fast, slow, used = read_both(xlsx(SheetSpec("Rencana Aksi", rows, formats=formats)), monkeypatch)
    assert used
    assert_same(fast, slow)
    actuals = sorted({row.values["actual"] for row in fast.actions})
    assert actuals == pytest.approx([0.755, 75.5])


def test_quarter_columns_give_the_years_figure(monkeypatch):
    header = ["Kode", "Pilar", "OPD", "Kegiatan", "Indikator", "Satuan", "Target", "Realisasi TW I", "Realisasi TW II",
              "Realisasi TW III", "Realisasi TW IV", "Pagu Anggaran", "Realisasi Anggaran TW I",
              "Realisasi Anggaran TW II", "Realisasi Anggaran TW III", "Realisasi Anggaran TW IV"]
    rows = [header]
    for i in range(60):
        unit = ["dokumen", "%", "indeks"][i % 3]
        quarters = [5.0, 8.0, None, None] if i % 2 else [10.0, 20.0, 30.0, 40.0]
        rows.append([f"Q-{i:02d}", "Integrasi", "Diskominfo", "Kegiatan", "Jumlah dokumen", unit, 100.0, *quarters,
                     1_000_000.0, 100_000.0, None, 50_000.0, None])
    fast, slow, used = read_both(xlsx(rows), monkeypatch)
    assert used
    assert_same(fast, slow)
    by_code = {row.values["code"]: row.values for row in fast.actions}
    assert by_code["Q-00"]["actual"] == 100.0    # a count: 10 + 20 + 30 + 40
    assert by_code["Q-01"]["actual"] == 8.0      # a percentage: the latest quarter reported (TW II: 8), not 5 + 8
    assert by_code["Q-00"]["budget_spent"] == 150_000.0


def test_sheets_named_after_pillars_with_the_agency_in_the_title(monkeypatch):
    sheets = []
    for name in ("Integrasi", "Kolaborasi"):
        actions = [action(f"{name[:3]}-{i:02d}", pillar="", agency="") for i in range(45)]
        actions.append(action("Int-00", pillar="", agency=""))  # the first sheet's code again
        sheets.append(SheetSpec(name, [["OPD: Dinas Kesehatan"], []] + template_rows(actions)))
    fast, slow, used = read_both(xlsx(*sheets), monkeypatch)
    assert used
    assert_same(fast, slow)
    assert {row.values["agency_code"] for row in fast.actions} == {"DINKES"}
    assert any(p.key == "err.row.duplicate_code_sheet" for r in fast.rejected for p in r.problems)


def test_what_bulk_cannot_read_is_read_the_ordinary_way(monkeypatch):
    actions = varied_actions(60)
    rows = template_rows(actions)
    rows[10][8] = "sepuluh"          # text among the numbers of the Target column
    rows[20][0] = 12.0               # a number among the text codes
    merged = SheetSpec("Rencana Aksi", template_rows(varied_actions(60)), merges=["P5:P8"])
    formulas = template_rows(varied_actions(60))
    formulas[30][10] = "=K30*2"      # openpyxl saves the formula without a value
    for content in (xlsx(rows), xlsx(merged), xlsx(formulas)):
        fast, slow, _used = read_both(content, monkeypatch)
        assert_same(fast, slow)


ROW_KINDS = st.sampled_from(["good", "good", "good", "bad_target", "unknown_agency", "section_pillar",
                             "section_agency", "total", "blank", "heading", "dup", "no_pillar", "status"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(ROW_KINDS, min_size=45, max_size=90), agency_column=st.booleans())
def test_any_mix_of_rows_reads_the_same_in_bulk(monkeypatch, kinds, agency_column):
    header = template_rows([])[0]
    width = len(header)
    rows = [["OPD: Diskominfo"], header]
    for i, kind in enumerate(kinds):
        a = action(f"M-{i:03d}", agency="Diskominfo" if agency_column else "")
        cells = [a.get(f) for f in ("code", "pillar", "agency", "program", "activity", "indicator", "unit",
                                    "baseline", "target", "actual", "budget", "budget_spent", "start_date",
                                    "due_date", "status", "notes", "owner")]
        blank = [None] * width
        if kind == "bad_target":
            cells[8] = -5.0
        elif kind == "unknown_agency":
            cells[2] = "Dinas Tidak Dikenal"
        elif kind == "section_pillar":
            cells = list(blank)
            cells[0] = "B. PILAR KEBERLANJUTAN"
        elif kind == "section_agency":
            cells = list(blank)
            cells[0] = "Perangkat Daerah : DINAS KESEHATAN"
        elif kind == "total":
            cells = list(blank)
            cells[4], cells[10] = "JUMLAH", 123.0
        elif kind == "blank":
            cells = list(blank)
        elif kind == "heading":
            cells = list(blank)
            cells[0] = "Kegiatan Pendukung"
        elif kind == "dup":
            cells[0] = "M-000"
        elif kind == "no_pillar":
            cells[1] = None
        elif kind == "status":
            cells[14] = "tidak jelas"
        rows.append(cells)
    fast, slow, used = read_both(xlsx(rows), monkeypatch)
    assert_same(fast, slow)
    assert used or "good" not in kinds  # an ordinary action row is settled in bulk


def test_the_reading_worker_reads_a_large_sheet_as_this_process_does(monkeypatch):
    # The worker (smartcity.ingest.isolate) reads in bulk without pandas, which pyarrow would otherwise
    # import; its actions, rejected rows and warnings must be those of the ordinary reading here.
    from smartcity.ingest import isolate
    from tests.spreadsheets import registry

    content = xlsx(template_rows(varied_actions(150)))
    monkeypatch.setenv("SMARTCITY_BULK_MIN_BYTES", "0")   # the worker reads its threshold from the environment
    in_worker = isolate.ingest_isolated(content, "renaksi.xlsx", registry(), timeout_s=120, memory_mb=2048)
    monkeypatch.setattr(bulk, "BULK_MIN_BYTES", 10**12)
    here = ingest(content)
    assert isinstance(in_worker.actions, ActionTable)    # read in bulk there
    assert len(in_worker.actions) > 50 and in_worker.rejected
    assert_same(in_worker, here)


def test_the_reading_worker_hands_back_every_sheet_read_in_bulk(monkeypatch):
    # Each bulk-read sheet's rows come back from the worker as an Arrow stream after the pickled result:
    # two sheets, two streams, each with its own columns (the second has no budget columns). The second
    # sheet repeats a code of the first, which only the codes kept from the first sheet can tell.
    from smartcity.ingest import isolate
    from tests.spreadsheets import registry

    first = varied_actions(80)
    second = [action(f"KOL-{i:02d}", pillar="kolaborasi") for i in range(60)] + [action(first[3]["code"])]
    second_rows = [[cell for k, cell in enumerate(row) if k not in (10, 11)] for row in template_rows(second)]
    content = xlsx(SheetSpec("Integrasi", template_rows(first)), SheetSpec("Kolaborasi", second_rows))
    monkeypatch.setenv("SMARTCITY_BULK_MIN_BYTES", "0")
    in_worker = isolate.ingest_isolated(content, "renaksi.xlsx", registry(), timeout_s=120, memory_mb=2048)
    monkeypatch.setattr(bulk, "BULK_MIN_BYTES", 10**12)
    here = ingest(content)
    assert isinstance(in_worker.actions, ActionTable) and len(in_worker.actions.tables) == 2
    assert_same(in_worker, here)
    assert [(r.sheet, r.row) for r in in_worker.rejected if any(p.key == "err.row.duplicate_code_sheet" for p in r.problems)] \
        == [("Kolaborasi", 1 + len(second))]  # the header is row 1


def test_codes_settled_in_bulk_are_known_to_the_row_reader_without_being_made_entries_first():
    # SeenCodes keeps a bulk sheet's settled codes as Arrow blocks; the row reader's questions (is this code
    # used before, and where?) get the same answers as if every code had been entered one by one.
    import pyarrow as pa

    from smartcity.ingest.rows import SeenCodes

    seen = SeenCodes({"A-1": ("Lembar1", 4)})
    seen.add_block(pa.array(["B-1", "B-2", "B-3"]), "Lembar2", 10)
    assert len(seen) == 4 and sorted(seen.code_array().to_pylist()) == ["A-1", "B-1", "B-2", "B-3"]
    assert not seen._entries.keys() & {"B-1", "B-2", "B-3"}      # not made entries by counting or listing
    assert seen.get("B-3") == ("Lembar2", 12) and "B-2" in seen  # the third code of a block starting at row 10
    assert seen.setdefault("B-1", ("Lembar3", 2)) == ("Lembar2", 10)   # the first row keeps the code
    del seen["B-2"]
    assert "B-2" not in seen and len(seen) == 3
    copy = SeenCodes(seen)
    seen.clear()
    assert dict(copy) == {"A-1": ("Lembar1", 4), "B-1": ("Lembar2", 10), "B-3": ("Lembar2", 12)} and not seen


def test_a_formula_without_a_value_in_a_large_sheet_is_named_as_in_the_ordinary_reading(monkeypatch):
    # A formula saved without its value (<f> and no <v>, as programs that do not compute formulas save
    # them) in the budget column: the bulk reader must notice the sheet has formulas (the scanner's pass
    # over its XML) and give the row's warning word for word, not load the budget as empty in silence.
    import io
    import zipfile

    rows = template_rows(varied_actions(60))
    rows[34][10] = "=K34*2"       # row 35, an action with nothing else to say
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</f><v></v>", b"</f>")
            book.writestr(info, data)
    fast, slow, used = read_both(out.getvalue(), monkeypatch)
    assert used
    assert_same(fast, slow)
    assert 35 in {a.row for a in fast.actions}
    assert [(p.key, p.row) for p in fast.warnings if "formula" in p.key] == [("warn.cell.formula_no_value", 35)]


def test_every_character_arrow_trims_is_one_the_rules_look_for_at_the_edges():
    # The rules trim a column only when some text begins or ends with a space (bulkrows._EDGE_SPACE); a
    # character Arrow's trim removes but the check missed would leave " Dinkes" untrimmed in bulk only.
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = pa.array([ch + "x" for ch in chars] + ["x" + ch for ch in chars])
    changed = pc.not_equal(pc.utf8_trim_whitespace(texts), texts)
    found = pc.match_substring_regex(texts, bulkrows._EDGE_SPACE)
    assert pc.sum(changed).as_py() >= 2 * 25            # Unicode's White_Space: 25 characters, at each edge
    assert pc.filter(texts, pc.and_(changed, pc.invert(found))).to_pylist() == []
