"""Celery tasks: thin wrappers around the services (names are in CELERY_BEAT_SCHEDULE)."""

import datetime as dt

from celery import shared_task


def _date(value):
    return dt.date.fromisoformat(value) if value else None


@shared_task(name="acceptance.tasks.sweep_deadlines")
def sweep_deadlines(today=None):
    from dataclasses import asdict

    from acceptance.sweep import sweep_deadlines as sweep
    from portal.delivery import deliver_due

    result = asdict(sweep(_date(today)))
    return {**result, **deliver_due()}


@shared_task(name="acceptance.tasks.generate_bulletins")
def generate_bulletins(today=None):
    from acceptance.bulletins import generate_bulletins as generate

    return [f"{b.kind}:{b.period}" for b in generate(_date(today))]


@shared_task(name="acceptance.tasks.recompute_policy_version_deadlines")
def recompute_policy_version_deadlines(version_id):
    from acceptance.deadlines import recompute_for_policy_version

    return recompute_for_policy_version(version_id)
