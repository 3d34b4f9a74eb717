"""A mistaken spending row is corrected, never silently edited (issue #20 item 8): the street
asks (new amount, reason), the district's townscape office approves or rejects, each step is a
history row and a notice; the approved amount is what the finalise move and the subsidy run
count (projects.spending), the recorded row stays as it was."""

import datetime as dt
from decimal import Decimal

import pytest

from portal.models import Notification
from projects import reports
from projects.models import CreationProject, SpendingCorrection, SpendingRecord, Transition
from subsidies.services import spent_subquery

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


@pytest.fixture
def row(drive, clock, users):
    project = drive("fuyang", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 6, 1))
    clock(TODAY)
    return reports.record_spending(users["street_fuchun"], project, spent_on=dt.date(2026, 6, 1),
                                   amount="12000.00", description="工程款")


def counted(project) -> Decimal:
    return CreationProject.objects.filter(pk=project.pk).annotate(spent=spent_subquery(TODAY)).get().spent


def test_an_approved_correction_changes_what_finalise_and_the_subsidy_run_count(row, api_for, users):
    asked = api_for("street_fuchun").post(f"/api/spending/{row.pk}/correct/",
                                          {"amount": "1200.00", "reason": "多录了一个0"}, format="json")
    assert asked.status_code == 201, asked.json()
    assert asked.json()["state"] == "pending"
    assert counted(row.project) == Decimal("12000.00")  # pending: nothing changes yet
    assert Notification.objects.filter(user=users["district_fuyang"], event="spending_correction").exists()

    assert api_for("street_fuchun").post(f"/api/spending/{row.pk}/decide-correction/", {"decision": "approve"},
                                         format="json").status_code == 403
    decided = api_for("district_fuyang").post(f"/api/spending/{row.pk}/decide-correction/",
                                              {"decision": "approve", "comment": "核对发票属实"}, format="json")

    assert decided.status_code == 200, decided.json()
    assert counted(row.project) == Decimal("1200.00")
    assert SpendingRecord.objects.get(pk=row.pk).amount == Decimal("12000.00")  # the row itself is unchanged
    reports.finalise_spending(users["street_fuchun"], CreationProject.objects.get(pk=row.project_id))
    history = list(Transition.objects.filter(project=row.project_id).order_by("id").values_list("action", flat=True))
    assert history[-3:] == ["request_spending_correction", "approve_spending_correction", "finalise_spending"]
    assert Transition.objects.get(project=row.project_id, action="finalise_spending").details[
        "spending_total"] == "1200.00"
    assert Notification.objects.filter(user=users["street_fuchun"], event="spending_correction").exists()


def test_a_rejection_needs_a_comment_and_changes_nothing(row, api_for):
    api_for("street_fuchun").post(f"/api/spending/{row.pk}/correct/", {"amount": "1.00", "reason": "录错"},
                                  format="json")
    district = api_for("district_fuyang")
    bare = district.post(f"/api/spending/{row.pk}/decide-correction/", {"decision": "reject"}, format="json")
    assert bare.status_code == 400 and "请填写审核意见" in bare.json()["detail"]
    rejected = district.post(f"/api/spending/{row.pk}/decide-correction/", {"decision": "reject", "comment": "无依据"},
                             format="json")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert counted(row.project) == Decimal("12000.00")
    again = district.post(f"/api/spending/{row.pk}/decide-correction/", {"decision": "approve"}, format="json")
    assert again.status_code == 409


def test_one_pending_correction_at_a_time_and_none_after_the_finalise(row, api_for, users):
    api = api_for("street_fuchun")
    assert api.post(f"/api/spending/{row.pk}/correct/", {"amount": "1.00", "reason": "录错"},
                    format="json").status_code == 201
    second = api.post(f"/api/spending/{row.pk}/correct/", {"amount": "2.00", "reason": "录错"}, format="json")
    assert second.status_code == 400 and "已有待审核的更正" in second.json()["detail"]
    bad = api.post(f"/api/spending/{row.pk}/correct/", {"amount": "１２", "reason": "录错"}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    reports.finalise_spending(users["street_fuchun"], CreationProject.objects.get(pk=row.project_id))
    late = api_for("district_fuyang").post(f"/api/spending/{row.pk}/decide-correction/", {"decision": "approve"},
                                           format="json")
    assert late.status_code == 409 and "已决算" in late.json()["detail"]
    assert SpendingCorrection.objects.get().state == "pending"


def test_the_page_asks_and_decides(row, client_for):
    street = client_for("street_fuchun")
    street.post(f"/projects/{row.project_id}/spending/{row.pk}/correct/", {"amount": "1200.00", "reason": "多录0"})
    assert SpendingCorrection.objects.get().state == "pending"
    district = client_for("district_fuyang")
    page = district.get(f"/projects/{row.project_id}/")
    assert "更正为 1,200.00（待区县审核）" in page.content.decode() or "待区县审核" in page.content.decode()
    district.post(f"/projects/{row.project_id}/spending/{row.pk}/decide/", {"decision": "approve"})
    shown = district.get(f"/projects/{row.project_id}/").content.decode()
    assert "已更正" in shown and SpendingCorrection.objects.get().state == "approved"
