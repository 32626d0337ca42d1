"""Numbers, money, percentages and dates written the Indonesian way.

Indonesian writes a dot between thousands and a comma before decimals ("1.234,5"), money
as "Rp" with short scale words for large amounts ("Rp 1,25 M" = 1,25 miliar), and dates as
"7 Okt 2024". Numbers keep the Indonesian form in the English interface too: officials read
the same figures in both languages. A missing value (None, NaN, NaT) is shown as "–".
"""
from __future__ import annotations

import math
from datetime import date, datetime

MISSING = "–"

# Short scale words for rupiah: ribu, juta, miliar, triliun (largest first).
RUPIAH_UNITS: tuple[tuple[float, str], ...] = ((1e12, "T"), (1e9, "M"), (1e6, "Jt"), (1e3, "Rb"))

MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas NA/NaT: anything that should read as '–'."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """1234.5 -> "1.234,5". `decimals` fixes the decimals; None shows up to 2, trailing zeros dropped."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if math.isinf(value):
        return MISSING
    places = 2 if decimals is None else decimals
    text = f"{abs(value):,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    negative = value < 0 and any(ch not in "0,." for ch in text)
    return ("-" if negative else "") + text


def format_percent(value: float | int | None, decimals: int = 1) -> str:
    """A percentage already scaled to 0-100: 75.5 -> "75,5%", 80 -> "80%"."""
    if is_missing(value):
        return MISSING
    text = format_number(round(float(value), decimals), decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def format_rupiah(value: float | int | None, *, compact: bool = True) -> str:
    """Money in rupiah: 1_250_000_000 -> "Rp 1,25 M"; compact=False -> "Rp 1.250.000.000".

    Compact form uses Rb (ribu), Jt (juta), M (miliar), T (triliun) with up to two decimals;
    amounts under a thousand are written in full.
    """
    if is_missing(value):
        return MISSING
    amount = float(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if not compact:
        return f"{sign}Rp {format_number(round(amount), 0)}"
    for i, (size, word) in enumerate(RUPIAH_UNITS):
        if amount >= size:
            scaled = round(amount / size, 2)
            if scaled >= 1000 and i > 0:  # 999.999.999 rounds to 1.000 Jt: say 1 M instead
                size, word = RUPIAH_UNITS[i - 1]
                scaled = round(amount / size, 2)
            return f"{sign}Rp {format_number(scaled)} {word}"
    return f"{sign}Rp {format_number(round(amount), 0)}"


def format_date(value: date | datetime | None, lang: str = "id") -> str:
    """date(2024, 10, 7) -> "7 Okt 2024" (English: "7 Oct 2024")."""
    if is_missing(value):
        return MISSING
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    months = MONTHS["en" if lang == "en" else "id"]
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_count(value: float | int | None) -> str:
    """A whole count: 1234 -> "1.234"."""
    if is_missing(value):
        return MISSING
    return format_number(round(float(value)), 0)


def format_value(value: float | int | None, unit: str) -> str:
    """A KPI value in its unit: percent "75,5%", rupiah "Rp 1,25 M", count "12", number "1.234,5"."""
    if unit == "percent":
        return format_percent(value)
    if unit == "rupiah":
        return format_rupiah(value)
    if unit == "count":
        return format_count(value)
    return format_number(value)


def format_change(value: float | int | None, unit: str) -> str:
    """A change in a KPI's unit, signed: percent in points "+4,2" (the caller says "poin"), count "-2",
    rupiah "+Rp 1,2 M", number "+0,5"; no change is "0"."""
    if is_missing(value):
        return MISSING
    if unit == "percent":
        value = round(float(value), 1)
        text = format_percent(abs(value)).rstrip("%")
    elif unit == "count":
        value = round(float(value))
        text = format_count(abs(value))
    elif unit == "rupiah":
        text = format_rupiah(abs(value))
    else:
        text = format_number(abs(value))
    if text in ("0", "Rp 0"):
        return text
    return ("+" if value > 0 else "-") + text
