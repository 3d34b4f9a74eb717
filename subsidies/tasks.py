"""Celery tasks: thin wrapper around subsidies.services."""

import datetime as dt

from celery import shared_task


@shared_task(name="subsidies.tasks.compute_subsidies")
def compute_subsidies(today: str | None = None) -> str:
    """Nightly (CELERY_BEAT_SCHEDULE "compute-subsidies"); also picks up stalled exports."""
    from portal import exports
    from subsidies import services

    result = services.compute_subsidies(dt.date.fromisoformat(today) if today else None)
    exports.catch_up()
    return str(result)
