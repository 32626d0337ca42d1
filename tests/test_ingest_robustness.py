"""The ingester never raises and never loses a row, whatever is in the cells; every message exists in both languages."""
from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.spreadsheets import HEADERS_ID, SheetSpec, action, csv_bytes, ingest, template_rows, xlsx

from smartcity.i18n.errors import ERRORS
from smartcity.ingest.sections import classify

INGEST_DIR = Path(__file__).resolve().parent.parent / "smartcity" / "ingest"

cells = st.one_of(
    st.none(),
    st.text(alphabet=string.ascii_letters + string.digits + " .,-%/:()'", max_size=20),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
    st.sampled_from(["Dinkes", "Integrasi", "JUMLAH", "A. PILAR KOLABORASI", "I. DINAS KESEHATAN", "-", "Rp 1.250.000",
                     "Sampit, 30 September 2024", "NIP. 1970", "1", "(1)", "TW I"]),
)
rows_strategy = st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS_ID) + 2), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy)
def test_any_cells_under_the_template_header_never_raise_and_every_data_row_is_accounted_for(rows):
    result = ingest(xlsx([HEADERS_ID, *rows]))
    assert not result.file_problems, [p.located() for p in result.file_problems]
    # Each row is loaded, rejected, or skipped as a kind the ingester names (blank, section, total, ...).
    registry_rows = [r + 2 for r, row in enumerate(rows)]
    accounted = {a.row for a in result.actions} | {r.row for r in result.rejected}
    assert accounted <= set(registry_rows)
    for problem in result.all_problems() + result.warnings:
        assert problem.message("id") and problem.message("en")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_never_raise(content):
    result = ingest(content, "apa_saja.xlsx")
    assert result.size == len(content)
    assert result.file_problems or result.actions or result.rejected or result.warnings or True
    assert all(p.key != "err.file.internal" for p in result.file_problems)


def test_a_data_row_is_never_silently_dropped():
    # A row with two or more values that is neither a section nor a total is data: loaded or rejected.
    rows = [HEADERS_ID, [None, None, None, None, "Kegiatan tanpa kode", None, None, None, 5]]
    result = ingest(xlsx(rows))
    assert [r.row for r in result.rejected] == [2]


def test_duplicate_headers_keep_both_raw_values_under_distinct_names():
    rows = [["Kode", "OPD", "Kegiatan", "Target", "Realisasi", "Realisasi"], ["K-1", "Dinkes", "Posyandu", "x", 3, 4]]
    rejected = ingest(xlsx(rows)).rejected[0]
    assert rejected.raw["Realisasi (E)"] == "3" and rejected.raw["Realisasi (F)"] == "4"


def test_cells_beyond_the_header_are_kept_in_the_raw_values():
    rows = [["Kode", "OPD", "Kegiatan", "Target"], ["K-1", "Dinkes", "Posyandu", "x", "catatan di luar tabel"]]
    assert ingest(xlsx(rows)).rejected[0].raw["E"] == "catatan di luar tabel"


def test_a_leading_apostrophe_only_marks_text():
    rows = template_rows([action("'001", notes="'- dicek ulang", budget="'1.250.000")])
    values = ingest(csv_bytes(rows), "r.csv").actions[0].values
    assert (values["code"], values["notes"], values["budget"]) == ("001", "- dicek ulang", 1_250_000.0)


def test_classify_fast_path_for_ordinary_data_rows():
    assert classify(["SC-01", "Integrasi", "x"], 0, None, False).kind == "data"
    assert classify([17.0, "x"], 0, None, False).kind == "data"


# ---------------------------------------------------------------- messages

def _keys_used_by_the_ingester() -> set[str]:
    keys = set()
    for path in INGEST_DIR.glob("*.py"):
        keys |= set(re.findall(r'"((?:err|warn)\.[a-z_]+\.[a-z_.]+|warn\.total_mismatch)"', path.read_text()))
    return keys


def test_every_message_key_the_ingester_uses_exists():
    used = _keys_used_by_the_ingester()
    assert len(used) > 25
    # err.sheet.* become warn.sheet.* when another sheet has data.
    used |= {k.replace("err.", "warn.", 1) for k in used if k.startswith("err.sheet.")}
    assert sorted(used - set(ERRORS)) == []


def test_every_ingest_message_formats_in_both_languages_and_differs_between_them():
    for key in _keys_used_by_the_ingester():
        indonesian, english = ERRORS[key]
        names = set(re.findall(r"{(\w+)}", indonesian + english))
        params = {name: "X" for name in names}
        assert indonesian.format(**params) != english.format(**params), key
        assert indonesian.rstrip().endswith((".", ")")) or indonesian.endswith("{detail}"), key


def test_a_sheet_skipped_for_missing_columns_uses_the_warning_text():
    partial = SheetSpec("Lampiran", [["Kode", "Kegiatan"], ["K-9", "x"]])
    result = ingest(xlsx(partial, SheetSpec("Data", template_rows([action()]))))
    [warning] = result.warnings
    assert warning.key == "warn.sheet.missing_columns"
    assert warning.message() == ("Lembar ini dilewati: tidak ada kolom wajib Target. Kolom yang ditemukan: Kode, "
                                 "Kegiatan.")
