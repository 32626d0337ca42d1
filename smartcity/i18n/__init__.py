"""All user-facing text, Bahasa Indonesia first and English second, declared in one place.

`t(key, lang, **params)` looks a key up in the catalogues below (ui.py for screens,
domain.py for pillar/status names, errors.py for messages about input) and fills `{placeholders}` with `params`.
A missing key raises KeyError so that a typo fails a test instead of showing a raw key.
"""
from __future__ import annotations

from .briefing import BRIEFING
from .domain import DOMAIN
from .errors import ERRORS
from .system import SYSTEM
from .ui import UI

LANGS = ("id", "en")
DEFAULT_LANG = "id"

CATALOG: dict[str, tuple[str, str]] = {**DOMAIN, **UI, **ERRORS, **SYSTEM, **BRIEFING}


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The text for `key` in `lang` ("id" or "en"), with `params` filled in."""
    indonesian, english = CATALOG[key]
    text = english if lang == "en" else indonesian
    return text.format(**params) if params else text
