"""Pages: the bulletins (通报). Thin: reads through communities.scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from acceptance import permissions
from acceptance.exports import bulletin_columns, bulletin_title, bulletin_workbook
from acceptance.models import Bulletin
from communities.scope import get_visible_or_404
from portal.permissions import require_page
from portal.tabular import export_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def bulletin_list(request):
    require_page(permissions.can_view_bulletins(request.user))
    bulletins = Bulletin.objects.visible_to(request.user).select_related("city")
    return render(request, "acceptance/bulletins.html",
                  {"bulletins": [(b, bulletin_title(b)) for b in bulletins]})


@login_required
def bulletin_detail(request, pk):
    bulletin = get_visible_or_404(Bulletin.objects.select_related("city"), request.user, pk=pk)
    require_page(permissions.can_view_bulletins(request.user, bulletin))
    columns = bulletin_columns(bulletin)
    rows = [[row.get(key) for key, _ in columns] for row in bulletin.data["rows"]]
    totals = [bulletin.data["totals"].get(key, "") for key, _ in columns[1:]]
    return render(request, "acceptance/bulletin_detail.html", {
        "bulletin": bulletin, "title": bulletin_title(bulletin), "columns": columns, "rows": rows,
        "totals": totals})


@login_required
def bulletin_download(request, pk):
    bulletin = get_visible_or_404(Bulletin.objects.select_related("city"), request.user, pk=pk)
    require_page(permissions.can_view_bulletins(request.user, bulletin))
    response = HttpResponse(bulletin_workbook(bulletin), content_type=XLSX)
    filename = export_filename(bulletin_title(bulletin), bulletin.city.name, "xlsx")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
