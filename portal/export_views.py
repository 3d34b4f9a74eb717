"""Export pages: choose a report, get the file (or a background job for a large one),
follow its progress, download it. Every file is built within the requester's scope.
The list pages (portal.listing) send their large exports to the same job pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from portal import exports
from portal.errors import InvalidInput, ProjectError
from portal.listing import place_name
from portal.models import ExportJob
from portal.tabular import XLSX_TYPE


@login_required
def export_index(request):
    jobs = list(ExportJob.objects.filter(requester=request.user, scope_path=exports.scope_path(request.user))[:20])
    for job in jobs:
        job.title = exports.kind_title(job.kind)
    return render(request, "portal/exports.html", {
        "reports": exports.reports(), "jobs": jobs, "place": place_name(request.user),
        "threshold": exports.SYNC_MAX_ROWS})


@login_required
def export_report(request, kind):
    """Small: the file itself. Large: a background job, then its progress page."""
    try:
        result = exports.export(request.user, kind, request.GET.get("format", "xlsx"), request.GET)
    except ProjectError as exc:
        messages.error(request, exc.message)
        return redirect("portal:exports")
    if isinstance(result, ExportJob):
        messages.info(request, f"数据超过 {exports.SYNC_MAX_ROWS} 行，已转为后台生成，"
                               "完成后可在此下载（24小时内有效）。")
        return redirect("portal:export_job", result.pk)
    return result


def _job_json(job):
    return {"id": job.pk, "state": job.state, "state_label": job.get_state_display(), "progress": job.progress,
            "done_rows": job.done_rows, "total_rows": job.total_rows, "error": job.error,
            "download_url": reverse("portal:export_download", args=[job.pk])
            if job.state == ExportJob.State.DONE else None}


@login_required
def export_job(request, pk):
    job = exports.poll(request.user, pk)
    try:
        report = exports.get_kind(job.kind)
    except InvalidInput:
        report = None
    back_url, back_label = report.back_link(job.params) if report else (reverse("portal:exports"), "返回报表导出")
    return render(request, "portal/export_job.html", {"job": job, "report": report, "back_url": back_url,
                                                         "back_label": back_label})


@login_required
def export_progress(request, pk):
    return JsonResponse(_job_json(exports.poll(request.user, pk)))


@login_required
def export_download(request, pk):
    job = exports.own_job(request.user, pk)
    if job.expires_at and job.expires_at < timezone.now():
        return HttpResponse("下载链接已过期（24小时），请重新导出。", status=410,
                            content_type="text/plain; charset=utf-8")
    if job.state != ExportJob.State.DONE or not job.file:
        return HttpResponse("导出尚未完成，请稍后再试。", status=409, content_type="text/plain; charset=utf-8")
    content_type = XLSX_TYPE if job.file_format == "xlsx" else "text/csv; charset=utf-8"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type)
