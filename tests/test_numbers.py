"""Indonesian numbers, rupiah, percentages and dates, as officers type them."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.ingest.numbers import BadCell, format_id, is_blank, parse_date, parse_number


@pytest.mark.parametrize("text, expected", [
    ("Rp 1.250.000", 1_250_000.0),             # dots group thousands
    ("Rp 1.250.000.000", 1_250_000_000.0),
    ("Rp. 1.250.000,-", 1_250_000.0),          # ",-" closes a rupiah amount
    ("Rp1.250.000", 1_250_000.0),
    ("1.250,5", 1_250.5),                      # the comma is the decimal separator
    ("1.250.000,50", 1_250_000.5),
    ("75,5", 75.5),
    ("75%", 75.0),                             # percent points, not 0.75
    ("75,5 %", 75.5),
    ("1,250.5", 1_250.5),                      # English, unambiguous because both separators appear
    ("1,250,000", 1_250_000.0),                # English thousands: two commas cannot be decimals
    ("1.250", 1_250.0),                        # one dot and three digits: Indonesian thousands
    ("0.755", 0.755),                          # a leading zero cannot start a thousands group
    ("75.5", 75.5),
    ("12 dokumen", 12.0),                      # a unit word after the number
    ("1,5 juta", 1_500_000.0),
    ("Rp 2,5 M", 2_500_000_000.0),             # M = miliar after Rp
    ("500 m", 500.0),                          # ... but metres without Rp
    ("(1.000)", -1_000.0),                     # accountants' negative
    ("-5", -5.0),
    ("1 250 000", 1_250_000.0),                # spaces as thousands separators
    ("nihil", 0.0),
    ("\u2265 80%", 80.0),                      # a SAKIP target "at least 80%"
    ("min. 80", 80.0),
    ("\u2264 14", 14.0),
    ("  42  ", 42.0),
])
def test_parse_number_reads_indonesian_text(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("nothing", [None, "", "  ", "-", "\u2013", "n/a", "N/A", "NULL", "na", "#N/A"])
def test_written_nothing_is_none(nothing):
    assert parse_number(nothing) is None
    assert is_blank(nothing)


def test_rupiah_sign_without_an_amount_is_nothing():
    assert parse_number("Rp -") is None
    assert parse_number("Rp") is None


def test_cells_that_are_already_numbers_pass_through():
    assert parse_number(1250000.0) == 1250000.0
    assert parse_number(7) == 7.0
    assert parse_number(float("nan")) is None


@pytest.mark.parametrize("text", ["abc", "tujuh", "12.50.00", "1,2,3", "2 dari 5", "Rp x", "TW III"])
def test_text_that_is_not_a_number_raises_bad_cell(text):
    with pytest.raises(BadCell) as bad:
        parse_number(text)
    assert bad.value.key == "err.cell.number"
    assert bad.value.params["value"] == text


def test_true_false_and_dates_are_not_numbers():
    for value in (True, dt.date(2024, 1, 1)):
        with pytest.raises(BadCell):
            parse_number(value)


def test_decimal_hint_reads_a_lone_dot_the_english_way():
    # An English CSV writes 1.250 for one and a quarter; the file-level hint says so.
    assert parse_number("1.250", decimal=".") == 1.25
    assert parse_number("1,250", decimal=".") == 1250.0
    assert parse_number("1,25", decimal=",") == 1.25


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=0, max_value=99))
def test_any_amount_written_the_indonesian_way_reads_back(whole, cents):
    # 1250000 and 50 cents -> "1.250.000,50" -> 1250000.5
    value = whole + cents / 100
    assert parse_number(format_id(value, 2)) == pytest.approx(value, rel=1e-12, abs=1e-6)
    assert parse_number("Rp " + format_id(whole, 0)) == whole


@given(st.integers(min_value=1000, max_value=10**12))
def test_thousands_with_dots_and_no_decimals_read_back(whole):
    assert parse_number(format_id(whole, 0)) == whole


@given(st.decimals(min_value=0, max_value=100, places=1, allow_nan=False))
def test_percent_text_reads_back_as_percent_points(percent):
    text = format_id(float(percent), 1) + " %"  # "75,5 %"
    assert parse_number(text) == pytest.approx(float(percent))


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text, start, due", [
    ("21/09/2024", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("21-09-2024", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("21/09/24", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("21 September 2024", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("21 Sep 2024", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("31-Des-2024", dt.date(2024, 12, 31), dt.date(2024, 12, 31)),
    ("1 Agustus 2024", dt.date(2024, 8, 1), dt.date(2024, 8, 1)),
    ("Senin, 21 Oktober 2024", dt.date(2024, 10, 21), dt.date(2024, 10, 21)),
    ("2024-09-21", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("2024-09-21 00:00:00", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("21-09-2024 08:00", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),
    ("09/21/2024", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),        # month first only when day > 12
    ("Sep-24", dt.date(2024, 9, 1), dt.date(2024, 9, 30)),             # a month: first day, or last when due
    ("Januari 2024", dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
    ("Februari 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),      # leap year
    ("TW III 2024", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),        # a quarter
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),              # a year
    ("45556", dt.date(2024, 9, 21), dt.date(2024, 9, 21)),             # an Excel serial as text
])
def test_parse_date_reads_the_ways_dates_are_written(text, start, due):
    assert parse_date(text) == start
    assert parse_date(text, end=True) == due


def test_excel_serials_and_date_cells():
    assert parse_date(45556.0) == dt.date(2024, 9, 21)  # 45556 days after 30 Dec 1899
    assert parse_date(dt.datetime(2024, 9, 21, 8, 30)) == dt.date(2024, 9, 21)
    assert parse_date(dt.date(2024, 9, 21)) == dt.date(2024, 9, 21)
    assert parse_date(2024.0, end=True) == dt.date(2024, 12, 31)


@pytest.mark.parametrize("text", ["foo", "32/13/2024", "31/02/2024", "Smarch 2024", "12"])
def test_text_that_is_not_a_date_raises_bad_cell(text):
    with pytest.raises(BadCell) as bad:
        parse_date(text)
    assert bad.value.key == "err.cell.date"


def test_written_nothing_is_no_date():
    assert parse_date("-") is None
    assert parse_date("") is None
    assert parse_date(None) is None


MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
MONTHS_SHORT_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@given(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_date_written_the_indonesian_ways_reads_back(day):
    month, short = MONTHS_ID[day.month - 1], MONTHS_SHORT_ID[day.month - 1]
    for text in (f"{day:%d/%m/%Y}", f"{day.day} {month} {day.year}", f"{day.day:02d}-{short}-{day.year}",
                 day.isoformat(), str((day - dt.date(1899, 12, 30)).days)):
        assert parse_date(text) == day, text


@given(st.integers(min_value=1960, max_value=2099), st.integers(min_value=1, max_value=12))
def test_a_month_alone_spans_its_first_to_last_day(year, month):
    start = parse_date(f"{MONTHS_ID[month - 1]} {year}")
    end = parse_date(f"{MONTHS_ID[month - 1]} {year}", end=True)
    assert start == dt.date(year, month, 1)
    assert end.month == month and (end + dt.timedelta(days=1)).day == 1
