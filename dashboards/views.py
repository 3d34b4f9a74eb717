"""Dashboard pages and their exports. Thin: the computed board from dashboards.cache (numbers
from selectors, layout from boards), so a page and its exports show the same computation."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dashboards import cache
from dashboards.exports import csv_response, xlsx_response
from dashboards.permissions import can_view_board
from portal.permissions import require_page


@login_required
def index(request):
    entry = cache.tabs(request.user, timezone.localdate())
    return render(request, "dashboards/index.html", {"boards": entry.value, "tabs_html": entry.html[None]})


@login_required
def board(request, key):
    require_page(can_view_board(request.user, key))
    entry, tabs_html = cache.board_page(key, request.user, request.GET, timezone.localdate())
    return render(request, "dashboards/board.html", {"board": entry.value, "body": entry.html, "tabs_html": tabs_html})


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
