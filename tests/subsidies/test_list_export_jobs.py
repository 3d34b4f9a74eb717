"""Large list exports (portal.listing) run as background ExportJobs like the subsidy
reports (issue #7: "long exports show a progress bar"): above SYNC_MAX_ROWS the export
starts a job and sends the user to its progress page; the worker calls the list's own rows
function for the requester at run time, so the file holds the page's scoped, filtered, sorted rows."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from communities import views as community_views
from communities.models import Community, LoginEvent, Office, OperationLog, Region
from portal import exports, listfiles, listing
from portal.models import ExportJob
from tests.lists import body, column, csv_table, page_rows, xlsx_sheet, xlsx_table
from tests.projects.factories import bulk_projects

pytestmark = pytest.mark.django_db
TASHAN, SIBLING, JIANSHE = "330602001", "330602002", "330402007"


@pytest.fixture
def small_threshold(monkeypatch):
    """SYNC_MAX_ROWS = 3; enqueued job ids recorded instead of sent (the tests run them)."""
    sent = []
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 3)
    monkeypatch.setattr(exports, "enqueue", lambda job_id: sent.append(job_id) or True)
    return sent


def communities(street_code, count, prefix="导出"):
    street = Region.objects.get(code=street_code)
    start = Community.objects.count()
    return Community.objects.bulk_create(
        Community(name=f"{prefix}{start + i:03d}社区", street=street, code=f"{street_code}{(start + i) % 1000:03d}",
                  households=(start + i) * 37 % 101, area_ha=Decimal((start + i) % 7)) for i in range(count))


def start(client, url, params=None) -> ExportJob:
    """GET an export above the threshold: a redirect to the new job's progress page."""
    before = set(ExportJob.objects.values_list("pk", flat=True))
    response = client.get(url, params or {})
    job = ExportJob.objects.exclude(pk__in=before).get()
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/", \
        (response.status_code, response.get("Location"))
    assert job.state == "queued"
    return job


def run(client, job) -> object:
    """Run the job as the worker does and download its file as the requester."""
    assert exports.run_job(job.pk) == "done"
    job.refresh_from_db()
    assert job.state == "done" and job.file and job.expires_at
    progress = client.get(f"/exports/jobs/{job.pk}/progress/").json()
    assert (progress["state"], progress["progress"]) == ("done", 100)
    download = client.get(progress["download_url"])
    assert download.status_code == 200
    return download


# ---------------------------------------------------------------- threshold, order, scope


def test_small_export_is_still_the_file_itself(client_for, small_threshold):
    communities(TASHAN, 3)
    response = client_for("street_tashan").get("/communities/export.xlsx")
    assert len(xlsx_table(response)[1]) == 3
    assert not ExportJob.objects.exists() and small_threshold == []


def test_large_community_export_is_a_job_with_the_pages_rows_in_the_pages_order(client_for, small_threshold):
    communities(TASHAN, 8)
    communities(TASHAN, 2, prefix="其他")
    communities(SIBLING, 4)
    client = client_for("district_yuecheng")
    params = {"q": "导出", "sort": "-households"}
    shown = [c.name for c in page_rows(client.get("/communities/", params))]
    assert len(shown) == 12

    job = start(client, "/communities/export.xlsx", {**params, "page": "2"})
    assert (job.kind, job.file_format, job.total_rows) == ("community_list", "xlsx", 12)
    assert job.params == {"q": ["导出"], "sort": ["-households"]}  # the page number is not a filter
    assert job.scope_path == Region.objects.get(code="330602").path
    page = client.get(f"/exports/jobs/{job.pk}/")
    html = page.content.decode()
    assert 'data-export-progress="/exports/jobs/' in html and "<progress" in html
    assert "超过 3 行" in html and "社区档案" in html
    assert page.context["back_url"] == "/communities/?q=%E5%AF%BC%E5%87%BA&sort=-households"
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 409

    xlsx = xlsx_table(run(client, job))
    assert column(xlsx, "社区") == shown
    assert xlsx[0] == ["社区", "代码", "街道", "区县", "户数", "人口", "面积（公顷）", "建成年代"]
    job.refresh_from_db()
    assert job.done_rows == job.total_rows == 12 and job.filename.startswith("社区档案_越城区_")

    csv_job = start(client, "/communities/export.csv", params)
    assert column(csv_table(run(client, csv_job)), "社区") == shown


def test_a_street_users_job_never_holds_another_streets_rows_even_added_later(client_for, small_threshold):
    communities(TASHAN, 5)
    communities(SIBLING, 5)
    communities(JIANSHE, 5)
    client = client_for("street_tashan")
    job = start(client, "/communities/export.csv", {"sort": "name"})
    communities(TASHAN, 2, prefix="后加")  # rows are read when the job runs, within the scope
    communities(SIBLING, 2, prefix="后加")
    table = csv_table(run(client, job))
    assert set(column(table, "街道")) == {"塔山街道"}
    assert column(table, "社区") == [c.name for c in page_rows(client.get("/communities/", {"sort": "name"}))]
    assert len(column(table, "社区")) == 7


def test_bogus_parameters_are_ignored_in_the_job_as_on_the_page(client_for, small_threshold):
    communities(TASHAN, 6)
    client = client_for("street_tashan")
    params = {"sort": "user__password", "a_sort": "-x", "district": "", "nonsense": ["1", "2"],
              "start": "2026-13-45", "page": "999"}
    shown = [c.name for c in page_rows(client.get("/communities/", params))]
    job = start(client, "/communities/export.xlsx", params)
    assert column(xlsx_table(run(client, job)), "社区") == shown


def test_the_job_is_computed_within_the_requesters_scope_at_run_time(client_for, small_threshold, users):
    communities(TASHAN, 4)
    communities(SIBLING, 4)
    client = client_for("district_yuecheng")
    job = start(client, "/communities/export.csv")
    user = users["district_yuecheng"]
    user.office = Office.objects.get(kind="street", region__code=TASHAN)  # narrowed before the worker ran
    user.save()
    assert exports.run_job(job.pk) == "done"
    job.refresh_from_db()
    content = job.file.read().decode("utf-8")
    assert content.count("塔山街道") == 4 and Region.objects.get(code=SIBLING).name not in content
    # and the file of the former scope is no longer downloadable
    assert client_for("district_yuecheng").get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_another_user_can_neither_follow_nor_download_the_job(client_for, small_threshold):
    communities(TASHAN, 5)
    job = start(client_for("city_shaoxing"), "/communities/export.xlsx")
    run(client_for("city_shaoxing"), job)
    for other in ("street_tashan", "district_yuecheng", "city_jiaxing", "admin"):
        client = client_for(other)
        for suffix in ("", "progress/", "download/"):
            assert client.get(f"/exports/jobs/{job.pk}/{suffix}").status_code == 404, (other, suffix)


def test_the_job_appears_in_my_exports_with_the_lists_title(client_for, small_threshold):
    communities(TASHAN, 5)
    client = client_for("street_tashan")
    job = start(client, "/communities/export.xlsx")
    run(client, job)
    html = client.get("/exports/").content.decode()
    assert "社区档案" in html and f"/exports/jobs/{job.pk}/download/" in html


def test_eager_celery_runs_the_job_on_commit(client_for, monkeypatch, django_capture_on_commit_callbacks,
                                             eager_celery):
    """Without the enqueue stub: the task runs once the request commits (eagerly here, also
    when CI points the broker at Redis)."""
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 3)
    communities(TASHAN, 5)
    client = client_for("street_tashan")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/communities/export.xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.state == "done"
    assert len(xlsx_table(client.get(f"/exports/jobs/{job.pk}/download/"))[1]) == 5


# ---------------------------------------------------------------- the other lists


def test_review_queue_job_holds_the_filtered_queue_in_page_order(client_for, small_threshold):
    bulk_projects(TASHAN, 6, status="submitted", review_step=0)
    bulk_projects(SIBLING, 3, status="submitted", review_step=0)
    bulk_projects(JIANSHE, 3, status="submitted", review_step=0)
    client = client_for("district_yuecheng")
    params = {"street": TASHAN, "sort": "-community"}
    shown = [p.display_name for p in page_rows(client.get("/projects/review/", params))]
    assert len(shown) == 6
    job = start(client, "/projects/review/export.csv", params)
    assert job.kind == "review_queue"
    assert column(csv_table(run(client, job)), "项目") == shown
    everything = start(client, "/projects/review/export.xlsx")
    assert set(column(xlsx_table(run(client, everything)), "街道")) == {
        "塔山街道", Region.objects.get(code=SIBLING).name}  # never 嘉兴


def test_batch_jobs_write_the_right_list_with_its_prefixed_sort(client_for, small_threshold):
    from tests.projects.test_lists import batches

    batches(TASHAN, 5, title="绍兴", projects=1)
    batches(JIANSHE, 4, title="嘉兴", projects=1)
    client = client_for("city_shaoxing")
    params = {"q": "绍兴", "a_sort": "-date", "n_sort": "title"}
    page = client.get("/acceptance/batches/", params)
    for name, listing_name in (("acceptance", "acceptance"), ("naming", "naming")):
        shown = [b.title for b in page_rows(page, listing_name)]
        job = start(client, f"/acceptance/batches/{name}.xlsx", params)
        assert job.kind == f"{name}_batches"
        assert column(xlsx_table(run(client, job)), "批次") == shown
        back = client.get(f"/exports/jobs/{job.pk}/").context["back_url"]
        assert back.startswith("/acceptance/batches/?")


def test_inbox_job_holds_only_the_users_own_messages(client_for, small_threshold, users):
    from tests.acceptance.test_inbox_list import notes

    notes(users["street_tashan"], 7)
    notes(users["district_yuecheng"], 5, prefix="别人的")
    client = client_for("street_tashan")
    params = {"unread": "1", "sort": "title"}
    shown = [n.title for n in page_rows(client.get("/inbox/", params))]
    assert len(shown) == 4
    job = start(client, "/inbox/export.csv", params)
    assert job.kind == "inbox"
    assert column(csv_table(run(client, job)), "标题") == shown
    job.refresh_from_db()
    assert job.filename.startswith("street_tashan的站内消息_塔山街道_")


# ---------------------------------------------------------------- logs: administrators only


def operations(count, start_at=dt.datetime(2026, 3, 1, 9, 0)):
    rows = OperationLog.objects.bulk_create(
        OperationLog(office_name=f"机构{i % 4}", method=("POST", "DELETE")[i % 2], path=f"/projects/{i}/act/",
                     status_code=200, ip="10.0.0.1") for i in range(count))
    tz = timezone.get_current_timezone()
    for i, row in enumerate(rows):
        OperationLog.objects.filter(pk=row.pk).update(at=timezone.make_aware(start_at + dt.timedelta(hours=i), tz))
    return rows


def test_log_export_jobs_are_for_administrators_only(client_for, small_threshold):
    operations(10)
    for role in ("street_tashan", "city_jiaxing", "finance_fuyang"):
        client = client_for(role)
        for url in ("/logs/operations/export.xlsx", "/logs/logins/export.csv"):
            assert client.get(url).status_code == 404, (role, url)
    assert not ExportJob.objects.exists() and small_threshold == []

    client = client_for("admin")
    params = {"method": "POST", "sort": "path"}
    shown = [r.path for r in page_rows(client.get("/logs/operations/", params))]
    job = start(client, "/logs/operations/export.xlsx", params)
    assert job.kind == "operation_log"
    assert column(xlsx_table(run(client, job)), "路径") == shown


def test_a_requester_demoted_before_the_run_gets_a_failed_job_and_no_file(client_for, small_threshold, users):
    operations(6)
    LoginEvent.objects.bulk_create(LoginEvent(username=f"user{i}", event="login", ip="10.0.0.2") for i in range(6))
    admin = users["admin"]
    client = client_for("admin")
    jobs = [start(client, "/logs/operations/export.xlsx"), start(client, "/logs/logins/export.csv")]
    admin.is_superuser = False
    admin.office = Office.objects.create(name="原管理员所在单位", kind=Office.Kind.LEADING_GROUP,
                                         region=admin.office.region)  # same scope, no longer administrator
    admin.save()
    for job in jobs:
        assert exports.run_job(job.pk) == "failed"
        job.refresh_from_db()
        assert job.state == "failed" and not job.file and "权限" in job.error
        assert client_for("admin").get(f"/exports/jobs/{job.pk}/download/").status_code == 409


def test_a_deactivated_requester_gets_a_failed_job(client_for, small_threshold, users):
    communities(TASHAN, 5)
    job = start(client_for("street_tashan"), "/communities/export.csv")
    users["street_tashan"].is_active = False
    users["street_tashan"].save()
    assert exports.run_job(job.pk) == "failed"
    job.refresh_from_db()
    assert not job.file and "停用" in job.error


def test_the_export_limit_and_its_note_hold_in_a_job(client_for, small_threshold, monkeypatch):
    operations(8)
    monkeypatch.setattr(community_views, "OPERATIONS",
                        dataclasses.replace(community_views.OPERATIONS, export_limit=5))
    client = client_for("admin")
    job = start(client, "/logs/operations/export.xlsx")
    assert job.total_rows == 5
    sheet = xlsx_sheet(run(client, job))
    note = [v for v in next(sheet.iter_rows(min_row=2, max_row=2, values_only=True)) if v]
    # 8 rows, and a 9th: the operation log records the export request itself (#15 item 10)
    assert note and "共 9 条" in note[0] and "仅导出前 5 条" in note[0]
    assert len(xlsx_table(client.get(f"/exports/jobs/{job.pk}/download/"))[1]) == 5
    job.refresh_from_db()
    assert job.done_rows == job.total_rows == 5

    csv_job = start(client, "/logs/operations/export.csv")
    text = body(run(client, csv_job)).decode("utf-8").strip().splitlines()
    assert len(text) == 1 + 5 + 1 and "仅导出前 5 条" in text[-1]
    csv_job.refresh_from_db()
    assert csv_job.done_rows == 5


# ---------------------------------------------------------------- the registry


def test_every_list_is_a_job_kind_and_the_reports_are_the_startable_ones():
    exports.reports()  # loads every view module, so every list has registered
    lists = {key for key, kind in exports._KINDS.items() if isinstance(kind, listing.ListJob)}
    assert lists == {"community_list", "operation_log", "login_log", "review_queue", "acceptance_batches", "payments",
                     "naming_batches", "inbox", "inspection_orders", "supervision_orders", "overdue_items",
                     "approval_ledger", "operations_list", "summaries", "meetings"}
    assert [kind.key for kind in exports.reports()] == ["disbursements", "ledger", "overdue", "plan", "assessment"]
    assert exports.get_kind("inbox").title == "站内消息"
    assert not isinstance(exports.get_kind("ledger"), listing.ListJob)


def test_lists_cannot_be_started_through_the_report_pages_or_the_api(client_for, api_for):
    response = client_for("admin").get("/exports/operation_log/", follow=True)
    assert "未知报表" in response.content.decode() and not ExportJob.objects.exists()
    api = api_for("street_tashan")
    assert api.post("/api/export-jobs/", {"kind": "community_list"}, format="json").status_code == 400


def test_the_worker_reports_progress_as_it_writes(users, monkeypatch):
    communities(TASHAN, 7)
    monkeypatch.setattr(listfiles, "PROGRESS_EVERY", 2)
    seen = []
    import io

    for fmt in ("csv", "xlsx"):
        name, rows = exports.get_kind("community_list").write(users["street_tashan"], {"sort": ["name"]}, fmt,
                                                              io.BytesIO(), progress=seen.append)
        assert rows == 7 and name.endswith(f".{fmt}")
    assert seen == [2, 4, 6, 2, 4, 6]


def test_admin_lists_jobs_by_their_titles(client_for, users):
    from communities.models import User

    requester = User.objects.get(username="street_tashan")
    for kind in ("community_list", "ledger"):
        ExportJob.objects.create(requester=requester, scope_path="x", kind=kind, file_format="csv", params={})
    assert User.objects.get(username="admin").is_staff  # the demo administrator reaches the admin site
    page = client_for("admin").get("/admin/portal/exportjob/").content.decode()
    assert "社区档案" in page and "创建项目台账" in page and ">community_list<" not in page
