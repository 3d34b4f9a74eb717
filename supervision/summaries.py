"""富阳 work summaries with the three lists (DOMAIN §9; 富阳 五(一) “每周、每半月、每月进行工作总结和
问题梳理，形成问题清单、工作清单、创新清单”): streets file, the district office compiles.

Period starts (the document names the rhythm, not the dates; the platform's reading): a week
starts on Monday, a half-month on the 1st or the 16th, a month on the 1st.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse

from communities.models import Office
from communities.permissions import has_instrument, is_admin, office_of
from policies.instruments import INSTRUMENTS
from portal.errors import Conflict
from portal.notifications import notify
from portal.permissions import ALLOWED, Decision, require
from supervision import inputs
from supervision.inspections import today
from supervision.models import WorkSummary

BASIS = INSTRUMENTS["work_summaries"].basis
PERIOD_RULE = "期间起始日由本平台确定：周总结为周一，半月总结为1日或16日，月总结为1日"
INBOX_EVENTS = {"work_summary_filed": "工作总结"}


def can_view(user, obj=None) -> Decision:
    office = office_of(user)
    if is_admin(user) or (office and office.kind in (Office.Kind.STREET, Office.Kind.DISTRICT_TOWNSCAPE)
                          and has_instrument(user, "work_summaries")):
        return ALLOWED
    return False, "工作总结（三张清单）依据富阳 五(一)，由富阳区街道（乡镇）报送、区办公室汇总"


def can_file(user) -> Decision:
    office = office_of(user)
    if office and office.kind == Office.Kind.STREET and has_instrument(user, "work_summaries"):
        return ALLOWED
    return False, "工作总结由富阳区街道（乡镇）报送"


def period_start_ok(kind: str, start: dt.date) -> bool:
    if kind == WorkSummary.Kind.WEEKLY:
        return start.weekday() == 0
    if kind == WorkSummary.Kind.HALF_MONTHLY:
        return start.day in (1, 16)
    return start.day == 1


@transaction.atomic
def file_summary(user, data: dict) -> WorkSummary:
    require(can_file(user))
    kind = data.get("kind")
    if kind not in WorkSummary.Kind.values:
        inputs.refuse("kind", "请选择总结类型（周 / 半月 / 月）")
    start = inputs.date(data, "period_start", "期间起始日")
    inputs.not_after(start, "period_start", "期间起始日", today())
    if not period_start_ok(kind, start):
        inputs.refuse("period_start", f"期间起始日不正确：{PERIOD_RULE}")
    lists = {field: inputs.text(data, field, label, max_length=4000, required=False)
             for field, label in (("problems", "问题清单"), ("work", "工作清单"), ("innovations", "创新清单"))}
    if not any(lists.values()):
        inputs.refuse("problems", "问题清单、工作清单、创新清单至少填写一项")
    try:
        with transaction.atomic():
            summary = WorkSummary.objects.create(office=user.office, kind=kind, period_start=start,
                                                 submitted_by=user, **lists)
    except IntegrityError:
        raise Conflict(f"{start}起的{WorkSummary.Kind(kind).label}已报送") from None
    district = Office.objects.filter(kind=Office.Kind.DISTRICT_TOWNSCAPE, region_id=user.office.region.parent_id)
    notify("work_summary_filed", link=reverse("supervision:summaries"), link_label="工作总结（三张清单）",
           offices=district, title=f"【工作总结】{user.office.name}报送{start}起{summary.get_kind_display()}",
           body=f"问题清单：{lists['problems'] or '无'}")
    return summary
