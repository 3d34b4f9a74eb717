"""Money (金额): Decimal 元 with exactly two places, never float.

Floats are refused outright: 0.1 + 0.2 is not 0.3, and a subsidy ledger must add up to the
cent. Rounding is 四舍五入 (ROUND_HALF_UP), as in Chinese financial reports.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value) -> Decimal:
    """Return `value` as Decimal 元 quantized to 0.01 (ROUND_HALF_UP).

    Accepts str, int or Decimal; a float (or bool) raises TypeError, text that is not a
    finite number raises ValueError.
    """
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"金额须为字符串、整数或 Decimal，不能是 {type(value).__name__}")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"不是有效的金额：{value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"不是有效的金额：{value!r}")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return amount.copy_abs() if amount.is_zero() else amount  # never "-0.00"


def format_money(amount) -> str:
    """"1234.50": two decimals, no thousands separator (the JSON and API form)."""
    return str(to_money(amount))


def format_grouped(amount) -> str:
    """"1,234,567.50": two decimals with thousands separators, as statements write amounts."""
    return f"{to_money(amount):,.2f}"


def format_wan(amount) -> str:
    """"200万元": an amount in 万元 for messages, as the documents write it."""
    wan = to_money(amount) / 10000
    return f"{wan.normalize():f}万元"
