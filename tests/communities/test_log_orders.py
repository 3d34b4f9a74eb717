"""The operation and login logs sorted by every key, both ways: the expected orders written out."""

import datetime as dt

import pytest
from django.utils import timezone

from communities import views
from communities.models import LoginEvent, OperationLog
from tests.lists import assert_sorted_as_written

pytestmark = pytest.mark.django_db


def at(month, day):
    return timezone.make_aware(dt.datetime(2026, month, day, 9), timezone.get_current_timezone())


def test_operation_log_orders(client_for, users):
    # each row is named by its user_agent (not a sort key); created R1, R2, R3, R4
    # the words (action, target, result) start with a Latin letter so that every collation agrees
    for name, day, username, office, method, path, status, ip, action, target, result in (
            ("R1", 2, "street_tashan", "B机构", "POST", "/a/", 200, "10.0.0.2", "B退回", "D项目", "A成功"),
            ("R2", 4, "city_jiaxing", "D机构", "DELETE", "/c/", 403, "10.0.0.4", "D导出", "B项目", "C失败"),
            ("R3", 1, "admin", "A机构", "PUT", "/b/", 302, "10.0.0.1", "A提交", "C项目", "D失败"),
            ("R4", 3, "district_yuecheng", "C机构", "PATCH", "/d/", 201, "10.0.0.3", "C审核", "A项目", "B成功")):
        row = OperationLog.objects.create(user=users[username], office_name=office, method=method, path=path,
                                          status_code=status, ip=ip, user_agent=name, action=action,
                                          target=target, result=result)
        OperationLog.objects.filter(pk=row.pk).update(at=at(3, day))
    assert_sorted_as_written(client_for("admin"), "/logs/operations/", views.OPERATIONS, {
        "": ["R2", "R4", "R1", "R3"],  # newest first
        "at": ["R3", "R1", "R4", "R2"], "-at": ["R2", "R4", "R1", "R3"],
        "user": ["R3", "R2", "R4", "R1"], "-user": ["R1", "R4", "R2", "R3"],
        "office": ["R3", "R1", "R4", "R2"], "-office": ["R2", "R4", "R1", "R3"],
        "action": ["R3", "R1", "R4", "R2"], "-action": ["R2", "R4", "R1", "R3"],
        "target": ["R4", "R2", "R3", "R1"], "-target": ["R1", "R3", "R2", "R4"],
        "result": ["R1", "R4", "R2", "R3"], "-result": ["R3", "R2", "R4", "R1"],
        "method": ["R2", "R4", "R1", "R3"], "-method": ["R3", "R1", "R4", "R2"],
        "path": ["R1", "R3", "R2", "R4"], "-path": ["R4", "R2", "R3", "R1"],
        "status": ["R1", "R4", "R3", "R2"], "-status": ["R2", "R3", "R4", "R1"],
        "ip": ["R3", "R1", "R4", "R2"], "-ip": ["R2", "R4", "R1", "R3"],
    }, label=lambda r: r.user_agent)


def test_login_log_orders(client_for):
    client = client_for("admin")
    LoginEvent.objects.all().delete()  # the test client's own login
    for name, day, username, event, ip in (
            ("L1", 2, "bob", "failed", "192.168.1.3"), ("L2", 4, "alice", "login", "192.168.1.1"),
            ("L3", 1, "carol", "logout", "192.168.1.4"), ("L4", 3, "dave", "login", "192.168.1.2")):
        row = LoginEvent.objects.create(username=username, event=event, ip=ip, user_agent=name)
        LoginEvent.objects.filter(pk=row.pk).update(at=at(4, day))
    assert_sorted_as_written(client, "/logs/logins/", views.LOGINS, {
        "": ["L2", "L4", "L1", "L3"],  # newest first
        "at": ["L3", "L1", "L4", "L2"], "-at": ["L2", "L4", "L1", "L3"],
        "user": ["L2", "L1", "L3", "L4"], "-user": ["L4", "L3", "L1", "L2"],
        "event": ["L1", "L4", "L2", "L3"], "-event": ["L3", "L4", "L2", "L1"],  # ties: newest id first
        "ip": ["L2", "L4", "L1", "L3"], "-ip": ["L3", "L1", "L4", "L2"],
    }, label=lambda r: r.user_agent)
