"""Celery tasks of the plumbing: thin wrappers (names are in CELERY_BEAT_SCHEDULE)."""

import datetime as dt

from celery import shared_task


@shared_task(name="portal.tasks.heartbeat")
def heartbeat():
    from portal.heartbeats import WORKER, beat

    beat(WORKER)


@shared_task(name="portal.tasks.deliver_notifications")
def deliver_notifications():
    from portal.delivery import deliver_due

    return deliver_due()


@shared_task(name="portal.tasks.send_daily_digests")
def send_daily_digests(today=None):
    from portal.delivery import send_daily_digests as send

    return send(dt.date.fromisoformat(today) if today else None)


@shared_task(name="portal.tasks.run_export", acks_late=True)
def run_export(job_id: int) -> str:
    from portal import exports

    return exports.run_job(job_id)


@shared_task(name="portal.tasks.run_queued_exports")
def run_queued_exports() -> str:
    """Catch-up for exports whose enqueue failed (broker down) or whose worker died."""
    from portal import exports

    return exports.catch_up()
