"""Heartbeats of the periodic jobs, so a stopped worker is visible (STYLE: healthchecks).

The worker beats every minute (portal.tasks.heartbeat), the sweep once a day at the end
of a run. Stale: the worker after 5 minutes, the sweep after 26 hours. Without a broker
(CELERY_BROKER_URL unset) tasks run in-process and there is no worker to watch.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from portal.models import Heartbeat

WORKER, SWEEP = "worker", "sweep"
STALE_AFTER = {WORKER: dt.timedelta(minutes=5), SWEEP: dt.timedelta(hours=26)}


def beat(name: str, now: dt.datetime | None = None, **detail) -> None:
    """Record that `name` ran now (one upsert statement)."""
    Heartbeat.objects.bulk_create([Heartbeat(name=name, last_seen=now or timezone.now(), detail=detail)],
                                  update_conflicts=True, unique_fields=["name"],
                                  update_fields=["last_seen", "detail"])


def health(now: dt.datetime | None = None) -> dict:
    """{"worker": {"last_seen", "stale"}, "sweep": {...}} for /healthz (one query)."""
    now = now or timezone.now()
    seen = {h.name: h for h in Heartbeat.objects.filter(name__in=list(STALE_AFTER))}
    report = {}
    for name, limit in STALE_AFTER.items():
        last = seen.get(name)
        entry = {"last_seen": last.last_seen.isoformat() if last else None,
                 "stale": last is None or now - last.last_seen > limit}
        if name == WORKER and not settings.CELERY_BROKER_URL:
            entry.update(stale=False, mode="eager")
        if name == SWEEP and last:
            entry["today"] = last.detail.get("today")
        report[name] = entry
    return report


def stale_jobs(now: dt.datetime | None = None) -> list[str]:
    return [name for name, entry in health(now).items() if entry["stale"]]
