"""Shaoxing monthly bulletin and quarterly ranking (绍兴2023 四): from the data, stored once,
downloadable only by users whose scope covers the city."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from acceptance import bulletins
from acceptance.models import Bulletin
from projects import reports
from tests.acceptance.conftest import issue_rectification, request_acceptance

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here
NEXT_MONTH = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def test_periods_are_last_month_and_last_completed_quarter():
    assert bulletins.periods(dt.date(2026, 10, 1))[0][:2] == ("monthly", "2026-09")
    assert bulletins.periods(dt.date(2026, 10, 1))[1] == ("quarterly", "2026-Q3", dt.date(2026, 7, 1),
                                                          dt.date(2026, 9, 30))
    assert bulletins.periods(dt.date(2026, 1, 1))[1][:2] == ("quarterly", "2025-Q4")
    assert bulletins.periods(dt.date(2026, 1, 1))[0][:2] == ("monthly", "2025-12")


@pytest.fixture
def shaoxing_data(users, listed_project):
    reporting = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=70), community_name="报送社区")
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    reports.submit_monthly_report(users["street_tashan"], reporting, month=last_month, progress_percent=60,
                                  investment_completed=100)
    silent = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=70), community_name="未报社区")
    rectifying = listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=90), community_name="整改社区")
    issue_rectification(request_acceptance(rectifying, "shaoxing"), "shaoxing", TODAY + dt.timedelta(days=5))
    listed_project("fuyang", listed_on=TODAY - dt.timedelta(days=70))  # another city: not in the bulletin
    return reporting, silent


def test_monthly_bulletin_per_district_from_the_data(shaoxing_data):
    created = bulletins.generate_bulletins(NEXT_MONTH)
    monthly = next(b for b in created if b.kind == "monthly")
    assert monthly.period == f"{TODAY:%Y-%m}" and monthly.city.code == "3306"
    rows = {row["district"]: row for row in monthly.data["rows"]}
    assert "越城区" in rows and len(rows) >= 6
    yuecheng = rows["越城区"]
    assert yuecheng["in_progress"] == 3
    assert yuecheng["reporting"] == 1 and yuecheng["avg_progress"] == "60.00"
    assert monthly.data["totals"]["in_progress"] == 3
    assert "绍兴2023 四" in monthly.data["basis"]


def test_quarterly_ranking_orders_districts_and_says_how(shaoxing_data):
    created = bulletins.generate_bulletins(NEXT_MONTH)
    quarterly = next(b for b in created if b.kind == "quarterly")
    ranks = [row["rank"] for row in quarterly.data["rows"]]
    assert ranks[0] == 1 and sorted(ranks) == ranks
    assert "排名方法文件未规定" in quarterly.data["basis"]


def test_missing_reports_counted_when_due_in_period_and_not_received(shaoxing_data):
    from acceptance.sweep import sweep_deadlines

    later = NEXT_MONTH.replace(day=28)
    sweep_deadlines(later)  # this month's reports are owed once the month is over
    data = bulletins.build(bulletins.Region.objects.get(code="3306"), "monthly", "x", NEXT_MONTH, later)
    yuecheng = next(row for row in data["rows"] if row["district"] == "越城区")
    assert yuecheng["reports_due"] == 3 and yuecheng["missing_reports"] == 3
    assert yuecheng["overdue"] >= 3


def test_rerun_is_idempotent(shaoxing_data):
    first = bulletins.generate_bulletins(NEXT_MONTH)
    stored = {(b.kind, b.period): b.data for b in Bulletin.objects.all()}
    assert len(first) == 2
    assert bulletins.generate_bulletins(NEXT_MONTH) == []
    assert {(b.kind, b.period): b.data for b in Bulletin.objects.all()} == stored


def test_city_user_downloads_the_xlsx(shaoxing_data, client_for):
    bulletins.generate_bulletins(NEXT_MONTH)
    monthly = Bulletin.objects.get(kind="monthly")
    client = client_for("city_shaoxing")
    assert "月度通报" in client.get("/acceptance/bulletins/").content.decode()
    assert client.get(f"/acceptance/bulletins/{monthly.pk}/").status_code == 200
    response = client.get(f"/acceptance/bulletins/{monthly.pk}/download/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("绍兴市未来社区创建月度通报")
    assert sheet["A3"].value == "序号" and sheet.freeze_panes == "A4"
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "合计" in values
    assert any(str(v).startswith("制表单位") for v in values if v)


@pytest.mark.parametrize("username", ["city_jiaxing", "district_fuyang", "street_tashan", "district_yuecheng"])
def test_download_outside_scope_is_404(shaoxing_data, client_for, username):
    bulletins.generate_bulletins(NEXT_MONTH)
    monthly = Bulletin.objects.get(kind="monthly")
    client = client_for(username)
    assert client.get(f"/acceptance/bulletins/{monthly.pk}/download/").status_code == 404
    assert client.get(f"/acceptance/bulletins/{monthly.pk}/").status_code == 404
    assert f"/acceptance/bulletins/{monthly.pk}/" not in client.get("/acceptance/bulletins/").content.decode()


def test_generate_bulletins_command(shaoxing_data, capsys):
    from django.core.management import call_command

    call_command("generate_bulletins", "--today", NEXT_MONTH.isoformat())
    assert "bulletins created: 2" in capsys.readouterr().out
    call_command("generate_bulletins", "--today", NEXT_MONTH.isoformat())
    assert "bulletins created: 0" in capsys.readouterr().out


def test_projects_without_history_count_by_their_recorded_dates(users):
    from tests.acceptance.conftest import bulk_listed

    bulk_listed("330602001", 2, listed_on=dt.date(2030, 1, 10))
    city = bulletins.Region.objects.get(code="3306")
    before = bulletins.build(city, "monthly", "2029-12", dt.date(2029, 12, 1), dt.date(2029, 12, 31))
    during = bulletins.build(city, "monthly", "2030-01", dt.date(2030, 1, 1), dt.date(2030, 1, 31))
    assert before["totals"]["in_progress"] == 0
    assert during["totals"]["in_progress"] == 2


def test_bulletin_workbook_writes_formula_like_text_as_text():
    """The bulletin goes through the one tabular writer, so its formula guard applies (#14)."""
    from acceptance.exports import bulletin_workbook

    row = {"district": "=HYPERLINK(\"http://x\")", "applying": 1, "in_progress": 2, "accepted": 0, "named": 0,
           "avg_progress": "45.50", "reporting": 2, "overdue": 1, "overdue_construction": 0, "reports_due": 2,
           "missing_reports": 1}
    bulletin = Bulletin(kind="monthly", period="2026-10", generated_at=timezone.now(), data={
        "city": "绍兴市", "first_day": "2026-10-01", "last_day": "2026-10-31", "basis": "绍兴2023 四",
        "rows": [row], "totals": {k: v for k, v in row.items() if k not in ("district", "avg_progress")}})
    sheet = load_workbook(BytesIO(bulletin_workbook(bulletin))).active
    cell = sheet["B4"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    assert sheet["C4"].value == 1 and sheet["G4"].value == 45.5
    assert [c.value for c in sheet[5]][:3] == ["合计", None, 1]
    first_column = [v for (v,) in sheet.iter_rows(min_col=1, max_col=1, values_only=True) if v]
    assert "依据：绍兴2023 四" in first_column
