"""Pages for acceptance and naming batches (services in acceptance.batches)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acceptance import batches
from acceptance.models import AcceptanceBatch, NamingBatch
from communities.scope import get_visible_or_404
from projects.errors import ProjectError


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
def batch_list(request):
    user = request.user
    return render(request, "projects/batches.html", {
        "acceptance_batches": AcceptanceBatch.objects.visible_to(user).select_related("office")
        .prefetch_related("projects__community"),
        "naming_batches": NamingBatch.objects.visible_to(user).select_related("office")
        .prefetch_related("projects__community"),
        "acceptance_candidates": batches.batch_candidates(user, "acceptance"),
        "naming_candidates": batches.batch_candidates(user, "naming"),
        "kinds": AcceptanceBatch.Kind.choices,
        "today": dt.date.today().isoformat(),
    })


@login_required
@require_POST
def acceptance_batch_create(request):
    try:
        batch = batches.create_acceptance_batch(
            request.user, kind=request.POST.get("kind", ""), held_on=_date(request.POST.get("held_on")),
            title=request.POST.get("title", "").strip() or "验收批次",
            project_ids=[int(i) for i in request.POST.getlist("projects") if i.isdigit()])
    except ProjectError as exc:
        messages.error(request, exc.message)
        return redirect("projects:batches")
    messages.success(request, f"已创建验收批次“{batch.title}”，请录入验收结果。")
    return redirect("projects:acceptance_batch", batch.pk)


@login_required
def acceptance_batch_detail(request, pk):
    batch = get_visible_or_404(AcceptanceBatch.objects, request.user, pk=pk)
    projects = list(batch.projects.select_related("community", "street"))
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
            return redirect("projects:batches")
    return render(request, "projects/acceptance_batch.html", {"batch": batch, "projects": projects})


@login_required
@require_POST
def naming_batch_create(request):
    try:
        batch = batches.create_naming_batch(
            request.user, title=request.POST.get("title", "").strip() or "命名批次",
            document_no=request.POST.get("document_no", "").strip(),
            named_on=_date(request.POST.get("named_on")),
            project_ids=[int(i) for i in request.POST.getlist("projects") if i.isdigit()])
    except ProjectError as exc:
        messages.error(request, f"未命名任何项目：{exc.message}")
    else:
        messages.success(request, f"已录入命名批次“{batch.title}”（{batch.projects.count()} 个项目）。")
    return redirect("projects:batches")
