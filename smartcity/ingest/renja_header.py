"""Finding the Renja evaluation form's (E.81) header: the K | Rp row, and what each column is.

The header has two to four rows, the last one naming K (kinerja) and Rp under each group:
"Target Renja tahun berjalan", "Realisasi Kinerja Pada Triwulan" over I..IV, and so on. Each
group label is spread over the columns it heads (by the merges, or without them over the
empty cells to its right that have a K or Rp below); then each K/Rp column is classified by
its group's words, and every other column by its own (indikator, kode, satuan, sasaran,
perangkat daerah penanggung jawab, keterangan, program/kegiatan, no). See smartcity.ingest.renja.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import HEADER_SEARCH_ROWS, cell_text, is_column_numbers, _unit_row
from .xlsxfmt import column_letter

K_WORDS = frozenset({"k", "k.", "(k)", "kinerja", "kin"})
RP_WORDS = frozenset({"rp", "rp.", "(rp)", "rupiah", "anggaran", "keu", "keuangan"})
_QUARTER = re.compile(r"\b(?:triwulan|tw|trw|q)\s*[-.]?\s*(iv|iii|ii|i|[1-4])\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

@dataclass
class RenjaColumns:
    """Where each part of the form is (0-based column indexes) and where its header is."""

    header_top: int
    kr_row: int
    data_start: int
    headers: list[str]
    name: int
    target_k: int
    quarter_k: dict[int, int]
    quarter_rp: dict[int, int] = field(default_factory=dict)
    code: list[int] = field(default_factory=list)
    number: int | None = None
    indicator: int | None = None
    unit: int | None = None
    responsible: int | None = None
    notes: int | None = None
    pillar: int | None = None
    target_rp: int | None = None
    year_k: int | None = None
    year_rp: int | None = None


def find_renja(rows: list[list], merges: list) -> RenjaColumns | None:
    for kr in range(min(HEADER_SEARCH_ROWS + 3, len(rows))):
        words = [_word(v) for v in rows[kr]]
        if sum(w in K_WORDS for w in words) >= 3 and sum(w in RP_WORDS for w in words) >= 3:
            break
    else:
        return None
    top = kr
    while top > 0 and kr - top < 3 and sum(1 for v in rows[top - 1] if cell_text(v)) >= 3:
        top -= 1
    if top == kr:
        return None
    width = max(len(rows[r]) for r in range(top, kr + 1))
    grid = _header_grid(rows, merges, top, kr, width)
    cols = _classify(grid, [_word(v) for v in rows[kr]] + [""] * width, top, kr)
    if cols is None:
        return None
    start = kr + 1
    while start < min(len(rows), kr + 4) and (is_column_numbers(rows[start]) or _unit_row(rows[start])):
        start += 1
    cols.data_start = start
    return cols


def _word(value) -> str:
    return " ".join(str(value).lower().split()) if isinstance(value, str) else ""


def _header_grid(rows, merges, top, kr, width) -> list[list[str]]:
    """The header texts with each group label spread over the columns it heads: by the merges
    when the file has them, else over the empty cells to its right that have a K/Rp below."""
    height = kr - top + 1
    grid = [[cell_text(rows[r][c]) if c < len(rows[r]) else "" for c in range(width)] for r in range(top, kr + 1)]
    starts = [[bool(text) for text in level] for level in grid]
    for (r0, c0), (r1, c1) in merges:
        if top <= r0 <= kr and c0 < width:
            for r in range(r0, min(r1, kr) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    grid[r - top][c] = grid[r - top][c] or grid[r0 - top][c0]
    for level in range(height - 1):
        carry = ""
        for c in range(width):
            if starts[level][c] or any(starts[up][c] for up in range(level)):
                carry = grid[level][c] if starts[level][c] else ""
            elif not grid[-1][c]:
                carry = ""
            elif not grid[level][c] and carry:
                grid[level][c] = carry
    return grid


def _classify(grid, kr_words, top, kr) -> RenjaColumns | None:
    width = len(grid[0])
    headers, parts = [], {}
    quarter_k, quarter_rp, year = {}, {}, {}
    for c in range(width):
        levels: list[str] = []
        for level in grid:
            text = " ".join(level[c].split())
            if text and text not in levels:
                levels.append(text)
        headers.append(" / ".join(levels) or column_letter(c))
        word = kr_words[c]
        if word in K_WORDS or word in RP_WORDS:
            kind = "k" if word in K_WORDS else "rp"
            group = " ".join(levels[:-1]).lower()
            quarter = _quarter(levels[:-1])
            if "tingkat" in group:
                continue
            if quarter:
                (quarter_k if kind == "k" else quarter_rp).setdefault(quarter, c)
            elif "target" in group and ("renstra" in group or "akhir periode" in group):
                continue
            elif "target" in group:
                year.setdefault(f"target_{kind}", c)
            elif "lalu" in group or "renstra" in group:
                continue
            elif "realisasi" in group or "capaian" in group:
                year.setdefault(f"year_{kind}", c)
            continue
        text = " ".join(levels).lower()
        for part, words in _PARTS:
            if any(w in text for w in words) and (part == "code" or part not in parts):
                parts.setdefault(part, []).append(c)
                break
        else:
            if re.fullmatch(r"no\.?|nomor|no urut", text):
                parts.setdefault("number", [c])
    if "name" not in parts or "target_k" not in year or not quarter_k:
        return None
    single = {k: v[0] for k, v in parts.items() if k != "code"}
    return RenjaColumns(top, kr, kr + 1, headers, single["name"], year["target_k"], quarter_k, quarter_rp,
                        code=parts.get("code", []), number=single.get("number"), indicator=single.get("indicator"),
                        unit=single.get("unit"), responsible=single.get("responsible"), notes=single.get("notes"),
                        pillar=single.get("pillar"),
                        target_rp=year.get("target_rp"), year_k=year.get("year_k"), year_rp=year.get("year_rp"))


# Checked in this order: "Indikator Kinerja Program (outcome)/Kegiatan (output)" is the indicator.
_PARTS = (
    ("indicator", ("indikator",)),
    ("code", ("kode",)),
    ("unit", ("satuan",)),
    ("sasaran", ("sasaran",)),
    ("responsible", ("penanggung jawab", "penanggungjawab", "perangkat daerah", "opd", "unit kerja", "pelaksana")),
    ("notes", ("keterangan", "catatan")),
    ("pillar", ("pilar", "pillar")),
    ("name", ("program", "kegiatan", "uraian", "urusan")),
)


def _quarter(levels: list[str]) -> int | None:
    joined = " ".join(levels).lower()
    found = _QUARTER.search(joined)
    if found:
        return _ROMAN[found.group(1)]
    if levels and "triwulan" in joined or "tw" in joined.split():
        return _ROMAN.get(levels[-1].lower().strip(" ."))
    return None
