"""Reading numbers, rupiah amounts, percentages and dates as Indonesian offices write them.

Every parser takes one cell value as the spreadsheet library gives it (float, int, str,
datetime.date, ...) and returns a float / datetime.date, or None for "nothing there"
("", "-", "n/a", ...). A value that cannot be read raises `BadCell`, whose `key` and
`params` name a message in smartcity.i18n.errors.

Number rules (the `decimal` argument: None = decide per value, "," Indonesian, "." English):
- "1.250.000" and "Rp 1.250.000.000": dots are thousands; "1.250,5" and "1.250.000,50":
  the last separator is the decimal one; "1,250.5" (English) likewise.
- one separator only: a comma is decimal ("75,5"); a single dot is decimal ("75.5",
  "0.755") unless exactly three digits follow it after a 1-3 digit group ("1.250" = 1250),
  which is how Indonesian files write thousands. decimal="." makes that "1.25".
- "75%", "75,5 %": the number of percent points (75.0, 75.5); "12 dokumen" -> 12.0;
  "1,5 juta" -> 1500000.0; "(1.000)" -> -1000.0; "nihil" -> 0.0; a target written
  "≥ 80%" or "min. 80" -> 80.0 (the direction of the indicator is a column of its own).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache


class BadCell(ValueError):
    """A cell whose text cannot be read as the expected kind; carries a message key."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


# Written for "no value": these load as None, never as an error.
BLANKS = frozenset({"", "-", "--", "---", "\u2013", "\u2014", "n/a", "na", "n.a", "n.a.", "null", "none",
                    "nan", "#n/a", "#na", "tidak ada data", "belum ada data", "?"})
ZERO_WORDS = frozenset({"nihil", "nol", "nil"})
MULTIPLIERS = {"ribu": 1e3, "rb": 1e3, "k": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "milyar": 1e9,
               "m": 1e9, "triliun": 1e12, "t": 1e12}
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.I)
# A number possibly followed by a unit word: "12 dokumen", "75,5 %", "1,5 juta".
_NUMBER_AND_UNIT = re.compile(r"^([-+]?\d[\d.,]*)\s*([a-z%][a-z%./ ]*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_COMPARATORS = frozenset("≥≤><=")
_COMPARATOR = re.compile(r"^(?:[≥≤]|[<>]=?|=|min\.|minimal|maks\.|maksimal)\s*")


def is_blank(value: object) -> bool:
    """True for an empty cell or a written "nothing" ("-", "n/a", "null", ...)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in BLANKS
    return isinstance(value, float) and value != value  # NaN


def parse_number(value: object, *, decimal: str | None = None) -> float | None:
    """A cell as a float (see the module docstring for the rules), None when empty.

    Raises BadCell("err.cell.number") for text that is not a number.
    """
    if value is None:
        return None
    kind = type(value)
    if kind is float:
        return None if value != value else value
    if kind is int:
        return float(value)
    if kind is bool or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise BadCell("err.cell.number", value=_show(value))
    text = str(value).strip()
    if text.isdigit():  # the common case, without any regex
        return float(text)
    return _parse_number_text(text, decimal)


@lru_cache(maxsize=65536)  # a column repeats its values ("500.000.000", "-"): parse each once
def _parse_number_text(text: str, decimal: str | None) -> float | None:
    low = text.lower().replace("\u00a0", " ").replace("\u202f", " ").strip().lstrip("'")
    if low in BLANKS:
        return None
    if low in ZERO_WORDS:
        return 0.0
    if low[:1] in _COMPARATORS or low.startswith(("min.", "minimal ", "maks.", "maksimal ")):
        low = _COMPARATOR.sub("", low)  # a SAKIP target "≥ 80%" or "min. 80" is the number 80
    negative = False
    if low.startswith("(") and low.endswith(")"):  # accountants' negative: (1.000)
        negative, low = True, low[1:-1].strip()
    if low.startswith("-") and low[1:].lstrip().startswith(("rp", "idr")):  # "-Rp 5.000"
        negative, low = not negative, low[1:].lstrip()
    money = bool(_CURRENCY.match(low))
    if money:
        low = _CURRENCY.sub("", low)
        if low in BLANKS:  # "Rp -"
            return None
    if low.endswith((",-", ".-")):  # "Rp 1.250.000,-": the dash closes the amount
        low = low[:-2]
    # "1 250 000" (space as thousands separator) -> "1250000"; keep the space before a unit word.
    low = re.sub(r"(?<=\d) (?=\d{3}\b)", "", low)
    match = _NUMBER_AND_UNIT.match(low)
    if not match:
        raise BadCell("err.cell.number", value=text)
    body, unit = match.group(1), (match.group(2) or "").strip().rstrip(".")
    result = _parse_digits(body, decimal, text)
    # "1,5 juta" is 1.500.000; a lone "M" only after "Rp" ("Rp 1,5 M"), since "500 m" may be metres.
    if unit in MULTIPLIERS and (len(unit) > 1 or money):
        result *= MULTIPLIERS[unit]
    return -result if negative else result


def _parse_digits(body: str, decimal: str | None, original: str) -> float:
    sign = ""
    if body[0] in "+-":
        sign, body = body[0], body[1:]
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if dec == "," else ","
        if body.count(dec) > 1 or not _grouped(body.split(dec)[0], thousands):
            raise BadCell("err.cell.number", value=original)
        body = body.replace(thousands, "").replace(dec, ".")
    elif commas:
        head, _, tail = body.rpartition(",")
        if commas > 1 or (decimal == "." and len(tail) == 3):
            if not _grouped(body, ","):
                raise BadCell("err.cell.number", value=original)
            body = body.replace(",", "")
        else:
            body = head + "." + tail
    elif dots > 1:
        if not _grouped(body, "."):
            raise BadCell("err.cell.number", value=original)
        body = body.replace(".", "")
    elif dots == 1 and decimal != ".":
        head, _, tail = body.partition(".")
        if decimal == "," or (len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0"):
            body = head + tail
    try:
        return float(sign + body)
    except ValueError:
        raise BadCell("err.cell.number", value=original) from None


def _grouped(text: str, sep: str) -> bool:
    """True when `text` is digits grouped by `sep` in threes: 1.250.000 but not 12.50.00."""
    parts = text.split(sep)
    return bool(parts[0]) and len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def format_id(value: float, decimals: int = 2) -> str:
    """A number written the Indonesian way: 1250000.5 -> "1.250.000,50" (for messages, tests)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# ---------------------------------------------------------------- dates

MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8,
    "aug": 8, "agust": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10,
    "oct": 10, "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "december": 12,
    "des": 12, "dec": 12,
}
_WEEKDAY = re.compile(r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
                      r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\s*,?\s*")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ t].*)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s\-./]*([a-z]+)\.?[\s\-./,]*(\d{2}|\d{4})$")
_MONTH_Y = re.compile(r"^([a-z]+)\.?[\s\-./,']*(\d{2}|\d{4})$")
_MONTH_D_Y = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_QUARTER_Y = re.compile(r"^(?:tw|triwulan|q|kuartal)\s*[-.]?\s*(iv|iii|ii|i|[1-4])\s*[-/ ]\s*(\d{4})$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def parse_date(value: object, *, end: bool = False) -> dt.date | None:
    """A cell as a date, None when empty. Raises BadCell("err.cell.date") otherwise.

    Accepts date cells, Excel serials (20000-80000), a bare year, ISO text, "21/09/2024"
    (day first; month first only when the day cannot be a month), "21 September 2024",
    "21 Sep 2024", "31-Des-2024", "Sep-24", "Januari 2024", "TW III 2024".
    A month or a quarter alone means its first day, or its last day when `end` is true
    (a due date of "Sep-24" is 30 September 2024); a bare year likewise 1 Jan or 31 Dec.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise BadCell("err.cell.date", value=_show(value))
    if isinstance(value, (int, float)):
        return _date_from_number(float(value), end, value)
    if isinstance(value, (dt.time, dt.timedelta)):
        raise BadCell("err.cell.date", value=_show(value))
    text = str(value).strip()
    low = text.lower().replace("\u00a0", " ")
    if low in BLANKS:
        return None
    if len(low) == 10 and low[4] == "-" and low[7] == "-":  # ISO, the fast path
        try:
            return dt.date.fromisoformat(low)
        except ValueError:
            pass
    parsed = _cached_date(low, end)
    if parsed is None:
        raise BadCell("err.cell.date", value=text)
    return parsed


@lru_cache(maxsize=65536)
def _cached_date(low: str, end: bool) -> dt.date | None:
    try:
        return _date_from_text(_WEEKDAY.sub("", low), end)
    except (ValueError, OverflowError, BadCell):
        return None


def _date_from_number(number: float, end: bool, shown: object) -> dt.date:
    if number == int(number) and 1900 <= number <= 2100:
        return dt.date(int(number), 12, 31) if end else dt.date(int(number), 1, 1)
    if 20000 <= number <= 80000:  # an Excel serial between 1954 and 2119
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    raise BadCell("err.cell.date", value=_show(shown))


def _date_from_text(low: str, end: bool) -> dt.date | None:
    if low.isdigit():
        return _date_from_number(float(low), end, low)
    if m := _YMD.match(low):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(low):
        day, month, year = int(m[1]), int(m[2]), _year(m[3])
        if month > 12 and day <= 12:  # written month first (US style)
            day, month = month, day
        return dt.date(year, month, day)
    if m := _D_MONTH_Y.match(low):
        return _with_month(m[2], _year(m[3]), int(m[1]))
    if m := _MONTH_D_Y.match(low):
        return _with_month(m[1], int(m[3]), int(m[2]))
    if m := _MONTH_Y.match(low):
        month = MONTHS.get(m[1])
        return None if month is None else _month_edge(_year(m[2]), month, end)
    if m := _QUARTER_Y.match(low):
        quarter = _ROMAN.get(m[1]) or int(m[1])
        return _month_edge(int(m[2]), quarter * 3 if end else quarter * 3 - 2, end)
    return None


def _with_month(word: str, year: int, day: int) -> dt.date | None:
    month = MONTHS.get(word)
    return None if month is None else dt.date(year, month, day)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _month_edge(year: int, month: int, end: bool) -> dt.date:
    if not end:
        return dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
