"""富阳 月度评价通报 page and its Excel (富阳 五(六))."""

import datetime as dt
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.permissions import require_page
from supervision import evaluation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


def _month(request) -> dt.date:
    """The month asked for (YYYY-MM, a finished one), else the last finished month."""
    latest = evaluation.last_finished_month(timezone.localdate())
    return asked_month(request.GET.get("month", ""), latest) or latest


def asked_month(raw, latest: dt.date) -> dt.date | None:
    """`raw` (YYYY-MM, ASCII digits, 2000–2100) as the month's first day when it is finished
    (not after `latest`), else None: the page falls back to `latest`, the API refuses (400)."""
    match = MONTH.match(raw) if isinstance(raw, str) else None
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        asked = dt.date(int(match[1]), int(match[2]), 1)
        if asked <= latest:
            return asked
    return None


@login_required
def evaluation_page(request, fmt=None):
    require_page(evaluation.can_view(request.user))
    data = evaluation.evaluate(_month(request))
    if fmt == "xlsx":
        response = HttpResponse(evaluation.workbook(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="fuyang-evaluation-{data["month"]}.xlsx"'
        return response
    return render(request, "supervision/evaluation.html", {"data": data, "columns": evaluation.COLUMNS})
