"""The portal's one set of display formats, for every template: dates YYYY-MM-DD, times
YYYY-MM-DD HH:MM, amounts in 元 with thousands separators and two decimals (or 万元), and a
basis (依据) as links to its clauses in the policy library. `{% load portal %}`."""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal.formatting import WAN, YUAN, money_text, rmb_upper

register = template.Library()
EMPTY = "—"


@register.simple_tag
def menu_url(name):
    """`{% url name %}` of a URL without arguments, reversed once per process (portal.menu.url):
    the header's links, on every page."""
    from portal.menu import url

    return url(name)


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


@register.filter
def wan(value):
    """1234567.8 元 → "123.4568" (万元, exact to the 元; portal.formatting.WAN)."""
    return money_text(value, WAN)


@register.filter
def ymd(value):
    """A date or datetime → "2026-12-01" (local date for an aware datetime); empty → "—"."""
    if value in (None, ""):
        return EMPTY
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return value


@register.filter
def ymdhm(value):
    """A datetime → "2026-12-01 14:05" in local time; empty → "—"."""
    if value in (None, ""):
        return EMPTY
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    return ymd(value)


@register.filter
def basis_link(basis):
    """A basis with each clause it names ("富阳 四(六)") linked to the policy library's anchor."""
    from portal.policy_library import clause_references

    text = "" if basis is None else str(basis)
    library = reverse("portal:policy_library")
    out, last = [], 0
    for start, end, anchor in clause_references(text):
        label = text[start:end].rstrip()
        end = start + len(label)
        out.append(conditional_escape(text[last:start]))
        out.append(f'<a class="basis-link" href="{library}#{anchor}">{conditional_escape(label)}</a>')
        last = end
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(out))


@register.filter
def staff(user):
    """A staff member as colleagues need them: real name (else user name) and phone (a tel:
    link). Empty → "—"."""
    if user is None or user == "":
        return EMPTY
    name = conditional_escape(user.get_full_name() or user.get_username())
    html = f'<span class="staff-name">{name}</span>'
    phone = getattr(user, "phone", "")
    if phone:
        html += (f' <a class="staff-phone" href="tel:{conditional_escape(phone.replace(" ", ""))}">'
                 f"☎ {conditional_escape(phone)}</a>")
    return mark_safe(html)
