"""The registry of Kotim agencies: one code per agency, however its name is written.

"Diskominfo", "DISKOMINFO KOTIM " and "Dinas Komunikasi dan Informatika" all resolve to
DISKOMINFO. An unknown name is never created silently: `resolve` returns None and
`suggest` offers the closest known names.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "data" / "agencies.yaml"
# PyYAML's libyaml parser when installed with it (the KPI file: 4 ms against 31 ms), else its Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Words that carry no identity: the regency's name after an agency's, and filler.
_SUFFIXES = re.compile(
    r"\b(kabupaten kotawaringin timur|kab kotawaringin timur|kotawaringin timur|kab kotim|kotim|sampit)\b"
)


def normalize_name(text: str) -> str:
    """Lower case, accents and punctuation removed, regency suffix dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", str(text))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in "\u200b\u200c\u200d\ufeff")
    text = text.lower().replace("&", " dan ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = _SUFFIXES.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    short: str
    aliases: tuple[str, ...] = ()


class AgencyRegistry:
    """Agencies by code, with a lookup from every normalised spelling to its code."""

    def __init__(self, agencies: list[Agency], extra_aliases: dict[str, str] | None = None):
        self.agencies = {a.code: a for a in agencies}
        self._lookup: dict[str, str] = {}
        for a in agencies:
            for spelling in (a.code, a.name, a.short, *a.aliases):
                self._lookup.setdefault(normalize_name(spelling), a.code)
        self._builtin = dict(self._lookup)  # the registry's own spellings, before remembered aliases
        self._names = {normalize_name(a.name): a.name for a in agencies}   # for suggest: name or short -> name
        self._names.update({normalize_name(a.short): a.name for a in agencies})
        self._suggested: dict[tuple[str, int], tuple[str, ...]] = {}
        for spelling, code in (extra_aliases or {}).items():
            if code in self.agencies:
                self._lookup[normalize_name(spelling)] = code

    @classmethod
    def load(cls, path: Path | str = DEFAULT_REGISTRY, extra_aliases: dict[str, str] | None = None) -> "AgencyRegistry":
        """Read the registry YAML (a list of {code, name, short, aliases})."""
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
        agencies = [
            Agency(str(r["code"]), str(r["name"]), str(r.get("short") or r["name"]), tuple(map(str, r.get("aliases") or ())))
            for r in raw
        ]
        return cls(agencies, extra_aliases)

    def resolve(self, name: object) -> str | None:
        """The agency code for a name as written, or None when it is not known."""
        if name is None:
            return None
        key = normalize_name(str(name))
        if not key:
            return None
        if key in self._lookup:
            return self._lookup[key]
        # "Dinas Kesehatan Kabupaten ..." and "UPT ... Dinas Kesehatan": a known full name inside.
        for spelling, code in self._lookup.items():
            if len(spelling) >= 8 and spelling in key and key.startswith(("dinas", "badan", spelling)):
                return code
        return None

    def suggest(self, name: object, n: int = 3) -> list[str]:
        """The closest known agency names, for a message about an unknown one. Kept per spelling: a
        file names the same unknown agency on every one of its rows (2,333 rows of one name took ~5 s
        of a read when each was compared with every known name anew)."""
        key = normalize_name(str(name or ""))
        if (key, n) not in self._suggested:
            out: list[str] = []
            for c in difflib.get_close_matches(key, list(self._names), n=n * 2, cutoff=0.5):
                if self._names[c] not in out:
                    out.append(self._names[c])
            self._suggested[key, n] = tuple(out[:n])
        return list(self._suggested[key, n])

    def suggest_codes(self, name: object, n: int = 3) -> list[str]:
        """The codes of `suggest(name, n)`, in the same order."""
        by_name = {a.name: a.code for a in self.agencies.values()}
        return [by_name[found] for found in self.suggest(name, n)]

    def builtin_code(self, name: object) -> str | None:
        """The agency whose own name, short name, code or alias is exactly `name` (normalised);
        remembered aliases and the looser "known name inside" rule are not used."""
        return self._builtin.get(normalize_name(str(name or "")))

    def name(self, code: str) -> str:
        a = self.agencies.get(code)
        return a.name if a else code

    def short(self, code: str) -> str:
        a = self.agencies.get(code)
        return a.short if a else code
