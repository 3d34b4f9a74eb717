import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from communities.models import LoginEvent, OperationLog
from communities.sessions import SessionStore


def purge_old_logs(now=None) -> int:
    """Delete log rows older than LOG_RETENTION_DAYS (never less than 183 days: 网络安全法 第二十一条)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.LOG_RETENTION_DAYS)
    deleted = OperationLog.objects.filter(at__lt=cutoff).delete()[0]
    return deleted + LoginEvent.objects.filter(at__lt=cutoff).delete()[0]


@shared_task(name="communities.tasks.purge_old_logs")
def purge_old_logs_task():
    return purge_old_logs()


def purge_expired_sessions() -> None:
    """Delete sessions past their expiry (they sign nobody in: communities.sessions reads only live
    ones): the session engine's own `clear_expired`, what Django's `clearsessions` runs."""
    SessionStore.clear_expired()


@shared_task(name="communities.tasks.purge_expired_sessions")
def purge_expired_sessions_task():
    return purge_expired_sessions()
