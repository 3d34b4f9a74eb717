"""Export pages: choose a report, get the file (or a background job for a large one),
follow its progress, download it. Every file is built within the requester's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from projects.errors import ProjectError
from subsidies import exports
from subsidies.excel import XLSX_TYPE
from subsidies.models import ExportJob
from subsidies.reports import REPORTS, scope_name


@login_required
def export_index(request):
    jobs = ExportJob.objects.filter(requester=request.user, scope_path=exports.scope_path(request.user))[:20]
    return render(request, "subsidies/exports.html", {
        "reports": REPORTS.values(), "jobs": jobs, "place": scope_name(request.user),
        "threshold": exports.SYNC_MAX_ROWS})


@login_required
def export_report(request, kind):
    """Small: the file itself. Large: a background job, then its progress page."""
    try:
        result = exports.export(request.user, kind, request.GET.get("format", "xlsx"), request.GET)
    except ProjectError as exc:
        messages.error(request, exc.message)
        return redirect("subsidies:exports")
    if isinstance(result, ExportJob):
        messages.info(request, f"数据超过 {exports.SYNC_MAX_ROWS} 行，已转为后台生成，"
                               "完成后可在此下载（24小时内有效）。")
        return redirect("subsidies:export_job", result.pk)
    return result


def _job_json(job):
    return {"id": job.pk, "state": job.state, "state_label": job.get_state_display(), "progress": job.progress,
            "done_rows": job.done_rows, "total_rows": job.total_rows, "error": job.error,
            "download_url": reverse("subsidies:export_download", args=[job.pk])
            if job.state == ExportJob.State.DONE else None}


@login_required
def export_job(request, pk):
    job = exports.poll(request.user, pk)
    return render(request, "subsidies/export_job.html", {"job": job, "report": REPORTS.get(job.kind)})


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
