"""富阳 月度评价通报 (DOMAIN §9; 富阳 五(六) “每月进行评价通报”): per street for a finished month; the
document gives no scoring rule, so the platform's stated ranking applies and says so."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from acceptance.deadlines import recompute_deadlines
from projects import reports
from projects.models import MonthlyReport
from supervision import evaluation
from tests import world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here and in test_periodic_api
LAST = dt.date(2026, 9, 1)  # M-1: the last finished month
BEFORE = dt.date(2026, 8, 1)  # M-2: the listing month


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def test_the_last_finished_month_is_the_one_before_today():
    assert evaluation.last_finished_month(TODAY) == LAST


def fuyang_project(street_user, name):
    street = world.user(street_user).office.region
    actors = {"street": street_user, "district": "district_fuyang"}
    project = world.create("fuyang", world.community(street.code, name), actors=actors, batch_year=BEFORE.year)
    return world.listed(project, "fuyang", BEFORE, actors=actors)


def test_streets_ranked_by_the_stated_platform_rule():
    fuchun = fuyang_project("street_fuchun", "评价甲社区")
    fuyang_project("street_yinhu", "评价乙社区")
    reports.submit_monthly_report(world.user("street_fuchun"), fuchun, month=BEFORE, progress_percent=Decimal("40"),
                                  investment_completed=500000)
    # received on day 3 of M-1, before its due date (day 5 of M-1, 富阳 五(六) / DOMAIN 4.2)
    on_time = timezone.make_aware(dt.datetime.combine(LAST.replace(day=3), dt.time(10)))
    MonthlyReport.objects.filter(project=fuchun).update(submitted_at=on_time)
    recompute_deadlines(fuchun)

    data = evaluation.evaluate(LAST)
    rows = {row["street"]: row for row in data["rows"]}
    assert {k: rows["富春街道"][k] for k in ("in_progress", "avg_progress", "overdue", "missing_reports", "rank")} == {
        "in_progress": 1, "avg_progress": "40.00", "overdue": 0, "missing_reports": 0, "rank": 1}
    # 银湖街道's M-2 report was due in M-1 and never came: 1 overdue at month end, 1 missing
    yinhu = rows["银湖街道"]
    assert (yinhu["in_progress"], yinhu["avg_progress"], yinhu["overdue"], yinhu["missing_reports"]) == (1, None, 1, 1)
    assert yinhu["rank"] == len(data["rows"])
    assert "本平台" in data["basis"] and "富阳 五(六)" in data["basis"]


def test_page_and_excel_for_fuyang_only(client_for):
    page = client_for("district_fuyang").get(f"/supervision/evaluation/?month={LAST:%Y-%m}").content.decode()
    assert "富春街道" in page and "文件未规定" in page
    assert client_for("district_fuyang").get("/supervision/evaluation.xlsx").status_code == 200
    assert client_for("district_nanhu").get("/supervision/evaluation/").status_code == 403
    # a month not finished yet falls back to the last finished one
    assert f"（{LAST:%Y-%m}）" in client_for("district_fuyang").get(
        f"/supervision/evaluation/?month={TODAY:%Y-%m}").content.decode()
