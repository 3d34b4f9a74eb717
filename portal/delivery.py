"""E-mail delivery of notifications: immediate, or one daily digest per user; retried with
backoff. A failure is recorded on the Delivery (attempts, last_error, next_attempt_at) and
never touches the in-app notification.

Claims are in bulk: one UPDATE moves the `next_attempt_at` of a whole batch of due deliveries
past the lease and returns their ids; on PostgreSQL the batch is chosen FOR UPDATE SKIP LOCKED,
so concurrent senders take disjoint batches and never send the same mail (SQLite runs one writer
at a time). A sender that dies after claiming leaves its batch to be retried once the lease
has passed. A batch costs a few statements: claim, read, mark sent (and one per failure).
"""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from portal.models import Delivery, Notification
from portal.sql import date_param, datetime_param, execute, table
from portal.validators import one_line

logger = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)
FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_RETRY = dt.timedelta(hours=6)
MAX_ATTEMPTS = 8
MARK_EVERY = 100  # sent deliveries marked per UPDATE
SITE = "未来社区创建项目全生命周期管理平台"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt after `attempts` failures: 5 min, 10, 20 … at most 6 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _message(delivery: Delivery) -> tuple[str, str]:
    """(subject, body). The subject is flattened to one line: a header cannot hold a newline
    (BadHeaderError), whatever a title quotes (a project name, a comment)."""
    subject, body = _text(delivery)
    return one_line(subject, 250), body


def _text(delivery: Delivery) -> tuple[str, str]:
    if delivery.kind == Delivery.Kind.SINGLE:
        note = delivery.notification
        return f"[{SITE}] {note.title}", f"{note.title}\n\n{note.body}\n\n请登录平台查看：消息 → 站内消息。"
    notes = list(Notification.objects.filter(digest=delivery).order_by("created_at", "id"))
    lines = [f"{index}. {note.title}\n   {note.body}" for index, note in enumerate(notes, start=1)]
    subject = f"[{SITE}] {delivery.digest_on:%Y年%m月%d日}消息汇总（共{len(notes)}条）"
    return subject, "\n".join([f"{delivery.user.first_name or delivery.user.username}：", "", *lines, "",
                               "以上消息均可在平台“消息”页面查看。"])


def _claim(now: dt.datetime, kinds, limit: int) -> list[int]:
    """Take up to `limit` due deliveries, oldest first: their lease starts and their attempt is
    counted in the same statement. The ids taken."""
    kind_sql = f" AND kind IN ({', '.join(['%s'] * len(kinds))})" if kinds else ""
    skip = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    due = f"state = %s AND next_attempt_at <= %s{kind_sql}"
    params = [Delivery.State.PENDING, datetime_param(now), *(kinds or [])]
    sql = (f"UPDATE {table(Delivery)} SET next_attempt_at = %s, attempts = attempts + 1 "
           f"WHERE id IN (SELECT id FROM {table(Delivery)} WHERE {due} ORDER BY next_attempt_at, id "
           f"LIMIT %s{skip}) AND {due} RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [datetime_param(now + LEASE), *params, limit, *params])
        return sorted(row[0] for row in cursor.fetchall())


def _failed(delivery: Delivery, error: str, now: dt.datetime) -> None:
    attempts = delivery.attempts
    state = Delivery.State.FAILED if attempts >= MAX_ATTEMPTS else Delivery.State.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(state=state, last_error=error[:2000],
                                                   next_attempt_at=now + backoff(attempts))


def deliver_due(now: dt.datetime | None = None, kinds=None, limit: int = 500) -> dict:
    """Send the pending deliveries whose time has come; {"sent", "failed"} of this run."""
    now = now or timezone.now()
    claimed = _claim(now, kinds, limit)
    counts = {"sent": 0, "failed": 0}
    if not claimed:
        return counts
    connection_ = mail.get_connection()
    sent = []
    for delivery in Delivery.objects.filter(pk__in=claimed).select_related("notification", "user").order_by("id"):
        try:
            subject, body = _message(delivery)
            mail.send_mail(subject, body, None, [delivery.to_address], connection=connection_)
        except Exception as exc:  # SMTP refusals, timeouts, bad addresses: record and retry
            logger.warning("e-mail delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
            _failed(delivery, f"{type(exc).__name__}: {exc}", now)
            counts["failed"] += 1
        else:
            sent.append(delivery.pk)
            if len(sent) == MARK_EVERY:  # a crash re-sends at most this many (after the lease)
                counts["sent"] += _mark_sent(sent)
                sent = []
    counts["sent"] += _mark_sent(sent)
    return counts


def _mark_sent(ids: list[int]) -> int:
    if not ids:
        return 0
    return Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.SENT, sent_at=timezone.now(),
                                                      last_error="")


def prepare_daily_digests(today: dt.date, now: dt.datetime) -> int:
    """One digest per user per day (unique), holding every digest-mode notification not yet in one.

    Notifications join only a digest still pending: once today's digest is sent, later ones
    wait for tomorrow's.
    """
    stamp = datetime_param(now)
    created = execute(
        f"INSERT INTO {table(Delivery)} (kind, user_id, notification_id, digest_on, to_address, state, attempts, "
        f"last_error, next_attempt_at, sent_at, created_at) "
        f"SELECT %s, u.id, NULL, %s, u.email, %s, 0, '', %s, NULL, %s FROM {table(get_user_model())} u "
        f"WHERE u.is_active AND u.email <> '' AND EXISTS (SELECT 1 FROM {table(Notification)} n "
        f"WHERE n.user_id = u.id AND n.mode = %s AND n.digest_id IS NULL) ON CONFLICT DO NOTHING",
        [Delivery.Kind.DIGEST, date_param(today), Delivery.State.PENDING, stamp, stamp, Notification.Mode.DIGEST])
    todays = Delivery.objects.filter(kind=Delivery.Kind.DIGEST, digest_on=today, state=Delivery.State.PENDING,
                                     user=OuterRef("user"))
    Notification.objects.filter(mode=Notification.Mode.DIGEST, digest=None).filter(Exists(todays)).update(
        digest=Subquery(todays.values("pk")[:1]))
    return created


def send_daily_digests(today: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    created = prepare_daily_digests(today, now)
    return {"digests": created, **deliver_due(now, kinds=[Delivery.Kind.DIGEST])}
