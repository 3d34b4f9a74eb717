"""Celery tasks: thin wrappers around subsidies.services and subsidies.exports."""

import datetime as dt

from celery import shared_task


@shared_task(name="subsidies.tasks.compute_subsidies")
def compute_subsidies(today: str | None = None) -> str:
    """Nightly (CELERY_BEAT_SCHEDULE "compute-subsidies"); also picks up stalled exports."""
    from subsidies import exports, services

    result = services.compute_subsidies(dt.date.fromisoformat(today) if today else None)
    exports.catch_up()
    return str(result)


@shared_task(name="subsidies.tasks.run_export", acks_late=True)
def run_export(job_id: int) -> str:
    from subsidies import exports

    return exports.run_job(job_id)


@shared_task(name="subsidies.tasks.run_queued_exports")
def run_queued_exports() -> str:
    """Catch-up for exports whose enqueue failed (broker down) or whose worker died."""
    from subsidies import exports

    return exports.catch_up()
