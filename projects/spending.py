"""实际支出 (spending, DOMAIN §6.2): the input rules and the one reading of its total.

- Input (`clean_amount`, `clean_spent_on`), for the page's form and the API alike: amounts
  written with ASCII digits only (Arabic-Indic ٣, full-width ３, superscript ², `1_000` are
  refused — Python's Decimal and strptime would read some of them), positive and below
  MAX_AMOUNT; a spending date not later than today (the project clock). Errors name the field.
- The total (`effective_rows`, `spent_total`, `spent_subquery`, `spent_by_project`): the rows spent on or before
  a day, each at its effective amount — the amount of its latest approved correction
  (projects.corrections), else its own. The finalise move, the subsidy run and the ledger
  all read it, so they agree.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from portal.errors import InvalidInput

# A sanity bound, not a policy figure: no single spending row of a community project reaches
# 10^12 元 (the largest 总投资 of the documents is in the 10^9 range). A parameter of this module.
MAX_AMOUNT = Decimal("1000000000000")
AMOUNT_TEXT = re.compile(r"-?[0-9]{1,13}(\.[0-9]{1,2})?")
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MONEY = DecimalField(max_digits=16, decimal_places=2)
LABELS = {"amount": "金额（元）", "spent_on": "支出日期"}


def _refuse(field: str, message: str):
    raise InvalidInput(f"{LABELS[field]}：{message}", {field: message})


def clean_amount(raw, field: str = "amount") -> Decimal:
    """The amount typed (text) or sent (JSON number) as a Decimal, or InvalidInput naming the field."""
    if isinstance(raw, bool) or raw is None:
        _refuse(field, "请填写金额")
    if isinstance(raw, int | float | Decimal):
        raw = format(Decimal(str(raw)), "f") if not isinstance(raw, Decimal) else format(raw, "f")
    if not isinstance(raw, str):
        _refuse(field, "金额格式不正确")
    text = raw.strip()
    if not AMOUNT_TEXT.fullmatch(text):
        _refuse(field, "请用阿拉伯数字（0-9）填写金额，最多两位小数，不要使用全角、上标或分隔符")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        _refuse(field, "金额格式不正确")
    if amount < 0:
        _refuse(field, "金额不能为负数")
    if amount >= MAX_AMOUNT:
        _refuse(field, f"金额应小于{MAX_AMOUNT:,.0f}元，请核对单位")
    return amount


def clean_spent_on(raw, today: dt.date, field: str = "spent_on") -> dt.date:
    """The spending date (YYYY-MM-DD with ASCII digits, or a date), not later than `today`."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, str) and DATE_TEXT.fullmatch(raw.strip()):
        try:
            day = dt.date.fromisoformat(raw.strip())
        except ValueError:
            _refuse(field, "日期不存在，格式应为 YYYY-MM-DD")
    else:
        _refuse(field, "格式应为 YYYY-MM-DD（阿拉伯数字）")
    if day > today:
        _refuse(field, f"支出日期不能晚于今天（{today:%Y-%m-%d}）")
    return day


def effective_amount():
    """The amount a spending row counts for: its latest approved correction's, else its own."""
    from projects.models import SpendingCorrection

    latest = (SpendingCorrection.objects.filter(record=OuterRef("pk"), state=SpendingCorrection.State.APPROVED)
              .order_by("-decided_at", "-id").values("amount")[:1])
    return Coalesce(Subquery(latest, output_field=MONEY), "amount", output_field=MONEY)


def effective_rows(today: dt.date | None = None, **filters):
    """Spending rows that count (spent on or before `today`, when given), annotated `effective`."""
    from projects.models import SpendingRecord

    rows = SpendingRecord.objects.filter(**filters)
    if today is not None:
        rows = rows.filter(spent_on__lte=today)
    return rows.annotate(effective=effective_amount())


def spent_total(project, today: dt.date) -> Decimal:
    """The project's actual spending as of `today` (元): what the finalise move declares."""
    total = effective_rows(today, project=project).aggregate(total=Sum("effective"))["total"]
    return total if total is not None else Decimal("0.00")


def spent_subquery(today: dt.date | None = None):
    """`spent_total` per project as a subquery over OuterRef("pk") (the subsidy run, the ledger)."""
    rows = effective_rows(today, project=OuterRef("pk")).order_by()
    return Subquery(rows.values("project").annotate(total=Sum("effective")).values("total"), output_field=MONEY)


def spent_by_project(today: dt.date | None = None, **filters):
    """`spent_total` of every project with spending (of `filters`), one GROUP BY: `total` per
    `project` (the ledger joins it instead of running a subquery per project)."""
    rows = effective_rows(today, **filters).order_by()
    return rows.values("project").annotate(total=Sum("effective"))
