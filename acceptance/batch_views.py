"""Pages for acceptance and naming batches (services in acceptance.batches)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from acceptance import batches, permissions
from acceptance.models import AcceptanceBatch, NamingBatch
from communities.scope import get_visible_or_404
from portal.confirm import confirmation_page, confirmed
from portal.errors import ProjectError
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, sorted_page
from portal.permissions import require_page
from portal.validators import ascii_int


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _ids(values) -> list[int]:
    """The chosen project ids (checkbox values); anything that is not one is dropped."""
    return [number for number in (ascii_int(v, 1, 2**63 - 1) for v in values) if number is not None]


def _communities(batch) -> str:
    return "、".join(project.community.name for project in batch.projects.all())


def _columns(second: Col, date_field: str, *rest: Col) -> tuple[Col, ...]:
    """批次, `second`, 日期, 单位, 项目, *rest: what both batch lists show."""
    return (Col("批次", attr("title"), key="title", width=24), second,
            Col("日期", attr(date_field), key="date", order=(date_field,), kind="date", width=12),
            Col("单位", attr("office.name"), key="office", order=("office__name",), width=16),
            Col("项目", _communities, width=40), *rest)


def _batches(model, user, params, date_field, shown):
    """The user's batches (scoped like the page) filtered by keyword (title, 文号 or a
    community of the batch) and year; acceptance batches also by result."""
    through = model.projects.through.objects
    batch_id = f"{model._meta.model_name}_id"

    def keyword(value):
        in_batch = through.filter(creationproject__community__name__icontains=value).values(batch_id)
        condition = Q(title__icontains=value) | Q(pk__in=in_batch)
        return condition | Q(document_no__icontains=value) if model is NamingBatch else condition

    filters = (Filtering(model.objects.visible_to(user).select_related("office")
                         .prefetch_related("projects__community"), params, shown)
               .where("q", keyword).year("year", date_field))
    if model is AcceptanceBatch:
        filters.choice("recorded", {"done": Q(results_recorded_at__isnull=False),
                                    "pending": Q(results_recorded_at=None)})
    return filters.queryset


def acceptance_batch_rows(user, params, shown: dict | None = None):
    """The acceptance batches `user` sees, filtered (`shown`, when given, receives the filters applied)."""
    return _batches(AcceptanceBatch, user, params, "held_on", shown)


def naming_batch_rows(user, params, shown: dict | None = None):
    """The naming batches `user` sees, filtered (`shown`, when given, receives the filters applied)."""
    return _batches(NamingBatch, user, params, "named_on", shown)


ACCEPTANCE_BATCHES = ListSpec("验收批次", _columns(
    Col("方式", attr("get_kind_display"), key="kind", width=10), "held_on",
    Col("结果", lambda b: "已取消" if b.cancelled_at else "已录入" if b.results_recorded_at else "待录入",
        key="recorded",
        order=("results_recorded_at",), width=10),
), default="-date", export="acceptance:acceptance_batches", prefix="a_", rows=acceptance_batch_rows,
   can_export=permissions.can_view_batches)
NAMING_BATCHES = ListSpec("命名批次", _columns(
    Col("文号", attr("document_no"), key="document_no", width=20), "named_on",
), default="-date", export="acceptance:naming_batches", prefix="n_", rows=naming_batch_rows,
   can_export=permissions.can_view_batches)


@login_required
def batch_list(request, fmt=None, which=None):
    require_page(permissions.can_view_batches(request.user))
    if fmt:
        return export_response(request, ACCEPTANCE_BATCHES if which == "acceptance" else NAMING_BATCHES, fmt)
    user = request.user
    shown = {}  # both lists read the same keyword and year
    accepted = acceptance_batch_rows(user, request.GET, shown)
    named = naming_batch_rows(user, request.GET, shown)
    return render(request, "acceptance/batches.html", {
        "acceptance": sorted_page(request, accepted, ACCEPTANCE_BATCHES),
        "naming": sorted_page(request, named, NAMING_BATCHES),
        "filters": shown,
        "acceptance_candidates": batches.batch_candidates(user, "acceptance"),
        "naming_candidates": batches.batch_candidates(user, "naming"),
        "kinds": AcceptanceBatch.Kind.choices,
        "today": timezone.localdate().isoformat(),
    })


@login_required
@require_POST
def acceptance_batch_create(request):
    try:
        batch = batches.create_acceptance_batch(
            request.user, kind=request.POST.get("kind", ""), held_on=_date(request.POST.get("held_on")),
            title=request.POST.get("title", "").strip() or "验收批次",
            project_ids=_ids(request.POST.getlist("projects")))
    except ProjectError as exc:
        messages.error(request, exc.message)
        return redirect("acceptance:batches")
    messages.success(request, f"已创建验收批次“{batch.title}”，请录入验收结果。")
    return redirect("acceptance:acceptance_batch", batch.pk)


@login_required
def acceptance_batch_detail(request, pk):
    batch = get_visible_or_404(AcceptanceBatch.objects, request.user, pk=pk)
    require_page(permissions.can_view_batches(request.user, batch))
    projects = list(batch.projects.select_related("community", "street"))
    op = request.POST.get("op") if request.method == "POST" else None
    if request.method == "POST" and not confirmed(request):
        questions = {"drop": ("确认移出项目", f"确认将该项目移出验收批次“{batch.title}”？"),
                     "cancel": ("确认取消批次", f"确认取消验收批次“{batch.title}”？此操作不可撤销。")}
        title, question = questions.get(op, (
            "确认录入验收结果",
            f"确认一次录入验收批次“{batch.title}”全部 {len(projects)} 个项目的验收结果？此操作不可撤销。"))
        return confirmation_page(request, title=title, cancel_url=request.path, question=question)
    if op in ("drop", "cancel"):
        try:
            if op == "drop":
                project = request.POST.get("project", "")
                batches.drop_project(request.user, batch,
                                     int(project) if project.isascii() and project.isdigit() else None,
                                     request.POST.get("reason", ""))
                messages.success(request, "已将该项目移出本批次。")
            else:
                batches.cancel_batch(request.user, batch, request.POST.get("reason", ""))
                messages.success(request, f"已取消验收批次“{batch.title}”。")
        except ProjectError as exc:
            messages.error(request, exc.message)
        return redirect("acceptance:acceptance_batch", batch.pk)
    if request.method == "POST":
        results = {}
        for project in projects:
            results[project.pk] = {
                "passed": request.POST.get(f"result_{project.pk}") == "pass",
                "comment": request.POST.get(f"comment_{project.pk}", ""),
                "due_on": _date(request.POST.get(f"due_on_{project.pk}")),
            }
        try:
            batches.record_acceptance_results(request.user, batch,
                                              document_no=request.POST.get("document_no", "").strip(),
                                              results=results)
        except ProjectError as exc:
            messages.error(request, f"未录入任何结果：{exc.message}")
        else:
            messages.success(request, f"已录入 {len(projects)} 个项目的验收结果。")
            return redirect("acceptance:batches")
    stale = set()
    if batch.results_recorded_at is None and batch.cancelled_at is None and request.user.office_id:
        stale = {p.pk for p in batches.stale_projects(request.user, projects)}
    return render(request, "acceptance/acceptance_batch.html", {
        "batch": batch, "projects": projects, "stale": stale,
        "can_manage": permissions.can_record_batch_results(request.user, batch)[0]})


@login_required
@require_POST
def naming_batch_create(request):
    if not confirmed(request):
        return confirmation_page(
            request, title="确认录入命名", cancel_url=reverse("acceptance:batches"),
            question=f"确认按命名文件“{request.POST.get('document_no', '').strip()}”录入所选 "
                     f"{len(request.POST.getlist('projects'))} 个项目的命名？此操作不可撤销。")
    try:
        batch = batches.create_naming_batch(
            request.user, title=request.POST.get("title", "").strip() or "命名批次",
            document_no=request.POST.get("document_no", "").strip(),
            named_on=_date(request.POST.get("named_on")),
            project_ids=_ids(request.POST.getlist("projects")))
    except ProjectError as exc:
        messages.error(request, f"未命名任何项目：{exc.message}")
    else:
        messages.success(request, f"已录入命名批次“{batch.title}”（{batch.projects.count()} 个项目）。")
    return redirect("acceptance:batches")
