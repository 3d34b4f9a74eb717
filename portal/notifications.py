"""Notifications: the one place events reach people (STYLE: hypha's notify).

`notify` records the event first — one Notification per recipient user, the in-app inbox —
then queues its e-mail (a Delivery) unless the user takes the daily digest or has no
address; e-mail is sent after commit by portal.delivery, whose failures never touch the
inbox. Apps with many events at once (the deadline sweep's alerts) insert the same rows
set-based, choosing each user's mode with `mode_sql`, the SQL twin of `mode_for`.
"""

import functools
import logging
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal import compiled
from portal.models import Delivery, Notification
from portal.validators import one_line

logger = logging.getLogger(__name__)


GENERIC_LABEL = "通知"


@functools.cache
def event_labels() -> dict[str, str]:
    """Every event kind's Chinese label (the inbox's 类型), as the app that emits it declares
    in its AppConfig's `inbox_events()`: one owner per label, next to the `notify` call."""
    from django.apps import apps

    labels = {}
    for config in apps.get_app_configs():
        provider = getattr(config, "inbox_events", None)
        if provider:
            labels.update(provider())
    return labels


def event_label(kind: str) -> str:
    return event_labels().get(kind, GENERIC_LABEL)


def mode_for(user) -> str:
    """How a user gets e-mail: none without an address, else the daily digest or each one."""
    if not user.email:
        return Notification.Mode.NONE
    return Notification.Mode.DIGEST if user.daily_digest else Notification.Mode.EMAIL


def mode_sql(user_alias: str = "u") -> tuple[str, list]:
    """`mode_for` as a SQL expression over the users table aliased `user_alias`."""
    mode = Notification.Mode
    return (f"CASE WHEN {user_alias}.email = '' THEN %s WHEN {user_alias}.daily_digest THEN %s ELSE %s END",
            [mode.NONE, mode.DIGEST, mode.EMAIL])


def notify(event: str, *, title: str, body: str = "", project=None, link: str = "", link_label: str = "",
           offices=(), users=(), key: str | None = None, sender=None) -> int:
    """Record `event` for the active users of `offices` and `users`; queue their e-mail.

    `project` is the project the event is about (the API reports its id); `link` and
    `link_label` the page the inbox links to; `sender` the staff member whose move caused it
    (the inbox shows their name and phone).

    `key` makes the call idempotent per user (e.g. "rectification:12"); without one every
    call is a new event. Returns the number of notifications recorded.
    """
    key = key or f"{event}:{uuid.uuid4().hex}"
    recipients = list(get_user_model().objects.filter(
        Q(office__in=list(offices)) | Q(pk__in=[u.pk for u in users]), is_active=True).distinct())
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        [Notification(user=user, event=event, key=key, project=project, sender=sender, link=link,
                      link_label=link_label[:200],
                      title=one_line(title, 200), body=body, mode=mode_for(user)) for user in recipients],
        ignore_conflicts=True)
    recorded = list(Notification.objects.filter(key=key, user__in=recipients, mode=Notification.Mode.EMAIL)
                    .select_related("user"))
    now = timezone.now()
    Delivery.objects.bulk_create(
        [Delivery(kind=Delivery.Kind.SINGLE, user=n.user, notification=n, to_address=n.user.email,
                  next_attempt_at=now) for n in recorded], ignore_conflicts=True)
    if recorded:
        transaction.on_commit(enqueue_delivery)
    return len(recipients)


def enqueue_delivery() -> None:
    """Ask the worker to send pending e-mail now. If the broker is down the request still
    succeeds: the pending deliveries wait for the next periodic run."""
    from portal.tasks import deliver_notifications

    try:
        deliver_notifications.apply_async(retry=False)
    except Exception:  # broker unreachable (or, eager, a sending bug): never fail the caller
        logger.warning("could not enqueue e-mail delivery; the periodic run will send it", exc_info=True)


def notifications_for(user):
    return Notification.objects.filter(user=user).select_related("sender__office")


def mark_read(user, pk=None) -> int:
    """Mark one of the user's notifications (or all of them) read."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def unread_query(user) -> tuple[tuple, object]:
    """(key, build) of the user's unread notifications for portal.compiled."""
    return ("unread", user.pk), lambda: Notification.objects.filter(user=user, read_at=None)


def unread_count(user) -> int:
    """The user's unread notifications (one query, compiled once per user: every page's header)."""
    return compiled.count(*unread_query(user))
