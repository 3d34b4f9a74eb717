"""Money as finance officers read it: the 元 / 万元 unit of lists and exports, and the
Chinese uppercase amount (大写金额) of payment forms. Amounts are Decimal 元 everywhere in the
portal; these functions only change how they are shown, never what is stored.

Rounding is ROUND_HALF_UP (四舍五入), as on a bank voucher, not Python's banker's rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

UNIT_PARAM = "unit"


@dataclass(frozen=True)
class Unit:
    key: str  # the value of the `unit` parameter ("" for 元, the default)
    label: str  # 元 / 万元
    divisor: Decimal
    places: Decimal  # the quantum shown: 0.01 元, 0.0001 万元 (i.e. still exact to the 元)

    @property
    def heading(self) -> str:
        return f"单位：{self.label}"


YUAN = Unit("", "元", Decimal(1), Decimal("0.01"))
WAN = Unit("wan", "万元", Decimal(10000), Decimal("0.0001"))
UNITS = {YUAN.key: YUAN, "yuan": YUAN, WAN.key: WAN}


def unit_of(params) -> Unit:
    """The unit a list or export asks for (`?unit=wan`); anything else means 元."""
    value = params.get(UNIT_PARAM, "") if params is not None else ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return UNITS.get(value if isinstance(value, str) else "", YUAN)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def in_unit(value, unit: Unit = YUAN) -> Decimal | None:
    """An amount in 元 expressed in `unit`, rounded half up to the unit's places
    (12,345.67 元 → 1.2346 万元); None stays None."""
    amount = _decimal(value)
    if amount is None:
        return None
    return (amount / unit.divisor).quantize(unit.places, rounding=ROUND_HALF_UP)


def money_text(value, unit: Unit = YUAN) -> str:
    """The amount as shown on pages: thousands separators, the unit's places; "—" when empty
    (1234567.8 → "1,234,567.80"; in 万元 → "123.4568")."""
    amount = in_unit(value, unit)
    if amount is None:
        return "—" if value in (None, "") else str(value)
    return f"{amount:,}"


# ---------------------------------------------------------------- 大写金额

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")
MAX_AMOUNT = Decimal("9999999999999999.99")  # 万亿 is the largest group written


def _group(digits: str) -> str:
    """Four digits (thousands first) → 壹仟零伍 ...; "" for 0000. Zeros between digits read 零 once."""
    text, zero = "", False
    for position, char in enumerate(digits):
        digit = int(char)
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[3 - position]
    return text


def rmb_upper(value) -> str:
    """Chinese uppercase amount for a voucher (中文大写金额), per the People's Bank rules for
    filling in settlement vouchers: 元 after the integer part, 整 when there are no 角/分,
    one 零 for any run of zeros inside the number (also across 万/亿), 零 after 元 when 角 is 0
    or the 元 digit is 0 (1,680.32 → 壹仟陆佰捌拾元零叁角贰分, the standard's first form).

    1,234,567.89 → 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分; 100,005.00 → 壹拾万零伍元整;
    0.50 → 伍角; negative amounts are prefixed 负. ValueError for non-numbers and amounts
    beyond 万亿."""
    amount = _decimal(value)
    if amount is None:
        raise ValueError(f"金额“{value}”不是数字")
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(amount) > MAX_AMOUNT:
        raise ValueError("金额超过可书写的范围（万亿元）")
    sign = "负" if amount < 0 else ""
    cents = int(abs(amount) * 100)
    integer, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = ""
    if integer:
        digits = str(integer)
        digits = "0" * (-len(digits) % 4) + digits
        groups = [digits[i:i + 4] for i in range(0, len(digits), 4)]
        pending_zero = False
        for index, group in enumerate(groups):
            unit = GROUP_UNITS[len(groups) - 1 - index]
            if group == "0000":
                pending_zero = bool(text)
                continue
            if text and (pending_zero or group[0] == "0"):
                text += "零"
            text += _group(group) + unit
            pending_zero = group[-1] == "0"  # 1,001,001 → 壹佰万零壹仟零壹: the zeros after 佰万 read 零
        text += "元"
    if not jiao and not fen:
        return sign + (text + "整" if text else "零元整")
    if text and (not jiao or integer % 10 == 0):
        text += "零"  # 16,409.02 → …玖元零贰分; 1,680.32 → …捌拾元零叁角贰分 (the standard's first form)
    if jiao:
        text += DIGITS[jiao] + "角"
    if fen:
        text += DIGITS[fen] + "分"
    return sign + text
