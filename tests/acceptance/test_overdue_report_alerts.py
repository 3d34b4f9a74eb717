"""Issue #15 defect 16: an overdue 月报's alerts close — in the inbox too — when it is filed.

DOMAIN §4.3: "An alert closes itself when its deadline is met."
"""

import datetime as dt

import pytest

from acceptance import sweep
from acceptance.models import Alert
from portal.models import Notification
from projects.models import MonthlyReport
from projects.services import today

pytestmark = pytest.mark.django_db


def first_of_previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_filing_the_overdue_report_closes_its_alerts_and_their_unread_inbox_entries(listed_project, client_for):
    now = today()
    project = listed_project("shaoxing", listed_on=now - dt.timedelta(days=100))
    month = first_of_previous_month(first_of_previous_month(now))  # due on day 5 of last month: overdue
    sweep.sweep_deadlines(now)
    key = f"monthly:{month:%Y-%m}"
    alerts = Alert.objects.filter(deadline__project=project, deadline__key=key)
    assert alerts.filter(state="open", level="overdue").exists()
    keys = [f"alert:{pk}" for pk in alerts.values_list("pk", flat=True)]
    notes = Notification.objects.filter(event="alert", key__in=keys)
    assert notes.filter(read_at=None).exists()
    other = Alert.objects.filter(deadline__project=project, state="open").exclude(deadline__key=key)
    assert other.exists()

    response = client_for("street_tashan").post(
        f"/projects/{project.pk}/reports/new/",
        {"month": f"{month:%Y-%m}", "progress_percent": "10", "investment_completed": "1000", "confirm_late": "1"})
    assert response.status_code == 302

    assert set(alerts.values_list("state", flat=True)) == {"closed"}
    assert not notes.filter(read_at=None).exists()
    # the alerts of months still missing stay open and unread
    assert other.filter(state="open").exists()
    assert Notification.objects.filter(event="alert", read_at=None, project=project).exists()


def test_the_sweep_closes_the_inbox_entries_of_alerts_it_closes(listed_project, users):
    now = today()
    project = listed_project("shaoxing", listed_on=now - dt.timedelta(days=100))
    month = first_of_previous_month(first_of_previous_month(now))
    sweep.sweep_deadlines(now)
    MonthlyReport.objects.bulk_create([MonthlyReport(  # no signal: only the sweep can notice it
        project=project, month=month, progress_percent=5, investment_completed=0, submitted_by=users["street_tashan"])])
    sweep.sweep_deadlines(now)
    ids = (Alert.objects.filter(deadline__project=project, deadline__key=f"monthly:{month:%Y-%m}")
           .values_list("pk", flat=True))
    assert Notification.objects.filter(key__in=[f"alert:{pk}" for pk in ids]).count() >= 1
    assert not Notification.objects.filter(key__in=[f"alert:{pk}" for pk in ids], read_at=None).exists()
