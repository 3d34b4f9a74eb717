"""Exports: served directly up to SYNC_MAX_ROWS rows, above that an ExportJob run by a
Celery task, with progress and a download only its requester can use, within the scope
they had when asking, until it expires.

Enqueueing never fails the user's request: when the broker is down the job stays queued
and `catch_up` (the progress endpoint, the nightly compute task and the
subsidies.tasks.run_queued_exports task) enqueues it again. Running a job claims it by
compare-and-set (queued → running), so a job enqueued twice still runs once.

The list pages of communities.listing use the same jobs (`create_job` with the list's
kind and query parameters); `run_job` finds them through `reports.job_report`.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone

from projects.errors import InvalidInput
from subsidies.excel import CSV_TYPE, XLSX_TYPE
from subsidies.models import ExportJob
from subsidies.reports import clean_params, csv_rows, filename, get_report, job_report, write_xlsx

log = logging.getLogger(__name__)
SYNC_MAX_ROWS = 5000
EXPIRES_AFTER = timedelta(hours=24)
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=30)
FORMATS = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}


def _format(file_format) -> str:
    if file_format not in FORMATS:
        raise InvalidInput("导出格式应为 xlsx 或 csv", {"format": "导出格式应为 xlsx 或 csv"})
    return file_format


def scope_path(user) -> str:
    region = user.scope_region
    return region.path if region else ""


def export(user, kind: str, file_format: str, data):
    """A file response for a small export, or the ExportJob started for a large one."""
    report, file_format, params = get_report(kind), _format(file_format), clean_params(data)
    if report.count(user, params) > SYNC_MAX_ROWS:
        return start_job(user, kind, file_format, params)
    name = filename(report, user, params, file_format)
    if file_format == "csv":
        response = StreamingHttpResponse(csv_rows(report, user, params), content_type=CSV_TYPE)
        response["Content-Disposition"] = _disposition(name)
        return response
    handle = tempfile.TemporaryFile()
    write_xlsx(report, user, params, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


def start_job(user, kind: str, file_format: str, data) -> ExportJob:
    report, file_format, params = get_report(kind), _format(file_format), clean_params(data)
    return create_job(user, report.key, file_format, params, total_rows=report.count(user, params))


def create_job(user, kind: str, file_format: str, params: dict, total_rows: int) -> ExportJob:
    """Record a job (kind and params already checked by the caller) and enqueue it on commit."""
    job = ExportJob.objects.create(requester=user, scope_path=scope_path(user), kind=kind,
                                   file_format=_format(file_format), params=params, total_rows=total_rows)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> bool:
    """Hand the job to the worker; with the broker down, leave it queued for catch_up."""
    from subsidies.tasks import run_export

    try:
        run_export.apply_async(args=[job_id], retry=False)
    except Exception:  # kombu/redis connection errors vary by transport; the job stays queued
        log.warning("export job %s left queued: broker unavailable", job_id, exc_info=True)
        return False
    return True


def run_job(job_id: int) -> str:
    """Generate the job's file. Claimed by compare-and-set, so a duplicate delivery is a no-op."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, started_at=timezone.now(), done_rows=0, error="")
    if claimed != 1:
        return "skipped"
    job = ExportJob.objects.select_related("requester__office__region").get(pk=job_id)
    user = job.requester

    def progress(rows):
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING).update(done_rows=rows)

    try:
        report = job_report(job.kind)
        with tempfile.TemporaryFile() as handle:
            name, rows = report.write(user, job.params, job.file_format, handle, progress=progress)
            handle.seek(0)
            job.file.save(name, File(handle), save=False)
    except Exception as exc:
        log.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(state=ExportJob.State.FAILED, error=str(exc)[:300],
                                                   finished_at=timezone.now())
        return "failed"
    now = timezone.now()
    ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING).update(
        state=ExportJob.State.DONE, file=job.file.name, filename=name, done_rows=rows, total_rows=rows,
        finished_at=now, expires_at=now + EXPIRES_AFTER)
    return "done"


def catch_up() -> str:
    """Requeue jobs left queued (broker was down) or running on a dead worker; purge expired files."""
    now = timezone.now()
    revived = ExportJob.objects.filter(state=ExportJob.State.RUNNING,
                                       started_at__lt=now - STALE_RUNNING).update(state=ExportJob.State.QUEUED)
    stale = list(ExportJob.objects.filter(state=ExportJob.State.QUEUED, created_at__lt=now - STALE_QUEUED)
                 .values_list("pk", flat=True)[:200])
    sent = sum(enqueue(pk) for pk in stale)
    return f"exports revived={revived} requeued={sent} purged={purge_expired()}"


def purge_expired() -> int:
    purged = 0
    for job in ExportJob.objects.filter(state=ExportJob.State.DONE, expires_at__lt=timezone.now()).exclude(file=""):
        job.file.delete(save=False)
        purged += ExportJob.objects.filter(pk=job.pk).update(file="")
    return purged


def own_job(user, job_id) -> ExportJob:
    """The user's own job, within the scope they had when asking; anything else is 404."""
    job = ExportJob.objects.filter(requester_id=user.pk, pk=job_id).first()
    if job is None or job.scope_path != scope_path(user):
        raise Http404("导出任务不存在或不属于您")
    return job


def poll(user, job_id) -> ExportJob:
    job = own_job(user, job_id)
    if job.state == ExportJob.State.QUEUED and job.created_at < timezone.now() - STALE_QUEUED:
        enqueue(job.pk)
    return job
