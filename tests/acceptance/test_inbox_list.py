"""The inbox (预警 and 通知) as a list: filter, paginate, export (issue #7); its sort orders are in
test_inbox_orders.py."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.models import Notification
from tests.lists import (
    assert_exported_as_text,
    assert_query_count_is_constant,
    column,
    csv_table,
    page_rows,
    xlsx_table,
)
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
TASHAN = "330602001"


def notes(user, count, prefix="通知", event="alert", project=None, start=dt.datetime(2026, 5, 1, 8)):
    made = Notification.objects.bulk_create(
        Notification(user=user, event=event if i % 4 else "rectification_issued", key=f"{prefix}:{i}",
                     title=f"{prefix}{i:03d}", body=f"{prefix}正文{i}", mode="none", project=project,
                     link_label=project.display_name if project else "",
                     read_at=timezone.now() if i % 3 == 0 else None)
        for i in range(count))
    tz = timezone.get_current_timezone()
    for i, note in enumerate(made):
        at = timezone.make_aware(start + dt.timedelta(hours=i), tz)
        Notification.objects.filter(pk=note.pk).update(created_at=at)
    return made


def test_inbox_filters_by_read_state_type_and_keyword(client_for, users):
    user = users["street_tashan"]
    made = notes(user, 12)
    client = client_for("street_tashan")

    def shown(**params):
        return {n.pk for n in page_rows(client.get("/inbox/", params))}

    assert shown(unread="1") == {n.pk for n in made if n.read_at is None}
    assert shown(event="alert") == {n.pk for n in made if n.event == "alert"}
    assert shown(event="notice") == {n.pk for n in made if n.event != "alert"}
    assert shown(q="通知007") == {made[7].pk}
    assert shown(q="正文1") == {made[1].pk, made[10].pk, made[11].pk}
    assert shown(event="everything", unread="yes") == {n.pk for n in made}  # unknown values: ignored


def test_inbox_exports_hold_exactly_the_users_filtered_notifications(client_for, users):
    project = bulk_projects(TASHAN, 1)[0]
    mine = notes(users["street_tashan"], 80, project=project)
    notes(users["district_yuecheng"], 10, prefix="区里的")
    client = client_for("street_tashan")
    params = {"event": "alert", "sort": "title"}
    shown = page_rows(client.get("/inbox/", params)) + page_rows(
        client.get("/inbox/", {**params, "page": 2}))
    assert len(shown) == len([n for n in mine if n.event == "alert"]) == 60
    xlsx = xlsx_table(client.get("/inbox/export.xlsx", params))
    csv = csv_table(client.get("/inbox/export.csv", params))
    assert column(xlsx, "标题") == column(csv, "标题") == [n.title for n in shown]
    assert set(column(xlsx, "类型")) == {"预警"} and set(column(csv, "项目")) == {project.display_name}
    assert column(xlsx, "状态").count("未读") == len([n for n in shown if n.read_at is None])
    everything = column(csv_table(client.get("/inbox/export.csv")), "标题")
    assert len(everything) == 80 and not any(t.startswith("区里的") for t in everything)


def test_inbox_export_writes_formula_like_titles_as_text(client_for, users):
    notes(users["street_tashan"], 1, prefix="=cmd|' /C calc'!A0")
    assert_exported_as_text(client_for("street_tashan"), "/inbox/export", "标题", "=cmd|' /C calc'!A0000")


@pytest.mark.parametrize("url", ["/inbox/", "/inbox/export.xlsx", "/inbox/export.csv"])
def test_inbox_query_count_is_constant(client_for, users, url):
    projects = bulk_projects(TASHAN, 2)
    notes(users["street_tashan"], 3, project=projects[0])
    assert_query_count_is_constant(client_for("street_tashan"), url, {"sort": "project"},
                                   lambda: notes(users["street_tashan"], 17, prefix="更多", project=projects[1]))
