"""Notifications: the one place events reach people (STYLE: hypha's notify).

`notify` records the event first — one Notification per recipient user, the in-app inbox —
then queues its e-mail (a Delivery) unless the user takes the daily digest or has no
address; e-mail is sent after commit by acceptance.delivery, whose failures never touch the
inbox. `notify_alerts` is the same thing for all the alerts a sweep raised, set-based: one
INSERT … SELECT of notifications and one of deliveries, whatever the number of alerts.
"""

import logging
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from acceptance.models import Alert, Deadline, Delivery, Notification
from acceptance.sql import datetime_param, execute, table
from communities.models import Community, User
from projects.models import CreationProject

logger = logging.getLogger(__name__)
TIER_LABELS = CreationProject.Tier.choices


def _mode(user) -> str:
    if not user.email:
        return Notification.Mode.NONE
    return Notification.Mode.DIGEST if user.daily_digest else Notification.Mode.EMAIL


def notify(event: str, *, title: str, body: str = "", project=None, offices=(), users=(), alert=None,
           key: str | None = None) -> int:
    """Record `event` for the active users of `offices` and `users`; queue their e-mail.

    `key` makes the call idempotent per user (e.g. "rectification:12"); without one every
    call is a new event. Returns the number of notifications recorded.
    """
    key = key or f"{event}:{uuid.uuid4().hex}"
    recipients = list(User.objects.filter(Q(office__in=list(offices)) | Q(pk__in=[u.pk for u in users]),
                                          is_active=True).distinct())
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        [Notification(user=user, event=event, key=key, project=project, alert=alert, title=title[:200],
                      body=body, mode=_mode(user)) for user in recipients], ignore_conflicts=True)
    recorded = list(Notification.objects.filter(key=key, user__in=recipients, mode=Notification.Mode.EMAIL)
                    .select_related("user"))
    now = timezone.now()
    Delivery.objects.bulk_create(
        [Delivery(kind=Delivery.Kind.SINGLE, user=n.user, notification=n, to_address=n.user.email,
                  next_attempt_at=now) for n in recorded], ignore_conflicts=True)
    if recorded:
        transaction.on_commit(enqueue_delivery)
    return len(recipients)


def _case(column: str, choices) -> tuple[str, list]:
    whens = " ".join("WHEN %s THEN %s" for _ in choices)
    return f"CASE {column} {whens} ELSE '' END", [v for pair in choices for v in pair]


def notify_alerts(now=None) -> int:
    """Notify the users of every alert not yet notified (alert.notified_at is NULL).

    Three statements: notifications, their e-mail deliveries, then the alerts marked. A crash
    between them is completed by the next run; unique keys prevent any duplicate.
    """
    now = now or timezone.now()
    stamp = datetime_param(now)
    level_sql, level_params = _case("a.level", Alert.Level.choices)
    tier_sql, tier_params = _case("p.tier", TIER_LABELS)
    project_name = f"COALESCE(NULLIF(p.name, ''), c.name || {tier_sql} || %s)"
    week = "CASE WHEN a.period > 0 THEN %s || CAST(a.period + 1 AS TEXT) || %s ELSE '' END"
    title = f"SUBSTR(%s || {level_sql} || {week} || %s || {project_name} || %s || d.label, 1, 200)"
    body = f"{project_name} || %s || d.label || %s || CAST(a.due_on AS TEXT) || %s || d.basis || %s"
    mode = "CASE WHEN u.email = '' THEN %s WHEN u.daily_digest THEN %s ELSE %s END"
    M = Notification.Mode
    sql = (
        f"INSERT INTO {table(Notification)} (user_id, event, key, project_id, alert_id, title, body, mode, "
        f"digest_id, created_at, read_at) "
        f"SELECT u.id, %s, %s || CAST(a.id AS TEXT), d.project_id, a.id, {title}, {body}, {mode}, NULL, %s, NULL "
        f"FROM {table(Alert)} a JOIN {table(Deadline)} d ON d.id = a.deadline_id "
        f"JOIN {table(CreationProject)} p ON p.id = d.project_id "
        f"JOIN {table(Community)} c ON c.id = p.community_id "
        f"JOIN {table(User)} u ON u.office_id = a.office_id AND u.is_active "
        f"WHERE a.notified_at IS NULL ON CONFLICT DO NOTHING")
    name_params = [*tier_params, "未来社区"]
    params = ["alert", "alert:",
              "【", *level_params, "（第", "周）", "】", *name_params, " ", *name_params,
              "：", "到期日 ", "。依据：", "。", M.NONE, M.DIGEST, M.EMAIL, stamp]
    recorded = execute(sql, params)
    execute(
        f"INSERT INTO {table(Delivery)} (kind, user_id, notification_id, digest_on, to_address, state, attempts, "
        f"last_error, next_attempt_at, sent_at, created_at) "
        f"SELECT %s, n.user_id, n.id, NULL, u.email, %s, 0, '', %s, NULL, %s FROM {table(Notification)} n "
        f"JOIN {table(Alert)} a ON a.id = n.alert_id JOIN {table(User)} u ON u.id = n.user_id "
        f"WHERE a.notified_at IS NULL AND n.mode = %s ON CONFLICT DO NOTHING",
        [Delivery.Kind.SINGLE, Delivery.State.PENDING, stamp, stamp, M.EMAIL])
    Alert.objects.filter(notified_at=None).update(notified_at=now)
    return recorded


def enqueue_delivery() -> None:
    """Ask the worker to send pending e-mail now. If the broker is down the request still
    succeeds: the pending deliveries wait for the next periodic run."""
    from acceptance.tasks import deliver_notifications

    try:
        deliver_notifications.apply_async(retry=False)
    except Exception:  # broker unreachable (or, eager, a sending bug): never fail the caller
        logger.warning("could not enqueue e-mail delivery; the periodic run will send it", exc_info=True)


def mark_read(user, pk=None) -> int:
    """Mark one of the user's notifications (or all of them) read."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()
