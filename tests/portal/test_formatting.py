"""元 / 万元 display and 大写金额. Expected values written by hand, following the People's Bank
rules for filling in settlement vouchers (正确填写票据和结算凭证的基本规定)."""

from decimal import Decimal

import pytest

from portal.formatting import WAN, YUAN, in_unit, money_text, rmb_upper, unit_of
from portal.templatetags.portal import money, upper_amount


@pytest.mark.parametrize(("amount", "expected"), [
    ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
    ("100005.00", "壹拾万零伍元整"),  # zeros in the middle read one 零
    ("0.50", "伍角"),  # "在'角'之后可以不写'整'"
    ("10000000.00", "壹仟万元整"),
    ("0.05", "伍分"),
    ("0", "零元整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # the rules' own example: 角 is 0 → 零 after 元
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),  # the rules' own example (first form)
    ("1001001", "壹佰万零壹仟零壹元整"),
    ("100000001", "壹亿零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("2000000.00", "贰佰万元整"),
    ("-3.10", "负叁元壹角"),
    ("0.005", "壹分"),  # rounded half up to the 分
])
def test_uppercase_amount_written_as_on_a_voucher(amount, expected):
    assert rmb_upper(Decimal(amount)) == expected


@pytest.mark.parametrize("bad", ["abc", None, "NaN", "Infinity", Decimal("1e17")])
def test_uppercase_amount_refuses_what_it_cannot_write(bad):
    with pytest.raises(ValueError):
        rmb_upper(bad)
    assert upper_amount(bad) == "—"


def test_wan_unit_rounds_half_up_to_the_yuan():
    assert in_unit(Decimal("12345.67"), WAN) == Decimal("1.2346")
    assert in_unit(Decimal("12345.65"), WAN) == Decimal("1.2346")  # 0.00005 up, not to even
    assert in_unit(Decimal("2.5"), YUAN) == Decimal("2.50")
    assert money_text(Decimal("123456789.5"), WAN) == "12,345.6790"
    assert money_text(Decimal("1234567.8")) == "1,234,567.80"
    assert money(None) == "—"
    assert money(Decimal("50000"), WAN) == "5.0000"


def test_unit_parameter_defaults_to_yuan():
    assert unit_of({"unit": "wan"}) is WAN
    assert unit_of({"unit": ["wan"]}) is WAN
    assert unit_of({"unit": "万元"}) is YUAN
    assert unit_of({}) is YUAN
    assert WAN.heading == "单位：万元"
