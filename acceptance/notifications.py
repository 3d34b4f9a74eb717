"""Alert notifications: every alert a sweep raised reaches the users of its office, set-based
(one INSERT … SELECT of notifications and one of deliveries, whatever the number of alerts).
The rows are the inbox's own (portal.models); the e-mail mode is portal.notifications'.
"""

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from acceptance.models import Alert, Deadline
from communities.models import Community, User
from portal.models import Delivery, Notification
from portal.notifications import mode_sql
from portal.sql import datetime_param, execute, table
from projects.models import CreationProject
from projects.selectors import display_name_sql

INBOX_EVENTS = {"alert": "预警"}  # the inbox's 类型 of the rows inserted below


def _case(column: str, choices) -> tuple[str, list]:
    whens = " ".join("WHEN %s THEN %s" for _ in choices)
    return f"CASE {column} {whens} ELSE '' END", [v for pair in choices for v in pair]


def notify_alerts(now=None, raised_after: int | None = None, facts: str | None = None) -> int:
    """Notify the users of alerts: those the sweep raised just now in the same transaction
    (`raised_after`: the largest alert id before its insert; they carry `notified_at` = `now`
    from the start), else every alert not yet notified (alert.notified_at is NULL: alerts
    raised otherwise, or by a version that notified in a later step).

    Two statements, notifications then their e-mail deliveries (and, for the alerts not yet
    notified, a third that marks them). The sweep's new alerts commit with their notifications
    or not at all; for the others a crash between the statements is completed by the next run.
    Unique keys prevent any duplicate.

    `facts`: a table of the alerts' deadlines (id, project_id, label, basis, project_name) that
    holds at least those of the alerts notified (the sweep's, acceptance.sweep.raise_alerts);
    without it they are read from the deadlines, projects and communities.
    """
    now = now or timezone.now()
    stamp = datetime_param(now)
    if raised_after is None:
        which, which_params = "a.notified_at IS NULL", []
    else:  # the id range lets PostgreSQL read only the new rows (primary key)
        which, which_params = "a.id > %s AND a.notified_at = %s", [raised_after, stamp]
    level_sql, level_params = _case("a.level", Alert.Level.choices)
    if facts is None:
        project_name, name_params = display_name_sql("p", "c")
        facts = (f"(SELECT d.id, d.project_id, d.label, d.basis, {project_name} AS project_name "
                 f"FROM {table(Deadline)} d JOIN {table(CreationProject)} p ON p.id = d.project_id "
                 f"JOIN {table(Community)} c ON c.id = p.community_id)")
        facts_params = name_params
    else:
        facts_params = []
    week = "CASE WHEN a.period > 0 THEN %s || CAST(a.period + 1 AS TEXT) || %s ELSE '' END"
    title = "SUBSTR(%s || " + level_sql + " || " + week + " || %s || d.project_name || %s || d.label, 1, 200)"
    body = "d.project_name || %s || d.label || %s || CAST(a.due_on AS TEXT) || %s || d.basis || %s"
    mode, mode_params = mode_sql("u")
    link = "%s || CAST(d.project_id AS TEXT) || %s"
    sql = (
        f"INSERT INTO {table(Notification)} (user_id, event, key, project_id, link, link_label, title, body, mode, "
        f"digest_id, created_at, read_at) "
        f"SELECT u.id, %s, %s || CAST(a.id AS TEXT), d.project_id, {link}, SUBSTR(d.project_name, 1, 200), {title}, "
        f"{body}, {mode}, NULL, %s, NULL "
        f"FROM {table(Alert)} a JOIN {facts} d ON d.id = a.deadline_id "
        f"JOIN {table(User)} u ON u.office_id = a.office_id AND u.is_active "
        f"WHERE {which} ON CONFLICT DO NOTHING")
    params = ["alert", "alert:", *project_link(),
              "【", *level_params, "（第", "周）", "】", " ",
              "：", "到期日 ", "。依据：", "。", *mode_params, stamp, *facts_params, *which_params]
    last_note = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    recorded = execute(sql, params)
    columns = (f"INSERT INTO {table(Delivery)} (kind, user_id, notification_id, digest_on, to_address, state, "
               f"attempts, last_error, next_attempt_at, sent_at, created_at) "
               f"SELECT %s, n.user_id, n.id, NULL, u.email, %s, 0, '', %s, NULL, %s ")
    if raised_after is None:
        execute(
            f"{columns} FROM {table(Alert)} a JOIN {table(User)} u ON u.office_id = a.office_id "
            f"JOIN {table(Notification)} n ON n.user_id = u.id AND n.key = %s || CAST(a.id AS TEXT) "
            f"WHERE {which} AND n.mode = %s ON CONFLICT DO NOTHING",
            [Delivery.Kind.SINGLE, Delivery.State.PENDING, stamp, stamp, "alert:", Notification.Mode.EMAIL])
        Alert.objects.filter(notified_at=None).update(notified_at=now)
    else:  # the notifications just recorded (a primary-key range): no join back through the alerts
        execute(
            f"{columns} FROM {table(Notification)} n JOIN {table(User)} u ON u.id = n.user_id "
            f"WHERE n.id > %s AND n.event = %s AND n.created_at = %s AND n.mode = %s ON CONFLICT DO NOTHING",
            [Delivery.Kind.SINGLE, Delivery.State.PENDING, stamp, stamp, last_note, "alert", stamp,
             Notification.Mode.EMAIL])
    return recorded


def project_link() -> list[str]:
    """The inbox link of a project as the two SQL string pieces around its id."""
    return reverse("projects:detail", args=[987654321]).split("987654321", 1)
