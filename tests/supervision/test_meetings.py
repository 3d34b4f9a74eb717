"""嘉兴 月报月例会 (DOMAIN §9; 嘉兴 三(三) “市风貌办建立健全动态评价督导制度、月报月例会制度”): the
city office records the month's meeting with the month's figures per district attached."""

import datetime as dt

import pytest

from portal.errors import Conflict, Forbidden, InvalidInput
from projects import reports
from supervision import meetings
from tests.world import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here and in test_periodic_api
LAST_MONTH = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def record(**changes):
    data = {"month": f"{LAST_MONTH:%Y-%m}", "held_on": TODAY.isoformat(), "attendees": "市风貌办、各县（市、区）风貌办",
            "minutes": "通报进度，南湖区加快推进", **changes}
    return meetings.record(user("city_jiaxing"), data)


def test_meeting_record_carries_the_months_figures_per_district(listed_project):
    project = listed_project("jiaxing", listed_on=LAST_MONTH - dt.timedelta(days=40))
    reports.submit_monthly_report(user("street_jianshe"), project, month=LAST_MONTH, progress_percent=35,
                                  investment_completed=1000000)
    meeting = record()
    nanhu = next(row for row in meeting.figures["rows"] if row["district"] == "南湖区")
    # one project in construction in 南湖区, reporting 35% for the month
    assert (nanhu["in_progress"], nanhu["reporting"], nanhu["avg_progress"]) == (1, 1, "35.00")
    assert meeting.figures["period"] == f"{LAST_MONTH:%Y-%m}"
    headers, rows = meetings.figure_table(meeting)
    assert headers[0] == "区、县（市）" and len(rows) == len(meeting.figures["rows"])


def test_one_record_per_month_only_finished_months_and_only_jiaxing_city():
    record()
    with pytest.raises(Conflict, match="已记录"):
        record()
    with pytest.raises(InvalidInput, match="已结束月份"):
        record(month=f"{TODAY:%Y-%m}")
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        record(month="２０２６-１０")
    with pytest.raises(Forbidden):
        meetings.record(user("city_shaoxing"), {})
    with pytest.raises(Forbidden):
        meetings.record(user("district_nanhu"), {})


def test_pages_show_the_record_in_scope(client_for):
    meeting = record()
    page = client_for("city_jiaxing").get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert "南湖区" in page and "通报进度" in page
    assert client_for("city_shaoxing").get(f"/supervision/meetings/{meeting.pk}/").status_code == 404
    assert client_for("district_nanhu").get("/supervision/meetings/").status_code == 403
    assert client_for("city_jiaxing").get("/supervision/meetings.xlsx").status_code == 200
