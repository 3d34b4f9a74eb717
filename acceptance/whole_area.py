"""县域 / 街道全域未来社区 (绍兴2023 二(三)): a district or a street applies as a whole, the city
office accepts (coverage reached and effective operation) and publishes the list.

“2023年，柯桥区做好全县域未来社区试点工作…每个区、县（市）各开展1个街道全域试点…2024年起，在试点
基础上，每年组织开展县域、街道全域未来社区申报建设工作，由市风貌办组织验收，对未来社区覆盖率达到要求并
有效运营的区、县（市）和街道予以公布。” The document sets no coverage figure: the office judges it
from the coverage the platform computes, which is recorded with the decision."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from acceptance.models import WholeAreaApplication
from communities.models import Community, Office, Region
from communities.permissions import has_instrument, office_of
from policies.shaoxing_2023 import WHOLE_AREA, WHOLE_AREA_PILOT_YEAR, whole_area_refusal
from portal.errors import Conflict, Forbidden, InvalidInput
from portal.permissions import ALLOWED, Decision
from projects.models import LISTED_STATUSES, Status

CREATED = (*LISTED_STATUSES, Status.ACCEPTED, Status.NAMED)
COVERAGE_SCOPE = "覆盖率＝区划内有已列入创建名单（未终止）项目的城镇社区÷区划内在册城镇社区"


def coverage(region: Region) -> Decimal | None:
    """Share of the region's urban communities on file with a created project (COVERAGE_SCOPE)."""
    counts = (Community.objects.filter(street__path__startswith=region.path, is_urban=True)
              .aggregate(n=Count("id", distinct=True),
                         covered=Count("id", distinct=True, filter=Q(projects__status__in=CREATED))))
    if not counts["n"]:
        return None
    return (Decimal(counts["covered"]) / Decimal(counts["n"])).quantize(Decimal("0.0001"))


def can_apply(user, kind: str) -> Decision:
    office = office_of(user)
    region = office.region if office else None
    if region is None or not has_instrument(user, "whole_area"):
        return False, f"县域、街道全域未来社区申报适用于绍兴市（{WHOLE_AREA}）"
    if kind == WholeAreaApplication.Kind.COUNTY and office.kind == Office.Kind.DISTRICT_TOWNSCAPE:
        return ALLOWED
    if kind == WholeAreaApplication.Kind.STREET and office.kind == Office.Kind.STREET:
        if region.kind != "街道":
            return False, f"街道全域未来社区由街道申报（{WHOLE_AREA}）"
        return ALLOWED
    return False, "县域全域由区、县（市）风貌办申报，街道全域由街道申报"


def can_decide(user) -> Decision:
    office = office_of(user)
    if office and office.kind == Office.Kind.CITY_TOWNSCAPE and has_instrument(user, "whole_area"):
        return ALLOWED
    return False, f"县域、街道全域未来社区由市风貌办组织验收并公布（{WHOLE_AREA}）"


def _note(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("请填写运营情况说明", {"operation_note": "请填写运营情况说明"})
    value = value.strip()
    if len(value) > 2000 or any(ord(ch) < 32 and ch not in "\r\n\t" for ch in value):
        raise InvalidInput("运营情况说明过长或含有控制字符", {"operation_note": "运营情况说明过长或含有控制字符"})
    return value


def _year(value) -> int:
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit() and 2023 <= int(text) <= 2035):
        raise InvalidInput("申报年度应为2023至2035之间的年份", {"year": "申报年度应为2023至2035之间的年份"})
    return int(text)


@transaction.atomic
def apply(user, kind: str, year, operation_note) -> WholeAreaApplication:
    allowed, why = can_apply(user, kind)
    if not allowed:
        raise Forbidden(why)
    year, note = _year(year), _note(operation_note)
    region = Region.objects.select_for_update().get(pk=user.office.region_id)
    district = region if kind == WholeAreaApplication.Kind.COUNTY else region.parent
    pilots = WholeAreaApplication.objects.filter(kind=WholeAreaApplication.Kind.STREET, year=year,
                                                 region__parent=district).count()
    refusal = whole_area_refusal(kind, district.code, year, pilots)
    if refusal:
        raise InvalidInput(refusal, {"year": refusal})
    if WholeAreaApplication.objects.filter(region=region, year=year).exists():
        raise Conflict(f"{region.name}已有{year}年度的全域未来社区申报")
    return WholeAreaApplication.objects.create(
        kind=kind, region=region, year=year, pilot=year == WHOLE_AREA_PILOT_YEAR, operation_note=note,
        coverage_at_application=coverage(region), applied_by=user, applied_at=timezone.now())


def decide(user, application: WholeAreaApplication, *, accept: bool, comment: str = "") -> WholeAreaApplication:
    allowed, why = can_decide(user)
    if not allowed:
        raise Forbidden(why)
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > 500 or any(ord(ch) < 32 for ch in comment):
        raise InvalidInput("验收意见过长或含有控制字符", {"comment": "验收意见过长或含有控制字符"})
    state = WholeAreaApplication.State.ACCEPTED if accept else WholeAreaApplication.State.REFUSED
    changed = WholeAreaApplication.objects.filter(pk=application.pk, state=WholeAreaApplication.State.APPLIED).update(
        state=state, decided_by=user, decided_at=timezone.now(), decision_comment=comment,
        coverage_at_decision=coverage(application.region))
    if changed != 1:
        raise Conflict("该申报已验收，请刷新后查看")
    application.refresh_from_db()
    return application


def publish(user, application: WholeAreaApplication, *, document_no, published_on) -> WholeAreaApplication:
    allowed, why = can_decide(user)
    if not allowed:
        raise Forbidden(why)
    if not isinstance(document_no, str) or not document_no.strip() or len(document_no) > 80:
        raise InvalidInput("请填写公布文号", {"document_no": "请填写公布文号"})
    try:
        day = dt.date.fromisoformat(published_on) if isinstance(published_on, str) else published_on
    except ValueError:
        day = None
    if not isinstance(day, dt.date) or day > timezone.localdate():
        raise InvalidInput("公布日期格式应为 YYYY-MM-DD，且不能晚于今天", {"published_on": "公布日期有误"})
    changed = WholeAreaApplication.objects.filter(
        pk=application.pk, state=WholeAreaApplication.State.ACCEPTED).update(
        state=WholeAreaApplication.State.PUBLISHED, document_no=document_no.strip(), published_on=day)
    if changed != 1:
        raise Conflict("只有验收通过的申报可以公布")
    application.refresh_from_db()
    return application
