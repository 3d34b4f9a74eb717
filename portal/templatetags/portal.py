from django import template

from portal.formatting import YUAN, money_text, rmb_upper

register = template.Library()


@register.filter
def money(value, unit=None):
    """1234567.8 → "1,234,567.80" (元, two decimals, as in the finance reports); with a
    portal.formatting.Unit (`{{ amount|money:unit }}`) in that unit ("123.4568" 万元)."""
    return money_text(value, unit or YUAN)


@register.filter
def upper_amount(value):
    """大写金额 of an amount in 元 (portal.formatting.rmb_upper); "—" when it cannot be written."""
    try:
        return rmb_upper(value)
    except ValueError:
        return "—"
