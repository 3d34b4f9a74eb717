"""Dashboard pages and their exports. Thin: the computed board from dashboards.cache (numbers
from selectors, layout from boards), so a page and its exports show the same computation."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from dashboards import cache
from dashboards.exports import csv_response, xlsx_response
from dashboards.permissions import can_view_board
from portal import menu
from portal.permissions import require_page


@login_required
def index(request):
    return render(request, "dashboards/index.html", {"boards": cache.tabs(request.user, timezone.localdate())})


@login_required
def board(request, key):
    require_page(can_view_board(request.user, key))
    today = timezone.localdate()
    entry = cache.board(key, request.user, request.GET, today)
    built = entry.value
    params = {name: value for name, value in cache.board_params(request.GET).items() if value}
    xlsx_url = f"{menu.url(f'dashboards:{key}_xlsx')}?{urlencode(params)}"
    csv_url = menu.url(f"dashboards:{key}_csv")
    tables = [{"table": table, "body": body, "total": total,
               "csv_url": f"{csv_url}?{urlencode({**params, 'table': table.key})}"}
              for table, (body, total) in zip(built.tables, entry.html, strict=True)]
    return render(request, "dashboards/board.html", {
        "board": built, "tables": tables, "xlsx_url": xlsx_url, "tabs": cache.tabs(request.user, today),
        "computed_at": entry.computed_at,
    })


@login_required
def export(request, key, fmt):
    require_page(can_view_board(request.user, key))
    built = cache.board(key, request.user, request.GET, timezone.localdate()).value
    if fmt == "xlsx":
        return xlsx_response(built, request.user)
    table = built.table(request.GET.get("table"))
    if table is None:
        raise Http404("没有这张表")
    return csv_response(built, table, request.user)
