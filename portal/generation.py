"""The data generation: one counter in Django's cache that every write of the facts the
statistics read bumps, so a computation cached under it (dashboards.cache) is never served
after such a write.

Writers call `changed()` (or their models are `watch`ed: post_save / post_delete). It bumps
at once, so the writer's own transaction reads fresh boards, and again on commit: a reader
in another process that computed from the not-yet-committed data in between stored its
result under a generation nobody asks for any more. The counter starts at a time-based value,
so a counter lost from the cache (evicted, Redis restarted) never meets an old entry again.

The counter is only as shared as the cache: with several processes (gunicorn workers, the
Celery worker) CACHE_URL must name a shared cache (Redis in the deployment); local memory
is right for one process (runserver, tests); docs/OPERATIONS.md says so at CACHE_URL.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

KEY = "portal:data-generation"
log = logging.getLogger(__name__)


def current() -> int | None:
    """The generation now; None when the cache cannot be reached (then nothing is cached)."""
    try:
        value = cache.get(KEY)
        if value is None:
            cache.add(KEY, time.time_ns(), timeout=None)
            value = cache.get(KEY)
        return value
    except Exception:  # a cache outage makes pages slower, never wrong or broken
        log.warning("data generation: cache unreachable", exc_info=True)
        return None


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not there (evicted or first use): start a new, unseen sequence
        cache.add(KEY, time.time_ns(), timeout=None)
    except Exception:
        log.warning("data generation: cache unreachable, bump lost", exc_info=True)


def changed(using: str | None = None) -> None:
    """Facts the statistics read were written (or are being written in this transaction)."""
    _bump()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_bump, using=using)


def _on_write(sender, using=None, **kwargs) -> None:
    changed(using)


def watch(*models) -> None:
    """Bump on every save and delete of these models (bulk writes call changed() themselves)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(_on_write, sender=model, dispatch_uid=f"generation-save-{model._meta.label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"generation-delete-{model._meta.label}")

