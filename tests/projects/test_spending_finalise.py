"""Spending inserts and the finalise move exclude each other (issue #20 item 6: finalise said
合计 0.00 while 3 rows committed around it). Both lock the project row; an insert that comes
after the finalise is refused even when its caller still holds the project as it was before,
and the declared total is the sum of the rows committed before it."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from portal.errors import InvalidTransition
from projects import reports
from projects.models import CreationProject, SpendingRecord, Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(drive):
    return drive("fuyang", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 6, 1))


def test_an_insert_after_the_finalise_is_refused_even_from_a_stale_copy(accepted, users, api_for):
    street = users["street_fuchun"]
    stale = CreationProject.objects.get(pk=accepted.pk)  # read before the finalise: spending_final False
    reports.record_spending(street, accepted, spent_on=dt.date(2025, 5, 1), amount=Decimal("100.00"),
                            description="工程款")
    reports.finalise_spending(street, CreationProject.objects.get(pk=accepted.pk))
    assert stale.spending_final is False

    with pytest.raises(InvalidTransition, match="实际支出已决算，不能再录入"):
        reports.record_spending(street, stale, spent_on=dt.date(2025, 5, 2), amount=Decimal("50.00"),
                                description="尾款")
    late = api_for("street_fuchun").post("/api/spending/", {"project": accepted.pk, "spent_on": "2025-05-02",
                                                            "amount": "50.00", "description": "尾款"}, format="json")
    assert late.status_code == 409 and "已决算" in late.json()["detail"]
    assert list(SpendingRecord.objects.filter(project=accepted).values_list("amount", flat=True)) == [Decimal("100.00")]


def test_the_declared_total_is_the_committed_rows(accepted, users, api_for):
    api = api_for("street_fuchun")
    for day, amount in (("2025-01-10", "1200000.50"), ("2025-02-10", "300000.25"), ("2025-03-10", "0.25")):
        assert api.post("/api/spending/", {"project": accepted.pk, "spent_on": day, "amount": amount,
                                           "description": "工程款"}, format="json").status_code == 201

    assert api.post(f"/api/projects/{accepted.pk}/finalise-spending/").status_code == 200

    history = Transition.objects.get(project=accepted, action="finalise_spending")
    assert history.details["spending_total"] == "1500001.00"  # 1,200,000.50 + 300,000.25 + 0.25, by hand
    assert history.comment.startswith("确认实际支出决算，合计 1500001.00 元")


def test_a_finalise_twice_from_stale_copies_is_refused_once(accepted, users):
    street = users["street_fuchun"]
    first = CreationProject.objects.get(pk=accepted.pk)
    second = CreationProject.objects.get(pk=accepted.pk)
    reports.finalise_spending(street, first)
    with pytest.raises(InvalidTransition):
        reports.finalise_spending(street, second)
    assert Transition.objects.filter(project=accepted, action="finalise_spending").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_finalise_waits_for_an_open_insert_and_counts_it(users, drive):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    project = drive("fuyang", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 6, 1))
    street = users["street_fuchun"]
    inserted, release, outcome = threading.Event(), threading.Event(), {}

    def insert():
        try:
            with transaction.atomic():
                reports.record_spending(street, project, spent_on=dt.date(2025, 5, 1), amount=Decimal("700.00"),
                                        description="工程款")
                inserted.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def finalise():
        try:
            reports.finalise_spending(street, CreationProject.objects.get(pk=project.pk))
            outcome["total"] = Transition.objects.get(project=project, action="finalise_spending").details[
                "spending_total"]
        finally:
            connections.close_all()

    writer = threading.Thread(target=insert)
    writer.start()
    assert inserted.wait(timeout=10)
    closer = threading.Thread(target=finalise)
    closer.start()
    closer.join(timeout=1)
    assert closer.is_alive(), "the finalise must wait for the open insert"
    release.set()
    writer.join(timeout=10)
    closer.join(timeout=10)
    assert outcome["total"] == "700.00"
