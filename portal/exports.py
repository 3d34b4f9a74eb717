"""Exports: served directly up to SYNC_MAX_ROWS rows, above that an ExportJob run by a
Celery task, with progress and a download only its requester can use, within the scope
they had when asking, until it expires.

What can be exported is a registry of kinds (`register`): each app registers its reports
(subsidies' ledger and disbursements, the dashboards' plan table) and every exportable list
page (portal.listing) registers itself. A kind knows how to clean its parameters, count its
rows for a user and write its file for a user; the page, the API and the background job
all go through the same kind, so a job's file is what the page would have served.

Enqueueing never fails the user's request: when the broker is down the job stays queued
and `catch_up` (the progress endpoint, the nightly compute task and the
portal.tasks.run_queued_exports task) enqueues it again. Running a job claims it by
compare-and-set (queued → running), so a job enqueued twice still runs once.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from typing import Protocol

from django.core.files import File
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from portal.errors import InvalidInput
from portal.models import ExportJob
from portal.tabular import CSV_TYPE, XLSX_TYPE

log = logging.getLogger(__name__)
SYNC_MAX_ROWS = 5000
EXPIRES_AFTER = timedelta(hours=24)
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=30)
FORMATS = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}
KIND_MAX_LENGTH = ExportJob._meta.get_field("kind").max_length


class ExportKind(Protocol):
    """What the registry holds. `startable` kinds are offered on the export page and by the API
    (reports); list pages start their own jobs from the page with its filters."""

    key: str
    title: str
    startable: bool

    def clean(self, data) -> dict: ...

    def count(self, user, params: dict) -> int: ...

    def write(self, user, params: dict, file_format: str, target, progress=None) -> tuple[str, int]: ...

    def back_link(self, params: dict) -> tuple[str, str]: ...


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    """Register an export kind under its key (once per key: a second owner is an error)."""
    if len(kind.key) > KIND_MAX_LENGTH:
        raise ValueError(f"export kind {kind.key!r} is longer than {KIND_MAX_LENGTH} characters")
    known = _KINDS.get(kind.key)
    if known is not None and getattr(known, "owner", known) != getattr(kind, "owner", kind):
        raise ValueError(f"export kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind
    return kind


def _load_all() -> None:
    """List pages register when their view module is imported: load the URLconf first, so a
    worker process knows every kind."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views, which register their lists


def get_kind(key: str) -> ExportKind:
    if key not in _KINDS:
        _load_all()
    try:
        return _KINDS[key]
    except KeyError:
        raise InvalidInput(f"未知报表“{key}”", {"kind": f"未知报表“{key}”"}) from None


def reports() -> list[ExportKind]:
    """The kinds offered on the export page and by the API, in registration order."""
    _load_all()
    return [kind for kind in _KINDS.values() if kind.startable]


def all_kinds() -> list[ExportKind]:
    """Every registered kind, the list pages' included (a job's `kind` is one of these)."""
    _load_all()
    return list(_KINDS.values())


def kind_title(key: str) -> str:
    try:
        return get_kind(key).title
    except InvalidInput:
        return key


def _format(file_format) -> str:
    if file_format not in FORMATS:
        raise InvalidInput("导出格式应为 xlsx 或 csv", {"format": "导出格式应为 xlsx 或 csv"})
    return file_format


def scope_path(user) -> str:
    region = user.scope_region
    return region.path if region else ""


def _startable(key: str) -> ExportKind:
    kind = get_kind(key)
    if not kind.startable:
        raise InvalidInput(f"未知报表“{key}”", {"kind": f"未知报表“{key}”"})
    return kind


def export(user, key: str, file_format: str, data):
    """A file response for a small export, or the ExportJob started for a large one."""
    kind, file_format = _startable(key), _format(file_format)
    params = kind.clean(data)
    total = kind.count(user, params)
    if total > SYNC_MAX_ROWS:
        return create_job(user, kind.key, file_format, params, total_rows=total)
    handle = tempfile.TemporaryFile()
    name, _ = kind.write(user, params, file_format, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=FORMATS[file_format])


def start_job(user, key: str, file_format: str, data) -> ExportJob:
    kind, file_format = _startable(key), _format(file_format)
    params = kind.clean(data)
    return create_job(user, kind.key, file_format, params, total_rows=kind.count(user, params))


def create_job(user, kind: str, file_format: str, params: dict, total_rows: int) -> ExportJob:
    """Record a job (kind and params already checked by the caller) and enqueue it on commit."""
    job = ExportJob.objects.create(requester=user, scope_path=scope_path(user), kind=kind,
                                   file_format=_format(file_format), params=params, total_rows=total_rows)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> bool:
    """Hand the job to the worker; with the broker down, leave it queued for catch_up."""
    from portal.tasks import run_export

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
        kind = get_kind(job.kind)
        with tempfile.TemporaryFile() as handle:
            name, rows = kind.write(user, job.params, job.file_format, handle, progress=progress)
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
