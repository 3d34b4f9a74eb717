"""Community list, operation log and login log: filter, paginate, export (issue #7); their sort
orders are in test_list_orders.py and test_log_orders.py."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from communities import views
from communities.models import Community, LoginEvent, OperationLog, Region
from tests.lists import (
    assert_exported_as_text,
    assert_query_count_is_constant,
    body,
    column,
    csv_table,
    page_rows,
    xlsx_sheet,
    xlsx_table,
)

pytestmark = pytest.mark.django_db
TASHAN, SIBLING, JIANSHE = "330602001", "330602002", "330402007"


def communities(street_code, count, prefix="列表"):
    street = Region.objects.get(code=street_code)
    start = Community.objects.count()
    return Community.objects.bulk_create(
        Community(name=f"{prefix}{start + i:03d}社区", street=street, code=f"{street_code}{(start + i) % 1000:03d}",
                  households=(start + i) * 37 % 101, area_ha=Decimal((start + i) % 7)) for i in range(count))


def test_community_list_sorts_numbers_as_numbers_and_toggles_in_the_header(client_for):
    for households, name in ((9, "九户"), (100, "百户"), (10, "十户")):
        Community.objects.create(name=name, street=Region.objects.get(code=TASHAN), households=households)
    client = client_for("street_tashan")
    rows = page_rows(client.get("/communities/", {"sort": "households"}))
    assert [c.households for c in rows] == [9, 10, 100]
    response = client.get("/communities/", {"sort": "-households", "q": "户"})
    assert [c.households for c in page_rows(response)] == [100, 10, 9]
    header = next(h for h in response.context["listing"].headers if h["label"] == "户数")
    assert header["arrow"] == "▼" and "sort=households" in header["url"] and "q=" in header["url"]


def test_community_list_filters(client_for):
    communities(TASHAN, 3)
    communities(SIBLING, 2)
    Community.objects.create(name="书圣故里社区", code="330602001999", street=Region.objects.get(code=TASHAN))
    client = client_for("city_shaoxing")
    assert [c.name for c in page_rows(client.get("/communities/", {"q": "书圣"}))] == ["书圣故里社区"]
    assert [c.name for c in page_rows(client.get("/communities/", {"q": "330602001999"}))] == ["书圣故里社区"]
    assert {c.street.code for c in page_rows(client.get("/communities/", {"street": SIBLING}))} == {SIBLING}
    assert len(page_rows(client.get("/communities/", {"district": "330602"}))) == 6
    # a district outside the user's scope (嘉兴南湖) is not offered, and asked for by URL it is 404
    assert client.get("/communities/", {"district": "330402"}).status_code == 404


def test_community_exports_hold_exactly_the_filtered_rows_of_every_page(client_for):
    communities(TASHAN, 60, prefix="导出")
    communities(TASHAN, 5, prefix="其他")
    client = client_for("district_yuecheng")
    params = {"q": "导出", "sort": "-name"}
    first = page_rows(client.get("/communities/", params))
    second = page_rows(client.get("/communities/", {**params, "page": 2}))
    shown = [c.name for c in first + second]
    assert len(first) == 50 and len(shown) == 60
    xlsx = xlsx_table(client.get("/communities/export.xlsx", params))
    csv = csv_table(client.get("/communities/export.csv", params))
    assert column(xlsx, "社区") == column(csv, "社区") == shown
    assert xlsx[0] == csv[0] == ["社区", "代码", "街道", "区县", "户数", "人口", "面积（公顷）", "建成年代"]
    assert column(xlsx, "街道")[0] == "塔山街道" and column(csv, "户数")[0] == str(column(xlsx, "户数")[0])
    links = client.get("/communities/", params).context["listing"]
    assert "/communities/export.xlsx?" in links.xlsx_url and "q=%E5%AF%BC%E5%87%BA" in links.csv_url


def test_street_users_export_never_contains_another_streets_rows(client_for):
    own = {c.name for c in communities(TASHAN, 4, prefix="本街道")}
    communities(SIBLING, 4, prefix="隔壁")
    communities(JIANSHE, 4, prefix="嘉兴")
    client = client_for("street_tashan")
    for url in ("/communities/export.xlsx", "/communities/export.csv"):
        reader = xlsx_table if url.endswith("xlsx") else csv_table
        names = column(reader(client.get(url)), "社区")
        assert set(names) == own
    # filtering by the sibling street (outside the scope) is 404 on the page and its exports alike
    for url in ("/communities/", "/communities/export.csv", "/communities/export.xlsx"):
        assert client.get(url, {"street": SIBLING}).status_code == 404


def test_formula_like_text_is_exported_as_text(client_for):
    street = Region.objects.get(code=TASHAN)
    client = client_for("street_tashan")
    for name in ("=1+1", "+SUM(A1:A2)", "-2+3", "@cmd"):
        Community.objects.create(name=name, street=street)
        assert_exported_as_text(client, "/communities/export", "社区", name)


@pytest.mark.parametrize("url", ["/communities/", "/communities/export.xlsx", "/communities/export.csv"])
def test_community_list_and_exports_query_count_is_constant(client_for, url):
    communities(TASHAN, 3)
    assert_query_count_is_constant(client_for("city_shaoxing"), url, {"sort": "district"},
                                   lambda: communities(SIBLING, 17))


# ---------------------------------------------------------------- logs (administrators only)

LOG_URLS = ["/logs/operations/", "/logs/operations/export.xlsx", "/logs/operations/export.csv",
            "/logs/logins/", "/logs/logins/export.xlsx", "/logs/logins/export.csv"]


@pytest.mark.parametrize("role", ["street_tashan", "district_nanhu", "city_jiaxing", "finance_fuyang",
                                  "leader_jiaxing"])
def test_log_viewers_and_their_exports_are_for_administrators_only(client_for, role):
    client = client_for(role)
    for url in LOG_URLS:
        assert client.get(url).status_code == 404, (role, url)


def test_log_viewers_need_a_login(client, db):
    for url in LOG_URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def operations(users, count, start=dt.datetime(2026, 3, 1, 9, 0)):
    people = [users["street_tashan"], users["city_jiaxing"], None]
    rows = OperationLog.objects.bulk_create(
        OperationLog(user=people[i % 3], office_name=f"机构{i % 4}", method=("POST", "DELETE", "PUT")[i % 3],
                     path=f"/projects/{i}/act/", status_code=(200, 302, 403)[i % 3], ip=f"10.0.0.{i % 250 + 1}")
        for i in range(count))
    tz = timezone.get_current_timezone()
    for i, row in enumerate(rows):
        OperationLog.objects.filter(pk=row.pk).update(at=timezone.make_aware(start + dt.timedelta(hours=7 * i), tz))
    return rows


def test_operation_log_filters_by_user_action_result_and_date_range(client_for, users):
    operations(users, 30)
    client = client_for("admin")

    def shown(**params):
        return page_rows(client.get("/logs/operations/", params))

    assert {r.user_id for r in shown(user="street_tas")} == {users["street_tashan"].pk}
    assert {r.method for r in shown(method="DELETE")} == {"DELETE"}
    assert {r.status_code for r in shown(status="403")} == {403}
    assert [r.path for r in shown(path="/projects/7/")] == ["/projects/7/act/"]
    in_range = shown(start="2026-03-02", end="2026-03-03")
    days = {timezone.localtime(r.at).date() for r in in_range}
    assert days == {dt.date(2026, 3, 2), dt.date(2026, 3, 3)}
    assert len(in_range) == OperationLog.objects.filter(at__date__range=(dt.date(2026, 3, 2),
                                                                         dt.date(2026, 3, 3))).count()
    assert len(shown(start="不是日期", end="2026-13-45", method="GET", status="abc")) == 30  # ignored


def test_operation_log_exports_hold_exactly_the_filtered_rows(client_for, users):
    operations(users, 70)
    client = client_for("admin")
    params = {"method": "POST", "start": "2026-03-01", "end": "2026-03-20", "sort": "path"}
    expected = [r.path for r in page_rows(client.get("/logs/operations/", params))]
    assert 0 < len(expected) < OperationLog.objects.count()
    xlsx = xlsx_table(client.get("/logs/operations/export.xlsx", params))
    csv = csv_table(client.get("/logs/operations/export.csv", params))
    assert column(xlsx, "路径") == column(csv, "路径") == expected
    assert set(column(xlsx, "方法")) == {"POST"}
    first = OperationLog.objects.get(path=expected[0])
    assert column(xlsx, "时间")[0] == column(csv, "时间")[0] == f"{timezone.localtime(first.at):%Y-%m-%d %H:%M:%S}"


def test_log_export_is_capped_and_says_so(client_for, users, monkeypatch):
    operations(users, 8)
    monkeypatch.setattr(views, "OPERATIONS", dataclasses.replace(views.OPERATIONS, export_limit=5))
    client = client_for("admin")
    response = client.get("/logs/operations/export.xlsx")
    sheet = xlsx_sheet(response)
    note = [v for v in next(sheet.iter_rows(min_row=2, max_row=2, values_only=True)) if v]
    assert note and "共 8 条" in note[0] and "仅导出前 5 条" in note[0]
    assert len(xlsx_table(client.get("/logs/operations/export.xlsx"))[1]) == 5
    text = body(client.get("/logs/operations/export.csv")).decode("utf-8").strip().splitlines()
    assert len(text) == 1 + 5 + 1 and "仅导出前 5 条" in text[-1]


def test_login_log_sorts_filters_and_exports(client_for, users):
    tz = timezone.get_current_timezone()
    for i in range(40):
        event = LoginEvent.objects.create(username=("alice", "bob", "=cmd")[i % 3], ip=f"192.168.1.{i + 1}",
                                          event=("login", "failed", "logout")[i % 3])
        LoginEvent.objects.filter(pk=event.pk).update(
            at=timezone.make_aware(dt.datetime(2026, 4, 1, 8) + dt.timedelta(hours=5 * i), tz))
    client = client_for("admin")
    failed = page_rows(client.get("/logs/logins/", {"event": "failed", "user": "bob"}))
    assert failed and {(r.username, r.event) for r in failed} == {("bob", "failed")}
    dated = page_rows(client.get("/logs/logins/", {"start": "2026-04-02", "end": "2026-04-02"}))
    assert dated and {timezone.localtime(r.at).date() for r in dated} == {dt.date(2026, 4, 2)}
    assert [r.ip for r in page_rows(client.get("/logs/logins/", {"ip": "192.168.1.17"}))] == ["192.168.1.17"]
    params = {"user": "=cmd", "sort": "at"}
    shown = [r.pk for r in page_rows(client.get("/logs/logins/", params))]
    xlsx = xlsx_table(client.get("/logs/logins/export.xlsx", params))
    csv = csv_table(client.get("/logs/logins/export.csv", params))
    assert len(column(xlsx, "用户名")) == len(shown) == 13
    assert set(column(xlsx, "用户名")) == {"=cmd"} and set(column(csv, "用户名")) == {"'=cmd"}
    assert set(column(csv, "事件")) == {"退出"}


def login_events(count, event="login"):
    LoginEvent.objects.bulk_create(LoginEvent(username=f"{event}{i}", event=event) for i in range(count))


@pytest.mark.parametrize("url", LOG_URLS)
def test_log_viewers_and_exports_query_count_is_constant(client_for, users, url):
    def rows(count):
        return login_events(count) if "logins" in url else operations(users, count)

    rows(3)
    assert_query_count_is_constant(client_for("admin"), url, {"sort": "user"}, lambda: rows(17))
