"""通知公告: administrators post, every user sees published notices with unread ones marked
and counted in the menu; opening one marks it read for that user only."""

import datetime as dt
import re

import pytest

from portal.models import Notice, NoticeRead
from portal.notices import unread_notice_count

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def notice(**fields):
    return Notice.objects.create(**{"title": "关于报送月报的通知", "body": "请各街道于每月5日前报送。",
                                    "published_on": dt.date(2026, 11, 1), **fields})


def test_administrator_posts_a_notice(client_for, users):
    response = client_for("admin").post("/notices/new/", {
        "title": "系统升级公告", "body": "本周六晚停机维护。", "published_on": "2026-11-20", "pinned": "on"})
    saved = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{saved.pk}/"
    assert (saved.title, saved.published_on, saved.pinned, saved.author) == (
        "系统升级公告", dt.date(2026, 11, 20), True, users["admin"])


@pytest.mark.parametrize("role", ["street_tashan", "district_yuecheng", "finance_jiaxing"])
def test_only_administrators_may_post_or_edit(client_for, role):
    existing = notice()
    client = client_for(role)
    assert client.get("/notices/new/").status_code == 403
    assert client.post("/notices/new/", {"title": "x", "body": "y", "published_on": "2026-11-20"}).status_code == 403
    assert client.post(f"/notices/{existing.pk}/edit/", {"title": "改", "body": "y",
                                                         "published_on": "2026-11-20"}).status_code == 403
    assert Notice.objects.get().title == "关于报送月报的通知"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "标题\x00", "标题"),
    ("title", "标\x07题", "标题含有不可见的控制字符"),
    ("published_on", "2026-02-30", "发布日期"),
    ("published_on", "３０００-01-01", "发布日期"),
    ("published_on", "3000-01-01", "发布日期应在2000年至2100年之间"),
])
def test_bad_input_names_the_field_and_saves_nothing(client_for, field, value, message):
    data = {"title": "公告", "body": "正文", "published_on": "2026-11-20", field: value}
    response = client_for("admin").post("/notices/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_unread_notices_are_marked_and_counted_until_opened(client_for, users):
    first, second = notice(), notice(title="第二条", pinned=True)
    client = client_for("street_tashan")
    html = client.get("/notices/").content.decode()
    assert html.count('data-testid="notice-unread"') == 2
    assert re.search(r'href="/notices/"[^>]*>通知公告 <span[^>]*data-testid="todo-count"[^>]*>2</span>', html)
    # pinned first
    assert html.index("第二条") < html.index("关于报送月报的通知")
    assert client.get(f"/notices/{first.pk}/").status_code == 200
    assert unread_notice_count(users["street_tashan"]) == 1
    assert unread_notice_count(users["district_yuecheng"]) == 2  # read marks are per user
    client.get(f"/notices/{first.pk}/")  # opening again keeps one mark
    assert NoticeRead.objects.filter(notice=first).count() == 1
    assert second.pk


def test_a_notice_is_hidden_from_users_before_its_publish_date(client_for, users):
    future = notice(title="明年的公告", published_on=dt.date(2099, 1, 1))
    street = client_for("street_tashan")
    assert "明年的公告" not in street.get("/notices/").content.decode()
    assert street.get(f"/notices/{future.pk}/").status_code == 404
    assert unread_notice_count(users["street_tashan"], today=TODAY) == 0
    assert "明年的公告" in client_for("admin").get("/notices/").content.decode()
