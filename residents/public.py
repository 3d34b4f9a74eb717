"""What the public site shows, and nothing more: the listed and named future communities with
tier, category, a public status, planned and actual progress, the naming document, the active
公示 — never staff names, review comments, the 月报's problems, amounts or attachments unless the
street marked them public (PublicDisclosure)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.http import Http404

from communities.models import Region
from projects.models import LISTED_STATUSES, CreationProject, MonthlyReport, Status
from residents.models import Notice, Survey

PUBLIC_STATUSES = (*LISTED_STATUSES, Status.ACCEPTED, Status.NAMED)
PUBLIC_STATUS_LABELS = {Status.ACCEPTED: "已通过验收", Status.NAMED: "已命名"}
IN_CREATION = "创建中"
PLANNED_BASIS = "计划进度按计划开工至计划完工的时间比例估算（本平台口径）"


def public_status(status: str) -> str:
    return PUBLIC_STATUS_LABELS.get(status, IN_CREATION)


def planned_progress(project, on: dt.date) -> Decimal | None:
    """The share of the planned construction time elapsed on `on` (PLANNED_BASIS), in %."""
    start, finish = project.planned_start, project.planned_finish
    if not start or not finish or finish <= start:
        return None
    elapsed = min(max((on - start).days, 0), (finish - start).days)
    return (Decimal(elapsed) * 100 / Decimal((finish - start).days)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def public_projects():
    latest = MonthlyReport.objects.filter(project=OuterRef("pk")).order_by("-month")
    return (CreationProject.objects.filter(status__in=PUBLIC_STATUSES)
            .select_related("community", "street__parent__parent")
            .annotate(actual_progress=Subquery(latest.values("progress_percent")[:1]),
                      actual_month=Subquery(latest.values("month")[:1]))
            .order_by("street__parent__path", "street__path", "community__name", "pk"))


def public_regions():
    """The cities and districts that have public projects, for the filter (one query)."""
    districts = (Region.objects.filter(level=Region.Level.DISTRICT,
                                       children__projects__status__in=PUBLIC_STATUSES)
                 .select_related("parent").distinct().order_by("path"))
    cities: dict = {}
    for district in districts:
        cities.setdefault(district.parent, []).append(district)
    return cities


def region_or_404(code: str | None) -> Region | None:
    if not code:
        return None
    if not (code.isascii() and code.isdigit()):
        raise Http404("区划不存在")
    region = Region.objects.filter(code=code, level__in=[Region.Level.CITY, Region.Level.DISTRICT]).first()
    if region is None:
        raise Http404("区划不存在")
    return region


def project_rows(region: Region | None, on: dt.date) -> list[dict]:
    projects = public_projects()
    if region is not None:
        projects = projects.filter(street__path__startswith=region.path)
    rows = []
    for p in projects:
        rows.append({"pk": p.pk, "name": p.display_name, "community": p.community.name,
                     "district": p.street.parent.name, "city": p.street.parent.parent.name,
                     "street": p.street.name, "tier": p.get_tier_display(), "category": p.get_category_display(),
                     "status": public_status(p.status), "planned": planned_progress(p, on),
                     "actual": p.actual_progress, "actual_month": p.actual_month,
                     "named_on": p.named_on, "naming_document_no": p.naming_document_no if p.named_on else ""})
    return rows


def public_project_or_404(pk) -> CreationProject:
    project = public_projects().filter(pk=pk).first() if str(pk).isdigit() else None
    if project is None:
        raise Http404("项目不存在或未公开")
    return project


def public_notices(on: dt.date, project=None):
    notices = Notice.objects.filter(outcome="", starts_on__lte=on, ends_on__gte=on).order_by("ends_on", "pk")
    if project is not None:
        notices = notices.filter(projects=project)
    return notices


def public_notice_or_404(pk) -> Notice:
    """A notice is public from its start date on (and stays readable with its outcome)."""
    from residents.notices import today

    notice = Notice.objects.filter(pk=pk, starts_on__lte=today()).first() if str(pk).isdigit() else None
    if notice is None:
        raise Http404("公示不存在")
    return notice


def open_surveys(project, on: dt.date):
    return Survey.objects.filter(project=project, source=Survey.Source.QR, opens_on__lte=on, closes_on__gte=on)


def disclosure(project):
    from residents.models import PublicDisclosure

    return PublicDisclosure.objects.filter(project=project).prefetch_related("attachments").first()


def days_left(notice: Notice, on: dt.date) -> int:
    return (notice.ends_on - on).days + 1
