"""Dashboard pages and their exports. Thin: numbers from selectors, layout from boards."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dashboards import boards
from dashboards.exports import csv_response, xlsx_response
from dashboards.permissions import can_view_board
from portal.permissions import require_page


@login_required
def index(request):
    return render(request, "dashboards/index.html", {"boards": boards.boards_for(request.user)})


@login_required
def board(request, key):
    require_page(can_view_board(request.user, key))
    built = boards.build(key, request.user, request.GET, timezone.localdate())
    params = request.GET.copy()
    params.pop("table", None)
    xlsx_url = f"{reverse(f'dashboards:{key}_xlsx')}?{params.urlencode()}"
    tables = []
    for table in built.tables:
        params["table"] = table.key
        tables.append({"table": table, "body": table.html_body(), "total": table.html_total(),
                       "csv_url": f"{reverse(f'dashboards:{key}_csv')}?{params.urlencode()}"})
    return render(request, "dashboards/board.html", {
        "board": built, "tables": tables, "xlsx_url": xlsx_url, "tabs": boards.boards_for(request.user),
    })


@login_required
def export(request, key, fmt):
    require_page(can_view_board(request.user, key))
    built = boards.build(key, request.user, request.GET, timezone.localdate())
    if fmt == "xlsx":
        return xlsx_response(built, request.user)
    table = built.table(request.GET.get("table"))
    if table is None:
        raise Http404("没有这张表")
    return csv_response(built, table, request.user)
