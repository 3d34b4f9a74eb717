"""Celery tasks of projects (names are in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="projects.tasks.fold_project_counts")
def fold_project_counts():
    """Hourly: the appended count deltas folded into one row per key (projects.counts)."""
    from projects.counts import fold

    return {"rows": fold()}
