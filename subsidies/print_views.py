"""Printable 拨付审批表 of one tranche (with 大写金额), scoped like the settlement statement it
belongs to: out of scope is 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from communities.scope import get_visible_or_404
from subsidies.models import Payment


@login_required
def payment_approval(request, pk):
    payment = get_visible_or_404(
        Payment.objects.select_related("project__street__parent__parent", "project__community", "approved_by"),
        request.user, pk=pk)
    return render(request, "print/payment_approval.html", {
        "payment": payment, "project": payment.project, "printed_on": timezone.localdate(),
        "parties": [f"{payment.get_payer_display()}经办科室", f"{payment.get_payer_display()}分管负责人",
                    f"{payment.get_payer_display()}主要负责人"]})
