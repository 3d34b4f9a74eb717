"""Printable 整改通知单 (rectification order), scoped like the project's page: 404 outside it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from acceptance.models import RectificationOrder
from communities.scope import get_visible_or_404


@login_required
def rectification_notice(request, pk):
    order = get_visible_or_404(
        RectificationOrder.objects.select_related("project__street__parent__parent", "project__community",
                                                  "office", "issued_by"),
        request.user, pk=pk)
    return render(request, "print/rectification.html", {
        "order": order, "project": order.project, "printed_on": timezone.localdate(),
        "parties": [f"{order.office.name}（签发）", "整改责任单位（签收）"]})
