"""Heartbeats of the periodic jobs, so a stopped worker is visible (STYLE: healthchecks).

The worker beats every minute (portal.tasks.heartbeat), the sweep at the end of each run.
Stale: the worker after 5 minutes; the sweep when a run its beat schedule called for
(CELERY_BEAT_SCHEDULE["sweep-deadlines"], daily at 01:00) has not beaten within MISSED_AFTER
(an hour) of that time — so a missed 01:00 sweep shows at 02:00, not a day later. Without a
broker (CELERY_BROKER_URL unset) tasks run in-process and there is no worker to watch.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from portal.models import Heartbeat

WORKER, SWEEP = "worker", "sweep"
STALE_AFTER = {WORKER: dt.timedelta(minutes=5), SWEEP: None}  # None: by its beat schedule
SCHEDULED = {SWEEP: "sweep-deadlines"}  # heartbeat → CELERY_BEAT_SCHEDULE entry
MISSED_AFTER = dt.timedelta(hours=1)


def last_due(schedule, now: dt.datetime) -> dt.datetime | None:
    """The latest time at or before `now` a crontab schedule called for (days walked back, at
    most a year), in the schedule's time zone; None for anything else."""
    from celery.schedules import crontab

    if not isinstance(schedule, crontab):
        return None
    zone = ZoneInfo(settings.CELERY_TIMEZONE)
    local = now.astimezone(zone)
    times = sorted((hour, minute) for hour in schedule.hour for minute in schedule.minute)
    for back in range(367):
        day = local.date() - dt.timedelta(days=back)
        if (day.month not in schedule.month_of_year or day.day not in schedule.day_of_month
                or day.isoweekday() % 7 not in schedule.day_of_week):
            continue
        for hour, minute in reversed(times):
            moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
            if moment <= local:
                return moment
    return None


def _stale(name: str, last: dt.datetime | None, now: dt.datetime) -> bool:
    if last is None:
        return True
    limit = STALE_AFTER[name]
    if limit is not None:
        return now - last > limit
    entry = settings.CELERY_BEAT_SCHEDULE.get(SCHEDULED[name], {})
    schedule = entry.get("schedule")
    if isinstance(schedule, int | float | dt.timedelta):  # an interval (integration tests)
        seconds = schedule.total_seconds() if isinstance(schedule, dt.timedelta) else schedule
        return now - last > dt.timedelta(seconds=seconds) + MISSED_AFTER
    due = last_due(schedule, now - MISSED_AFTER)
    return due is not None and last < due


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
    for name in STALE_AFTER:
        last = seen.get(name)
        entry = {"last_seen": last.last_seen.isoformat() if last else None,
                 "stale": _stale(name, last.last_seen if last else None, now)}
        if name == WORKER and not settings.CELERY_BROKER_URL:
            entry.update(stale=False, mode="eager")
        if name == SWEEP and last:
            entry["today"] = last.detail.get("today")
        report[name] = entry
    return report


def stale_jobs(now: dt.datetime | None = None) -> list[str]:
    return [name for name, entry in health(now).items() if entry["stale"]]
