"""DOMAIN §8 reports: title, unit, frozen header with auto-filter, 序号, #,##0.00, 合计 equal
to the database sum, a sheet per district plus a summary, footer; within the user's scope;
formula-like text written as text; CSV with BOM; large exports as background jobs."""

import datetime as dt
import io

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Community, Office, Region
from dashboards.models import AnnualPlan
from portal import exports
from portal.models import ExportJob
from projects.models import CreationProject, PolicyVersion, Status
from subsidies import services
from subsidies.models import Payment
from tests.world import fuyang_projects, money

pytestmark = pytest.mark.django_db
D = dt.date


def jiaxing_named(street_code, tier, count=1, name=""):
    """Named Jiaxing projects (bulk, no workflow) in a street of 南湖区 or 嘉善县."""
    street = Region.objects.get(code=street_code)
    version = PolicyVersion.objects.filter(policy_code="jiaxing-2023").first()
    start = Community.objects.count()
    communities = Community.objects.bulk_create(Community(name=f"嘉测{start + i}社区", street=street)
                                                for i in range(count))
    return CreationProject.objects.bulk_create(
        CreationProject(community=c, street=street, tier=tier, category="renovation", batch_year=2023,
                        status=Status.NAMED, policy_code="jiaxing-2023", policy_version=version, name=name,
                        listed_on=D(2023, 3, 1), accepted_on=D(2023, 9, 1), named_on=D(2023, 10, 8))
        for c in communities)


@pytest.fixture
def jiaxing_ledger(users):
    jiaxing_named("330402007", "provincial", 2)  # 建设街道, 南湖区: city + district halves
    jiaxing_named("330402008", "municipal", 1)  # 解放街道
    jiaxing_named("330421001", "municipal", 3)  # 魏塘街道, 嘉善县: county
    services.compute_subsidies(D(2023, 12, 1))
    city_share = Payment.objects.filter(payer="city").first()
    services.approve_payments(users["finance_jiaxing"], [city_share.pk])
    services.mark_paid(users["finance_jiaxing"], [city_share.pk], "嘉财拨〔2023〕8号")


def workbook_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def data_rows(ws):
    """(rows between the header and 合计, the 合计 row)."""
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    end = next(i for i, row in enumerate(rows) if row[0] == "合计")
    return rows[:end], rows[end]


def amount_column(ws, header):
    headers = [c.value for c in ws[3]]
    return headers.index(header)


def as_money(value):
    return money(repr(value)) if value is not None else money("0")


def test_disbursement_workbook_follows_finance_report_conventions(client_for, jiaxing_ledger):
    response = client_for("finance_jiaxing").get("/exports/disbursements/?year=2023")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = workbook_of(response)
    assert book.sheetnames[0] == "汇总"
    assert set(book.sheetnames[1:]) == {"南湖区", "嘉善县"}
    summary = book["汇总"]
    assert summary["A1"].value == "嘉兴市未来社区奖补资金拨付明细表（2023年度）（汇总）"
    for name in ("南湖区", "嘉善县"):
        ws = book[name]
        assert ws["A1"].value == f"{name}未来社区奖补资金拨付明细表（2023年度）"
        assert ws["A1"].alignment.horizontal == "center"
        assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{ws.cell(3, ws.max_column).column_letter}1"]
        assert "单位：元" in [c.value for c in ws[2]]
        assert ws.freeze_panes == "A4"
        assert ws["A3"].value == "序号"
        rows, total = data_rows(ws)
        assert ws.auto_filter.ref == f"A3:{ws.cell(3, ws.max_column).column_letter}{3 + len(rows)}"
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        col = amount_column(ws, "金额（元）")
        assert ws.cell(4, col + 1).number_format == "#,##0.00"
        db_sum = Payment.objects.filter(project__street__parent__name=name, fiscal_year=2023).aggregate(
            s=Sum("amount"))["s"]
        assert sum(as_money(r[col]) for r in rows) == db_sum
        assert as_money(total[col]) == db_sum
        footer = [c.value for c in next(iter(ws.iter_rows(min_row=ws.max_row, values_only=False))) if c.value]
        assert footer[0] == "制表单位：嘉兴市财政局" and footer[-1].startswith("制表时间：")
    summary_rows, summary_total = data_rows(summary)
    assert {r[1] for r in summary_rows} == {"南湖区", "嘉善县"}
    assert as_money(summary_total[3]) == Payment.objects.aggregate(s=Sum("amount"))["s"]
    # 南湖: 2 × (3,000,000 + 3,000,000) + 500,000 + 500,000; 嘉善: 3 × 1,000,000 (county)
    assert as_money(summary_total[3]) == money("16000000")
    paid_row = next(r for r in data_rows(book["南湖区"])[0] if r[10] == "嘉财拨〔2023〕8号")
    assert paid_row[9] == "已拨付" and paid_row[11].date() == timezone.localdate()


def test_street_user_export_contains_only_their_rows(client_for, jiaxing_ledger):
    book = workbook_of(client_for("street_jianshe").get("/exports/disbursements/"))
    assert book.sheetnames == ["汇总", "南湖区"]
    rows, total = data_rows(book["南湖区"])
    assert {r[2] for r in rows} == {"建设街道"}
    assert len(rows) == 4
    assert as_money(total[amount_column(book["南湖区"], "金额（元）")]) == money("12000000")


def test_formula_like_text_is_written_as_text_in_xlsx_and_csv(client_for, db):
    fuyang_projects(1, accepted_on=D(2022, 6, 20), spent="8000000", name='=HYPERLINK("http://evil","点我")')
    fuyang_projects(1, accepted_on=D(2022, 6, 20), spent="8000000", name="+1-2@x")
    services.compute_subsidies(D(2023, 1, 15))
    client = client_for("finance_fuyang")
    book = workbook_of(client.get("/exports/disbursements/"))
    ws = book["富阳区"]
    col = [c.value for c in ws[3]].index("项目名称") + 1
    cells = [ws.cell(row, col) for row in (4, 5)]
    assert {c.value for c in cells} == {'=HYPERLINK("http://evil","点我")', "+1-2@x"}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    csv_text = b"".join(client.get("/exports/disbursements/?format=csv").streaming_content)
    assert csv_text.startswith(b"\xef\xbb\xbf")
    text = csv_text.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1-2@x" in text
    assert text.splitlines()[0].startswith("序号,区县,街道")


def test_project_ledger_report_totals_match_the_database(client_for, jiaxing_ledger):
    book = workbook_of(client_for("city_jiaxing").get("/exports/ledger/"))
    ws = book["南湖区"]
    rows, total = data_rows(ws)
    assert len(rows) == 3
    col = amount_column(ws, "核定补助（元）")
    assert as_money(total[col]) == money("13000000")
    assert ws.cell(4, col + 1).number_format == "#,##0.00"


def test_plan_report_compares_plan_and_projects_listed(client_for, db):
    street = Region.objects.get(code="330602001")
    version = PolicyVersion.objects.filter(policy_code="shaoxing-2023").first()
    community = Community.objects.create(name="计划测试社区", street=street)
    CreationProject.objects.create(community=community, street=street, tier="provincial", category="renovation",
                                   batch_year=2023, status=Status.LISTED, policy_code="shaoxing-2023",
                                   policy_version=version, listed_on=D(2023, 9, 1))
    book = workbook_of(client_for("city_shaoxing").get("/exports/plan/?year=2023"))
    assert len(book.sheetnames) == 7  # 汇总 + 6 districts of 绍兴
    ws = book["越城区"]
    assert "单位：个" in [c.value for c in ws[2]]
    rows, total = data_rows(ws)
    provincial = next(r for r in rows if r[3] == "省级")
    assert (provincial[4], provincial[5]) == (17, 1)
    assert total[4] == AnnualPlan.objects.filter(district__code="330602", year=2023).aggregate(
        s=Sum("planned"))["s"]
    _summary_rows, summary_total = data_rows(book["汇总"])
    assert summary_total[3] == 80  # 绍兴2023 附件: 41 省级 + 19 市级 + 20 县级 planned for 2023


def test_overdue_list_has_listed_projects_past_their_deadline_only(client_for, db):
    fuyang_projects(2, listed_on=D(2021, 8, 15))  # deadline 2022-08-15, still listed: overdue
    fuyang_projects(1, listed_on=D(2021, 8, 15), accepted_on=D(2022, 6, 20))  # accepted: not overdue
    book = workbook_of(client_for("district_fuyang").get("/exports/overdue/"))
    rows, _total = data_rows(book["富阳区"])
    assert len(rows) == 2
    days_col = [c.value for c in book["富阳区"][3]].index("逾期天数")
    assert rows[0][days_col] == (timezone.localdate() - D(2022, 8, 15)).days
    assert book["富阳区"]["A1"].value.startswith("富阳区未来社区创建项目逾期预警清单（截至")


@pytest.mark.parametrize("kind", ["disbursements", "ledger", "plan", "overdue"])
def test_other_citys_user_gets_no_rows_of_this_city(client_for, jiaxing_ledger, kind):
    book = workbook_of(client_for("city_shaoxing").get(f"/exports/{kind}/"))
    for name in book.sheetnames:
        assert name not in ("南湖区", "嘉善县")


def test_bad_report_parameters_name_the_field(client_for, db):
    client = client_for("finance_fuyang")
    response = client.get("/exports/disbursements/?year=abc", follow=True)
    assert "年度应为2019至2035之间的整数" in response.content.decode()
    response = client.get("/exports/nonsense/", follow=True)
    assert "未知报表" in response.content.decode()


# ---------------------------------------------------------------- background exports


@pytest.fixture
def small_threshold(monkeypatch):
    sent = []
    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 2)
    monkeypatch.setattr(exports, "enqueue", lambda job_id: sent.append(job_id) or True)
    return sent


def test_large_export_runs_as_a_job_with_progress_and_a_private_expiring_download(
        client_for, jiaxing_ledger, small_threshold, django_capture_on_commit_callbacks):
    client = client_for("finance_jiaxing")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/exports/disbursements/")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    assert small_threshold == [job.pk] and job.state == "queued" and job.total_rows == 9
    progress = client.get(f"/exports/jobs/{job.pk}/progress/").json()
    assert (progress["state"], progress["progress"], progress["download_url"]) == ("queued", 0, None)
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 409

    assert exports.run_job(job.pk) == "done"
    assert exports.run_job(job.pk) == "skipped"  # a duplicate delivery does nothing
    progress = client.get(f"/exports/jobs/{job.pk}/progress/").json()
    assert (progress["state"], progress["progress"]) == ("done", 100)
    download = client.get(progress["download_url"])
    assert download.status_code == 200
    book = workbook_of(download)
    assert set(book.sheetnames) == {"汇总", "南湖区", "嘉善县"}
    assert "job" in client.get(f"/exports/jobs/{job.pk}/").context

    for other in ("city_jiaxing", "finance_fuyang", "street_jianshe"):
        other_client = client_for(other)
        assert other_client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404
        assert other_client.get(f"/exports/jobs/{job.pk}/progress/").status_code == 404
    client = client_for("finance_jiaxing")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 410
    assert exports.purge_expired() == 1
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 410


def test_download_refused_once_the_requester_changed_scope(client_for, jiaxing_ledger, small_threshold, users):
    job = exports.start_job(users["finance_jiaxing"], "disbursements", "xlsx", {})
    exports.run_job(job.pk)
    user = users["finance_jiaxing"]
    user.office = Office.objects.get(kind=Office.Kind.FINANCE, region__code="330402")
    user.save()
    assert client_for("finance_jiaxing").get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_csv_job_and_api_job_creation(api_for, jiaxing_ledger, small_threshold):
    api = api_for("finance_jiaxing")
    response = api.post("/api/export-jobs/", {"kind": "ledger", "file_format": "csv", "year": 2023}, format="json")
    assert response.status_code == 201
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert job.params == {"year": 2023}
    exports.run_job(job.pk)
    body = api.get(f"/api/export-jobs/{job.pk}/").json()
    assert body["state"] == "done" and body["download_url"]
    job.refresh_from_db()
    content = job.file.read()
    assert content.startswith(b"\xef\xbb\xbf") and job.done_rows == 6
    assert api_for("city_jiaxing").get(f"/api/export-jobs/{job.pk}/").status_code == 404
    bad = api.post("/api/export-jobs/", {"kind": "nope"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]


def test_broker_down_keeps_the_job_queued_and_catch_up_sends_it_again(client_for, jiaxing_ledger, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from portal import tasks

    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(exports, "SYNC_MAX_ROWS", 2)
    monkeypatch.setattr(tasks.run_export, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("finance_jiaxing").get("/exports/disbursements/")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == "queued" and len(attempts) == 1
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert "requeued=0" in exports.catch_up() and len(attempts) == 2
    monkeypatch.setattr(tasks.run_export, "apply_async", lambda args, **kw: exports.run_job(*args))
    assert "requeued=1" in exports.catch_up()
    assert ExportJob.objects.get(pk=job.pk).state == "done"
