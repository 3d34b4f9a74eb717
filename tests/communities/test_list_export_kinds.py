"""A list's export kind works without any request: `exports.get_kind(<list>).write(...)`, the
call the background worker makes, holds the rows the page shows for the same parameters
(a job's dict of lists), and refuses a user the list is not for."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from communities.models import Community, OperationLog, Region
from portal import exports
from tests.lists import page_rows

pytestmark = pytest.mark.django_db
TASHAN, SIBLING = "330602001", "330602002"


def written(kind, user, params) -> tuple[str, int, list[list[str]]]:
    """(file name, rows reported, data rows without 序号) of a CSV written by the kind itself."""
    target = io.BytesIO()
    name, count = exports.get_kind(kind).write(user, params, "csv", target)
    text = target.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return name, count, [row[1:] for row in rows[1:]]


def test_community_kind_writes_the_pages_rows_for_the_same_parameters(client_for, users):
    tashan, sibling = Region.objects.get(code=TASHAN), Region.objects.get(code=SIBLING)
    for name, street, households in (("东湖社区", tashan, 120), ("西湖社区", tashan, 80), ("镜湖社区", tashan, 200),
                                     ("北山社区", tashan, 500), ("南湖社区", sibling, 300)):
        Community.objects.create(name=name, street=street, households=households)
    job_params = {"q": ["湖"], "sort": ["-households"], "nonsense": ["1"]}

    name, count, rows = written("community_list", users["street_tashan"], job_params)

    expected = [["镜湖社区", "塔山街道", "200"], ["东湖社区", "塔山街道", "120"], ["西湖社区", "塔山街道", "80"]]
    assert [[row[0], row[2], row[4]] for row in rows] == expected  # 社区, 街道, 户数
    assert count == 3 and name.startswith("社区档案_塔山街道_") and name.endswith(".csv")
    page = client_for("street_tashan").get("/communities/", {"q": "湖", "sort": "-households", "nonsense": "1"})
    assert [c.name for c in page_rows(page)] == ["镜湖社区", "东湖社区", "西湖社区"]


def test_operation_log_kind_is_for_administrators_only(client_for, users):
    tz = timezone.get_current_timezone()
    for hour, method, path in ((9, "DELETE", "/b/"), (10, "POST", "/a/"), (11, "DELETE", "/a/"), (12, "DELETE", "/c/")):
        row = OperationLog.objects.create(office_name="市领导小组办公室", method=method, path=path, status_code=200)
        OperationLog.objects.filter(pk=row.pk).update(at=timezone.make_aware(dt.datetime(2026, 3, 1, hour), tz))
    job_params = {"method": ["DELETE"], "sort": ["path"]}

    _, count, rows = written("operation_log", users["admin"], job_params)

    assert [[row[0], row[8], row[9]] for row in rows] == [  # 时间, 方法, 路径
        ["2026-03-01 11:00:00", "DELETE", "/a/"], ["2026-03-01 09:00:00", "DELETE", "/b/"],
        ["2026-03-01 12:00:00", "DELETE", "/c/"]]
    assert count == 3
    page = client_for("admin").get("/logs/operations/", {"method": "DELETE", "sort": "path"})
    assert [r.path for r in page_rows(page)] == ["/a/", "/b/", "/c/"]

    for role in ("street_tashan", "city_shaoxing"):
        target = io.BytesIO()
        with pytest.raises(PermissionDenied, match="仅系统管理员可以查看"):
            exports.get_kind("operation_log").write(users[role], job_params, "csv", target)
        assert target.getvalue() == b""  # nothing written
