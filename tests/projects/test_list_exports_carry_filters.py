"""The list pages' export buttons carry the list's filters (issue #20 item 15:
`/projects/?status=draft` exported all 41 projects): the project list's 导出台账 / 导出逾期预警清单
(the ledger and overdue reports) and every registered list kind, directly and as a
background job."""

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from portal import exports, listing
from portal.models import ExportJob
from projects.models import Status
from tests.lists import body, csv_table

pytestmark = pytest.mark.django_db


def export_links(page) -> list[str]:
    html = page.content.decode()
    return [unescape(href) for href in re.findall(r'href="(/exports/(?:ledger|overdue)/[^"]*)"', html)]


def report_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    text = body(response).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[1:]


def job_rows(job_id) -> list[list[str]]:
    job = ExportJob.objects.get(pk=job_id)
    assert job.state == ExportJob.State.DONE, (job.state, job.error)
    text = job.file.open("rb").read().decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))[1:]


def test_the_project_lists_ledger_button_exports_only_what_the_list_shows(world, client_for):
    client = client_for("district_yuecheng")
    page = client.get("/projects/", {"status": "draft"})
    assert [p.status for p in page.context["page"]] == [Status.DRAFT]  # the world's one draft in 越城区
    ledger, _ = export_links(page)
    assert parse_qs(urlsplit(ledger).query)["status"] == ["draft"]

    rows = report_rows(client.get(ledger + "&format=csv"))

    assert [(row[4], row[8]) for row in rows] == [("草稿项目", "草稿")]  # 项目名称, 状态, written by hand
    everything = report_rows(client.get("/exports/ledger/", {"format": "csv"}))
    assert len(everything) == len(Status.choices)  # the world: one project per status in 塔山街道


def test_the_ledger_filters_reach_a_background_job(world, client_for, monkeypatch, eager_celery,
                                                   django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 0)
    client = client_for("district_yuecheng")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get("/exports/ledger/", {"status": "listed", "q": "列入", "format": "csv"})
    assert started.status_code == 302
    job = ExportJob.objects.get()
    assert job.params["status"] == "listed" and job.params["q"] == "列入"
    assert [(row[4], row[8]) for row in job_rows(job.pk)] == [
        ("已列入创建名单（创建中）项目", "已列入创建名单（创建中）")]


def test_the_overdue_button_keeps_the_street_filter(world, client_for):
    client = client_for("city_shaoxing")
    everything = report_rows(client.get("/exports/overdue/", {"format": "csv"}))
    elsewhere = report_rows(client.get("/exports/overdue/", {"format": "csv", "street": "330602002"}))
    assert elsewhere == [] and everything == report_rows(
        client.get("/exports/overdue/", {"format": "csv", "street": "330602001"}))


def test_a_bad_filter_of_the_ledger_is_refused_with_a_message_naming_it(world, client_for):
    response = client_for("district_yuecheng").get("/exports/ledger/", {"district": "越城"}, follow=True)
    assert "区县代码应为6位数字" in response.content.decode()


# Every registered list kind: (user, page, listing context name, filters that narrow it)
LIST_KINDS = {
    "inbox": ("street_tashan", "/inbox/", "listing", {"q": "无此通知", "unread": "1"}),
    "review_queue": ("district_yuecheng", "/projects/review/", "listing", {"q": "已提交", "status": "submitted"}),
    "acceptance_batches": ("city_shaoxing", "/acceptance/batches/", "acceptance", {"q": "无此批次", "year": "2026"}),
    "naming_batches": ("city_shaoxing", "/acceptance/batches/", "naming", {"q": "无此批次", "year": "2026"}),
    "community_list": ("street_tashan", "/communities/", "listing", {"q": "世界", "street": "330602001"}),
    "operation_log": ("admin", "/logs/operations/", "listing", {"method": "POST", "path": "/projects/"}),
    "login_log": ("admin", "/logs/logins/", "listing", {"user": "street", "event": "failure"}),
    # the supervision page shows three lists that share its filters, each with its own page parameter
    "inspection_orders": ("city_shaoxing", "/supervision/", "orders", {"q": "列入", "state": "open", "late": "1"}),
    "supervision_orders": ("city_shaoxing", "/supervision/", "supervision", {"q": "无此督办", "state": "issued"}),
    "overdue_items": ("city_shaoxing", "/supervision/", "overdue", {"q": "列入", "kind": "monthly_report"}),
    "operations_list": ("city_shaoxing", "/supervision/operations/", "listing", {"q": "命名"}),
    "approval_ledger": ("city_shaoxing", "/supervision/approvals/", "listing", {"q": "列入", "category": "renovation"}),
    "meetings": ("city_jiaxing", "/supervision/meetings/", "listing", {"year": "2026"}),
    "summaries": ("district_fuyang", "/supervision/summaries/", "listing",
                  {"kind": "weekly", "start": "2026-01-01", "end": "2026-12-31", "q": "无此清单"}),
    "payments": ("finance_jiaxing", "/subsidies/", "listing", {"state": "planned", "kind": "advance", "year": "2026"}),
}


def test_the_table_names_every_registered_list_kind():
    exports._load_all()
    assert set(LIST_KINDS) == {key for key, kind in exports._KINDS.items() if isinstance(kind, listing.ListJob)}


@pytest.mark.parametrize("kind", sorted(LIST_KINDS))
def test_every_list_kinds_export_links_and_jobs_carry_the_filters(kind, world, client_for, monkeypatch,
                                                                  eager_celery, django_capture_on_commit_callbacks):
    username, url, name, filters = LIST_KINDS[kind]
    client = client_for(username)
    spec = exports.get_kind(kind).spec
    page = client.get(url, {**filters, spec.page_param: "1"})
    shown = page.context[name]
    for link in (shown.xlsx_url, shown.csv_url):
        query = parse_qs(urlsplit(link).query)
        assert {key: query.get(key) for key in filters} == {key: [value] for key, value in filters.items()}, link
        assert spec.page_param not in query

    direct = csv_table(client.get(shown.csv_url))
    assert len(direct[1]) == shown.page.paginator.count

    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", -1)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(shown.csv_url)
    assert started.status_code == 302
    job = ExportJob.objects.get(kind=kind)
    assert {key: job.params.get(key) for key in filters} == {key: [value] for key, value in filters.items()}
    assert len(job_rows(job.pk)) == shown.page.paginator.count
