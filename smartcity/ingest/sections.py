"""What a row below the header is, and what the words around a table say about it.

A sheet holds more than action rows: section rows that set the pillar or the agency for the
rows below ("A. PILAR INTEGRASI", "I. DINAS KESEHATAN", "Perangkat Daerah : DINAS
KESEHATAN"), total rows ("JUMLAH", "TOTAL", "Sub Total"), headings ("Program Peningkatan
..."), blank rows and a signature block ("Sampit, 30 September 2024", "Kepala Dinas", "NIP
..."). Title rows above the header and the sheet's name can also name a pillar or agency.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from smartcity.domain import PILLAR_WORDS, Pillar

_PILLAR_BY_WORD = {w: p for p, words in PILLAR_WORDS.items() for w in words}
# "A. ", "I. ", "1.2) " always; "A " / "II " / "3 " only in capitals or digits, so "civil" stays a word.
# ... and a dotted code before a name, as SIPD writes agencies: "1.02.0.00.0.00.01.0000 DINAS KESEHATAN".
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)+\s+|(?i:[a-z]|[ivxlc]{1,5}|\d+(?:\.\d+)*)[.)]\s*"
                        r"|(?:[A-Z]|[IVXLC]{1,5}|\d{1,2})\s+(?=\S))")
_NUMBERING_ONLY = re.compile(r"^(?:[a-z]|[ivxlc]{1,5}|\d+(?:\.\d+)*)[.)]$|^(?:[ivxlc]{1,5}|[a-z])$", re.I)
_NUMERIC_TEXT = re.compile(r"^[-+(]?\s*(?:rp\.?\s*)?[\d.,]+\s*%?\)?$", re.I)


def strip_numbering(text: str) -> str:
    """"A. PILAR INTEGRASI" -> "PILAR INTEGRASI"; "I. DINAS KESEHATAN" -> "DINAS KESEHATAN"."""
    return _NUMBERING.sub("", text.strip(), count=1).strip()


def is_numbering(text: str) -> bool:
    """A cell holding only an outline number: "A.", "I", "1)", "1.2."."""
    return bool(_NUMBERING_ONLY.match(text))


@lru_cache(maxsize=1024)
def pillar_in_cell(text: str) -> Pillar | None:
    """The pillar a pillar-column cell names ("Integrasi", "1. Pilar Kolaborasi", "Sustainability")."""
    for word in re.sub(r"[^a-z]", " ", text.lower()).split():
        if word in _PILLAR_BY_WORD:
            return _PILLAR_BY_WORD[word]
    return None


_PILLAR_SECTION = re.compile(r"^(?:pilar|pillar)?\s*(?:ke[\s-]*(?=\d))?(?:\d+|[ivx]+\b)?\s*[:.\-]?\s*([a-z]+)(?:\s*\(.*\))?$")
_PILLAR_IN_TITLE = re.compile(r"\bpilar\s*(?:ke[\s-]*(?=\d))?(?:\d+|[ivx]+\b)?\s*[:.\-]?\s*([a-z]+)")


def pillar_section(text: str) -> Pillar | None:
    """A pillar named by a whole row or sheet name: "A. PILAR INTEGRASI", "Kolaborasi", "Pilar 3 - Keberlanjutan"."""
    match = _PILLAR_SECTION.match(strip_numbering(text).lower().strip())
    return _PILLAR_BY_WORD.get(match.group(1)) if match else None


def pillar_in_title(text: str) -> Pillar | None:
    """A pillar named inside a title line ("RENCANA AKSI ... PILAR KOLABORASI TAHUN 2024")."""
    match = _PILLAR_IN_TITLE.search(text.lower())
    return _PILLAR_BY_WORD.get(match.group(1)) if match else pillar_section(text)


_AGENCY_LABEL = re.compile(r"^(?:nama\s+)?(?:perangkat daerah|opd|skpd|unit kerja|satuan kerja|instansi|"
                           r"dinas\s*/\s*badan|agency)\s*[:\-]\s*(.+)$", re.I)


def agency_label(text: str) -> str | None:
    """The agency name after a label: "Perangkat Daerah : DINAS KESEHATAN" -> "DINAS KESEHATAN"."""
    match = _AGENCY_LABEL.match(strip_numbering(text))
    return match.group(1).strip(" :") if match else None


_REFERENCE_SHEET = re.compile(
    r"^(?:petunjuk|instruksi|instructions?|referensi|reference|ref|list|lookup|panduan|pedoman|cara|contoh|"
    r"example|readme|read me|keterangan|master|dropdown|pilihan|info|daftar(?: (?:opd|pilihan|referensi|kode|"
    r"satuan|status|pilar|isian|perangkat daerah))?$)\b", re.I)


def is_reference_sheet(name: str) -> bool:
    """Instruction and look-up sheets beside the data: Petunjuk, Instruksi, Referensi, List, Daftar."""
    return bool(_REFERENCE_SHEET.match(re.sub(r"[_\-.]+", " ", name).strip()))


# ---------------------------------------------------------------- kinds of rows

_TOTAL = re.compile(r"^(?:sub\s*-?\s*total|total|jumlah|jml\.?|grand total)\b", re.I)
_FOOTER = re.compile(
    r"^(?:mengetahui|menyetujui|disetujui|diperiksa|dibuat oleh|disusun oleh|kepala\b|plt\.?\s|plh\.?\s|"
    r"a\.\s?n\.?\s|an\.\s|ttd|dto\b|nip\b|nip\.|pembina\b|penata\b|sekretaris daerah|bupati\b|catatan\s*:|"
    r"sumber\s*(?:data)?\s*:|keterangan\s*:|ket\s*:)", re.I)
_PLACE_DATE = re.compile(r"^[a-z][a-z .]{1,30},\s*(?:\d{1,2}\s+)?(?:[a-z]+\s+)?\d{4}$", re.I)


def is_total(text: str) -> bool:
    """"JUMLAH", "Total", "Sub Total Pilar Integrasi", "B. JUMLAH"."""
    return bool(_TOTAL.match(text) or _TOTAL.match(strip_numbering(text)))


def is_footer(text: str) -> bool:
    """Signature blocks and notes below the table: "Sampit, 30 September 2024", "NIP ...", "Kepala Dinas"."""
    return bool(_FOOTER.match(text) or _PLACE_DATE.match(text))


_TOTAL_STARTS = ("jum", "tot", "sub", "jml", "gra")


def _outline_or_total(code: str) -> bool:
    """A one-word code cell that is really "A.", "IV" or "JUMLAH" (cheap checks before the regex)."""
    if len(code) <= 6 and is_numbering(code):
        return True
    return code[:3].lower() in _TOTAL_STARTS and is_total(code)


@dataclass
class RowKind:
    """What `classify` found: kind is blank, data, footer, total, section or heading."""

    kind: str
    text: str = ""
    pillar: Pillar | None = None
    agency_name: str | None = None  # a section row naming an agency, as written
    agency_code: str | None = None  # ... and its code, None when the registry does not know it


BLANK, DATA, FOOTER = RowKind("blank"), RowKind("data"), RowKind("footer")


def classify(row: list, code_index: int | None, registry, in_footer: bool) -> RowKind:
    """The kind of one row below the header. Cheap for ordinary data rows (they have a code)."""
    if code_index is not None and code_index < len(row):
        code = row[code_index]
        if isinstance(code, (float, int)) and not isinstance(code, bool):
            return DATA
        if isinstance(code, str):
            code = code.strip()
            if code and len(code.split(None, 1)) == 1 and not _outline_or_total(code):
                return DATA
    words, numbers = [], 0
    for value in row:
        if value is None or value == "":
            continue
        if isinstance(value, str):
            text = value.strip()
            if not text:
                continue
            if _NUMERIC_TEXT.match(text):
                numbers += 1
            elif not is_numbering(text):
                words.append(" ".join(text.split()))
        else:
            numbers += 1
    if not words and not numbers:
        return BLANK
    text = " ".join(words)
    if in_footer or (words and (is_footer(words[0]) or is_footer(text))):
        return FOOTER
    if words and is_total(words[0]):
        return RowKind("total", text)
    if words and len(words) <= 3:
        section = _section(text, registry)
        if section:
            return section
        if len(words) == 1 and not numbers:
            return RowKind("heading", text)
    return DATA


def _section(text: str, registry) -> RowKind | None:
    pillar = pillar_section(text)
    if pillar:
        return RowKind("section", text, pillar=pillar)
    named = agency_label(text)
    if named:
        return RowKind("section", text, agency_name=named, agency_code=registry.resolve(named))
    code = registry.resolve(strip_numbering(text))
    if code:
        return RowKind("section", text, agency_name=strip_numbering(text), agency_code=code)
    return None


def title_context(rows: list[list], registry) -> tuple[Pillar | None, str | None, str | None]:
    """(pillar, agency name, agency code) named in the title rows above a header."""
    pillar = name = code = None
    for row in rows:
        cells = [" ".join(str(v).split()) for v in row if isinstance(v, str) and v.strip()]
        if not cells:
            continue
        text = " ".join(cells)
        pillar = pillar or pillar_in_title(text)
        if name is None:
            labelled = agency_label(text)
            if labelled:
                name, code = labelled, registry.resolve(labelled)
                continue
            for cell in cells:
                found = registry.resolve(strip_numbering(cell))
                if found:
                    name, code = cell, found
                    break
    return pillar, name, code
