"""The admin shows monthly reports but cannot change, add or delete them: figures change
only through the street's edit (lock and version) or a correction request the district
decides, so history and corrections cannot be bypassed."""


import pytest

from projects.models import MonthlyReport
from tests.projects.test_monthly_reports import file, month_back, project  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db



@pytest.fixture
def report(users, project):  # noqa: F811
    return file(users, project, month_back(project.listed_on, 0), "10", "100")


def test_admin_sees_a_monthly_report_but_cannot_change_it(report, client_for):
    admin = client_for("admin")
    url = f"/admin/projects/monthlyreport/{report.pk}/change/"

    page = admin.get(url)
    posted = admin.post(url, {"project": report.project_id, "month": report.month.isoformat(),
                              "progress_percent": "99", "investment_completed": "999999",
                              "submitted_by": report.submitted_by_id})

    assert page.status_code == 200
    assert 'name="progress_percent"' not in page.content.decode()  # shown, not an input
    assert posted.status_code == 403
    report.refresh_from_db()
    assert (report.progress_percent, report.investment_completed, report.version) == (10, 100, 1)


def test_admin_cannot_add_or_delete_monthly_reports(report, client_for):
    admin = client_for("admin")

    assert admin.get("/admin/projects/monthlyreport/add/").status_code == 403
    assert admin.post(f"/admin/projects/monthlyreport/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert MonthlyReport.objects.filter(pk=report.pk).exists()
