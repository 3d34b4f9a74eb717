from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value):
    """1234567.8 → "1,234,567.80" (元, two decimals, as in the finance reports)."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{amount:,.2f}"
