"""共富指数 (嘉兴 二(五)13 “定期填报‘共富指数’”): filed per project and quarter. The document does
not define the index: its indicators are what an administrator sets (none by default), and the
page says so."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from portal.errors import Conflict, InvalidInput
from portal.permissions import require
from residents import permissions
from residents.models import ProsperityFiling, ProsperityIndicator
from residents.validation import clean_date

UNDEFINED = "文件（嘉兴 二(五)13）要求定期填报“共富指数”，但未规定其指标；指标由系统管理员设定。"


def indicators():
    return list(ProsperityIndicator.objects.filter(active=True))


def filings(project):
    return ProsperityFiling.objects.filter(project=project).select_related("filed_by")


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def file_index(user, project, *, period, data) -> ProsperityFiling:
    require(permissions.can_file_prosperity(user, project))
    wanted = indicators()
    if not wanted:
        raise InvalidInput("尚未设定共富指数指标，暂不能填报", {"period": "尚未设定共富指数指标"})
    period = quarter_start(clean_date(period, "填报期", "period"))
    values = {}
    for indicator in wanted:
        raw = str(data.get(f"indicator_{indicator.pk}", "")).strip()
        try:
            if not raw.isascii():
                raise InvalidOperation
            value = Decimal(raw)
            if not value.is_finite() or abs(value) >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            message = f"“{indicator.name}”须为半角数字"
            raise InvalidInput(message, {f"indicator_{indicator.pk}": message}) from None
        values[indicator.name] = str(value)
    try:
        with transaction.atomic():
            return ProsperityFiling.objects.create(project=project, period=period, values=values, filed_by=user)
    except IntegrityError:
        raise Conflict(f"{period:%Y}年第{(period.month - 1) // 3 + 1}季度已填报") from None
