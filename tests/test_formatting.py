"""Numbers are shown the Indonesian way: dot for thousands, comma for decimals, Rp with Rb/Jt/M/T."""
from datetime import date, datetime

import pandas as pd
import pytest

from smartcity.formatting import format_count, format_date, format_number, format_percent, format_rupiah


@pytest.mark.parametrize("value, expected", [
    (1234.5, "1.234,5"),
    (1234567.891, "1.234.567,89"),    # two decimals at most by default
    (1000, "1.000"),                  # no ",00" on whole numbers
    (0.5, "0,5"),
    (-2500.25, "-2.500,25"),
    (-0.001, "0"),                    # rounds to zero: no minus sign on zero
    (None, "–"),
    (float("nan"), "–"),
])
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_format_number_with_fixed_decimals():
    assert format_number(1234.5, 2) == "1.234,50"
    assert format_number(1234.4, 0) == "1.234"


@pytest.mark.parametrize("value, expected", [
    (75.5, "75,5%"),
    (75.54, "75,5%"),
    (80, "80%"),       # a whole percentage has no ",0"
    (100.0, "100%"),
    (0, "0%"),
    (66.666, "66,7%"),
    (None, "–"),
])
def test_format_percent(value, expected):
    assert format_percent(value) == expected


@pytest.mark.parametrize("value, expected", [
    (1_250_000_000, "Rp 1,25 M"),          # 1,25 miliar
    (2_000_000_000, "Rp 2 M"),
    (1_234_567_890, "Rp 1,23 M"),
    (750_000_000, "Rp 750 Jt"),            # 750 juta
    (1_500_000, "Rp 1,5 Jt"),
    (25_000, "Rp 25 Rb"),                  # 25 ribu
    (3_400_000_000_000, "Rp 3,4 T"),       # 3,4 triliun
    (999_999_999, "Rp 1 M"),               # would round to "1.000 Jt": the next unit reads better
    (950, "Rp 950"),
    (0, "Rp 0"),
    (-1_250_000_000, "-Rp 1,25 M"),
    (None, "–"),
])
def test_format_rupiah_compact(value, expected):
    assert format_rupiah(value) == expected


def test_format_rupiah_full():
    assert format_rupiah(1_250_000, compact=False) == "Rp 1.250.000"
    assert format_rupiah(1_250_000_000.4, compact=False) == "Rp 1.250.000.000"


@pytest.mark.parametrize("value, lang, expected", [
    (date(2024, 10, 7), "id", "7 Okt 2024"),
    (date(2024, 10, 7), "en", "7 Oct 2024"),
    (date(2024, 5, 31), "id", "31 Mei 2024"),
    (date(2024, 8, 17), "id", "17 Agu 2024"),
    (datetime(2024, 12, 1, 9, 30), "id", "1 Des 2024"),
    (pd.Timestamp("2024-10-07"), "id", "7 Okt 2024"),
    (None, "id", "–"),
    (pd.NaT, "en", "–"),
])
def test_format_date(value, lang, expected):
    assert format_date(value, lang) == expected


def test_format_count():
    assert format_count(1234) == "1.234"
    assert format_count(None) == "–"


def test_format_value_follows_the_kpi_unit():
    from smartcity.formatting import format_value

    assert format_value(75.5, "percent") == "75,5%"
    assert format_value(1_250_000_000, "rupiah") == "Rp 1,25 M"
    assert format_value(12.0, "count") == "12"
    assert format_value(1234.5, "number") == "1.234,5"
