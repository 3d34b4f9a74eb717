"""嘉兴 月报月例会 (DOMAIN §9; 嘉兴 三(三) 月报月例会制度): the city office records the month's
meeting; the month's figures per district (the bulletin's figures, acceptance.bulletins.build,
their one owner) are attached as they stood when the record was saved."""

import datetime as dt
import re

from django.db import IntegrityError, transaction

from acceptance.bulletins import COLUMNS, build
from communities.models import Office, Region
from communities.permissions import covers_a_city, has_instrument, is_admin, office_of
from policies.instruments import INSTRUMENTS
from portal.errors import Conflict
from portal.permissions import ALLOWED, Decision, require
from supervision import inputs
from supervision.inspections import today
from supervision.models import MonthlyMeeting

MONTH = re.compile(r"^\d{4}-\d{2}$", re.ASCII)
BASIS = INSTRUMENTS["monthly_meeting"].basis


def can_view(user, obj=None) -> Decision:
    """月报月例会 (嘉兴 三(三)): read by whoever's data scope covers the city of 嘉兴 (its offices,
    the leading group, its finance bureau) and administrators."""
    if is_admin(user):
        return ALLOWED
    if covers_a_city(user) and has_instrument(user, "monthly_meeting"):
        return ALLOWED
    return False, "月报月例会按嘉兴全市汇总（嘉兴 三(三)），仅嘉兴市级单位可以查看"


def can_record(user) -> Decision:
    office = office_of(user)
    if office and office.kind == Office.Kind.CITY_TOWNSCAPE and has_instrument(user, "monthly_meeting"):
        return ALLOWED
    return False, "月报月例会由嘉兴市风貌办记录（嘉兴 三(三)）"


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


@transaction.atomic
def record(user, data: dict) -> MonthlyMeeting:
    require(can_record(user))
    raw = data.get("month")
    if not isinstance(raw, str) or not MONTH.match(raw.strip()):
        inputs.refuse("month", "月份格式应为 YYYY-MM（半角数字）")
    month = inputs.date({"month": f"{raw.strip()}-01"}, "month", "月份")
    held_on = inputs.date(data, "held_on", "例会日期")
    inputs.not_after(held_on, "held_on", "例会日期", today())
    first, last = month_bounds(month)
    if last >= today():
        inputs.refuse("month", "只能记录已结束月份的例会")
    if held_on < first:
        inputs.refuse("held_on", "例会日期不能早于所议月份")
    attendees = inputs.text(data, "attendees", "参会单位和人员", max_length=400)
    minutes = inputs.text(data, "minutes", "会议纪要", max_length=8000)
    city = Region.objects.get(pk=user.office.region_id)
    figures = build(city, "monthly", f"{first:%Y-%m}", first, last)
    try:
        with transaction.atomic():
            return MonthlyMeeting.objects.create(city=city, month=first, held_on=held_on, attendees=attendees,
                                                 minutes=minutes, figures=figures, created_by=user)
    except IntegrityError:
        raise Conflict(f"{first:%Y年%m月}的月例会已记录") from None


def figure_table(meeting) -> tuple[list[str], list[list]]:
    """(headers, rows) of the attached figures, in the bulletin's column order."""
    columns = list(COLUMNS)
    rows = [[row.get(key) for key, _ in columns] for row in meeting.figures.get("rows", [])]
    return [label for _, label in columns], rows
