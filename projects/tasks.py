"""Celery tasks of projects (names are in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="projects.tasks.recount_project_counts")
def recount_project_counts():
    """Hourly: the kept project counts replaced by a fresh count (projects.counts.recount)."""
    from projects.counts import recount

    return {"rows": recount()}
