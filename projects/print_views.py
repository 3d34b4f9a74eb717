"""Printable A4 forms of a project (HTML print views, static/css/print.css): the 申报表 and
the 审核意见表 (the opinions of its history). Scoped like the detail page: out of scope is 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from communities.scope import get_visible_or_404
from projects.models import CreationProject
from projects.printing import application_rows, scenario_rows


def _project(request, pk):
    return get_visible_or_404(CreationProject.objects.for_list().select_related("policy_version"),
                              request.user, pk=pk)


@login_required
def application_form(request, pk):
    """未来社区创建项目申报表, with the street's and the district's 签章."""
    project = _project(request, pk)
    rows = application_rows(project)
    return render(request, "print/application.html", {
        "project": project, "rows": [rows[i:i + 2] for i in range(0, len(rows), 2)],  # two facts a line
        "scenarios": scenario_rows(project),
        "printed_on": timezone.localdate(),
        "parties": ["申报单位（街道、乡镇）意见", "区县（市）风貌办审核意见", "区县（市）人民政府意见"]})


@login_required
def review_opinions(request, pk):
    """审核意见表: every step of the review as recorded in the (append-only) history."""
    project = _project(request, pk)
    history = project.transitions.select_related("actor", "office").order_by("at", "id")
    return render(request, "print/review_opinions.html", {
        "project": project, "history": history, "printed_on": timezone.localdate(),
        "parties": ["区县（市）风貌办", "设区市风貌办"]})
