from datetime import date
from decimal import Decimal

import pytest

from policies.dates import add_years, year_end
from policies.money import format_money, format_wan, to_money


def test_to_money_quantizes_to_cents_rounding_half_up():
    assert to_money("1.005") == Decimal("1.01")
    assert to_money("1.004") == Decimal("1.00")
    assert to_money(7000000) == Decimal("7000000.00")
    assert to_money(Decimal("0.5")).as_tuple().exponent == -2


@pytest.mark.parametrize("value", [1.5, 0.1, True])
def test_to_money_refuses_floats_and_bools(value):
    with pytest.raises(TypeError):
        to_money(value)


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", ""])
def test_to_money_refuses_text_that_is_not_a_finite_number(value):
    with pytest.raises(ValueError):
        to_money(value)


def test_format_money_has_two_decimals_and_no_separator():
    assert format_money(Decimal("1234.5")) == "1234.50"
    assert format_money(Decimal("-1500000")) == "-1500000.00"
    assert format_money(Decimal("-0.001")) == "0.00"


def test_format_wan_writes_amounts_as_the_documents_do():
    assert format_wan(Decimal("2000000.00")) == "200万元"
    assert format_wan(Decimal("105000.00")) == "10.5万元"


def test_add_years_keeps_month_and_day():
    assert add_years(date(2021, 8, 15), 1) == date(2022, 8, 15)


def test_add_years_moves_29_february_to_28_february_in_a_common_year():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_add_years_keeps_29_february_in_a_leap_year():
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_year_end_is_31_december():
    assert year_end(2022) == date(2022, 12, 31)
