"""API of 嘉兴 月报月例会 (嘉兴 三(三) “市风貌办建立健全动态评价督导制度、月报月例会制度”) and 富阳 月度评价通报
(富阳 五(六) “每月进行评价通报”): the pages' functions and permissions, read through /api/. Data setups
are those of test_meetings.py and test_evaluation.py; expected values written by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from acceptance.deadlines import recompute_deadlines
from projects import reports
from projects.models import MonthlyReport
from tests import world
from tests.supervision.test_evaluation import BEFORE, LAST, fuyang_project
from tests.supervision.test_meetings import LAST_MONTH, TODAY, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(clock):
    """The setups' own date (test_meetings.TODAY = test_evaluation.TODAY)."""
    clock(TODAY)


def test_meeting_list_and_detail_carry_the_attached_figures(listed_project, api_for):
    project = listed_project("jiaxing", listed_on=LAST_MONTH - dt.timedelta(days=40))
    reports.submit_monthly_report(world.user("street_jianshe"), project, month=LAST_MONTH, progress_percent=35,
                                  investment_completed=1000000)
    meeting = record()
    listing = api_for("city_jiaxing").get("/api/meetings/")
    assert listing.status_code == 200
    [row] = listing.json()["results"]
    assert (row["id"], row["city"], row["month"], row["minutes"]) == (
        meeting.pk, "嘉兴市", f"{LAST_MONTH:%Y-%m}", "通报进度，南湖区加快推进")
    detail = api_for("leader_jiaxing").get(f"/api/meetings/{meeting.pk}/").json()
    assert detail["figure_headers"][0] == "区、县（市）"
    nanhu = next(r for r in detail["figure_rows"] if r[0] == "南湖区")
    # one project in construction in 南湖区, reporting 35% for the month (as the page shows)
    assert "35.00" in nanhu
    assert len(detail["figure_rows"]) == 7  # 嘉兴's 7 县(市、区)
    assert detail["basis"].startswith("嘉兴 三(三)")


def test_meetings_refused_outside_jiaxing_city_and_not_found_outside_scope(api_for):
    meeting = record()
    refused = api_for("district_nanhu").get("/api/meetings/")
    assert refused.status_code == 403 and "仅嘉兴市级单位可以查看" in refused.content.decode()
    assert api_for("city_shaoxing").get("/api/meetings/").status_code == 403
    assert api_for("city_shaoxing").get(f"/api/meetings/{meeting.pk}/").status_code == 404
    assert api_for("city_jiaxing").post("/api/meetings/", {}).status_code == 405


@pytest.mark.parametrize("year, code, count", [
    ("last_month", 200, 1), (None, 200, 1), ("1999", 200, 0), ("2²", 400, None), ("２０２５", 400, None),
    ("20\x0025", 400, None), ("9" * 40, 400, None),
])
def test_meeting_year_filter_and_bad_years(api_for, year, code, count):
    record()
    params = {} if year is None else {"year": str(LAST_MONTH.year) if year == "last_month" else year}
    response = api_for("city_jiaxing").get("/api/meetings/", params)
    assert response.status_code == code
    if code == 200:
        assert response.json()["count"] == count
    else:
        assert "year" in response.content.decode()


def test_evaluation_ranks_streets_with_the_platforms_criteria(api_for):
    fuchun = fuyang_project("street_fuchun", "评价甲社区")
    fuyang_project("street_yinhu", "评价乙社区")
    reports.submit_monthly_report(world.user("street_fuchun"), fuchun, month=BEFORE, progress_percent=Decimal("40"),
                                  investment_completed=500000)
    on_time = timezone.make_aware(dt.datetime.combine(LAST.replace(day=3), dt.time(10)))
    MonthlyReport.objects.filter(project=fuchun).update(submitted_at=on_time)
    recompute_deadlines(fuchun)

    response = api_for("district_fuyang").get("/api/evaluations/", {"month": f"{LAST:%Y-%m}"})
    assert response.status_code == 200
    data = response.json()
    rows = {row["street"]: row for row in data["rows"]}
    assert {k: rows["富春街道"][k] for k in ("in_progress", "avg_progress", "overdue", "missing_reports", "rank")} == {
        "in_progress": 1, "avg_progress": "40.00", "overdue": 0, "missing_reports": 0, "rank": 1}
    # 银湖街道's M-2 report was due in M-1 and never came: 1 overdue at month end, 1 missing
    assert (rows["银湖街道"]["overdue"], rows["银湖街道"]["missing_reports"]) == (1, 1)
    assert rows["银湖街道"]["rank"] == len(data["rows"])
    assert data["criteria"].startswith("评价排名方法文件未规定，本平台")
    assert data["month"] == f"{LAST:%Y-%m}" and "富阳 五(六)" in data["basis"]
    # no month: the last finished one, as on the page
    assert api_for("street_fuchun").get("/api/evaluations/").json()["month"] == f"{LAST:%Y-%m}"


def test_evaluation_refused_outside_fuyang_and_bad_months(api_for):
    refused = api_for("district_nanhu").get("/api/evaluations/")
    assert refused.status_code == 403 and "适用于富阳区" in refused.content.decode()
    api = api_for("district_fuyang")
    this_month = f"{TODAY:%Y-%m}"  # not finished yet
    for bad in ("2025-1", "２０２５-０１", "2025-13", "1999-12", "2025-0²", "2025-01\x00", this_month):
        response = api.get("/api/evaluations/", {"month": bad})
        assert response.status_code == 400, bad
        assert "month" in response.content.decode()
