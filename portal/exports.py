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
portal.tasks.run_queued_exports task, every minute) enqueues it again. Running a job claims
it by compare-and-set (queued → running), so a job enqueued twice still runs once. A running
job beats (`heartbeat_at`) with every progress report; silent for EXPORT_STALLED_MINUTES, its
worker is presumed dead and `catch_up` puts it back in the queue, once.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.utils import timezone

from portal.errors import InvalidInput, TooMany
from portal.models import ExportJob
from portal.tabular import CSV_TYPE, XLSX_TYPE

log = logging.getLogger(__name__)
SYNC_MAX_ROWS = 5000
EXPIRES_AFTER = timedelta(hours=24)
STALE_QUEUED = timedelta(minutes=2)
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


def jobs_per_user() -> int:
    return settings.EXPORT_JOBS_PER_USER


ACTIVE_STATES = (ExportJob.State.QUEUED, ExportJob.State.RUNNING)


@transaction.atomic
def create_job(user, kind: str, file_format: str, params: dict, total_rows: int) -> ExportJob:
    """Record a job (kind and params already checked by the caller) and enqueue it on commit.

    A user has at most `EXPORT_JOBS_PER_USER` jobs queued or running: the next one is refused
    (TooMany, 429 on the API) — counted under a lock of the user's row, so simultaneous
    requests cannot all slip under the limit."""
    limit = jobs_per_user()
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    active = ExportJob.objects.filter(requester_id=user.pk, state__in=ACTIVE_STATES).count()
    if active >= limit:
        raise TooMany(f"您已有 {active} 个导出任务在排队或生成中（每人最多同时 {limit} 个），"
                      "请等待完成后再导出", {"kind": "导出任务过多，请稍后再试"})
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


MAX_ATTEMPTS = 2  # the first run and one resumption after a stall


def stalled_after() -> timedelta:
    return timedelta(minutes=settings.EXPORT_STALLED_MINUTES)


def run_job(job_id: int) -> str:
    """Generate the job's file. Claimed by compare-and-set, so a duplicate delivery is a no-op.
    The job's heartbeat is written at the claim and with every progress report."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, started_at=now, heartbeat_at=now, done_rows=0, error="",
        attempts=F("attempts") + 1)
    if claimed != 1:
        return "skipped"
    job = ExportJob.objects.select_related("requester__office__region").get(pk=job_id)
    user = job.requester

    def progress(rows):
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING).update(
            done_rows=rows, heartbeat_at=timezone.now())

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
        finished_at=now, expires_at=now + EXPIRES_AFTER, heartbeat_at=now)
    return "done"


STALLED_ERROR = "生成中断（后台进程停止），已自动重试一次仍未完成，请重新导出"


def catch_up(now=None) -> str:
    """Take back running jobs whose heartbeat stopped (their worker died) — requeued once, failed
    with a message the second time — requeue jobs left queued (broker was down), purge expired
    files. Run every minute by beat (portal.tasks.run_queued_exports); `now` for tests."""
    now = now or timezone.now()
    silent_since = now - stalled_after()
    stalled = ExportJob.objects.filter(
        Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at=None, started_at__lt=silent_since),
        state=ExportJob.State.RUNNING)
    revived = stalled.filter(attempts__lt=MAX_ATTEMPTS).update(state=ExportJob.State.QUEUED, heartbeat_at=None)
    given_up = stalled.update(state=ExportJob.State.FAILED, error=STALLED_ERROR, finished_at=now)
    stale = list(ExportJob.objects.filter(state=ExportJob.State.QUEUED, created_at__lt=now - STALE_QUEUED)
                 .values_list("pk", flat=True)[:200])
    sent = sum(enqueue(pk) for pk in stale)
    return f"exports revived={revived} failed={given_up} requeued={sent} purged={purge_expired()}"


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
