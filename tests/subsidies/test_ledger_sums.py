"""The ledger's 实际支出 and 已拨付 (issue 19 item 6): one statement joins each sum grouped once
(was: two subqueries per project); the figures are the owners' — projects.spending (an approved
correction counts at its amount, a row dated after today does not) and the paid tranches of
subsidies — for every project, with none (blank) where a project has no rows. Expected values
written by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import SpendingCorrection, SpendingRecord
from projects.spending import spent_total
from subsidies.models import Payment
from subsidies.reports import ProjectLedger
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
JIANSHE = "330402007"


@pytest.fixture
def ledger_world(users):
    today = timezone.localdate()
    corrected, plain, bare = bulk_projects(JIANSHE, 3, spent="1000.00")
    SpendingRecord.objects.filter(project=bare).delete()
    recorder = users["admin"]
    row = SpendingRecord.objects.get(project=corrected)
    SpendingCorrection.objects.create(record=row, amount=Decimal("100.00"), reason="多录了一个0",
                                      state=SpendingCorrection.State.APPROVED, requested_by=recorder,
                                      decided_by=recorder, decided_at=timezone.now())
    SpendingRecord.objects.create(project=plain, spent_on=today - dt.timedelta(days=1), amount=Decimal("20.50"),
                                  description="监理费", recorded_by=recorder)
    SpendingRecord.objects.create(project=plain, spent_on=today + dt.timedelta(days=3), amount=Decimal("999.00"),
                                  description="预付", recorded_by=recorder)
    tranches = ((corrected, "300.00", Payment.State.PAID), (corrected, "5.00", Payment.State.PAID),
                (corrected, "7000.00", Payment.State.APPROVED), (plain, "1.25", Payment.State.PAID))
    for index, (project, amount, state) in enumerate(tranches):
        paid = {"voucher_no": "凭证1", "paid_at": timezone.now()} if state == Payment.State.PAID else {}
        Payment.objects.create(project=project, kind="award", payer="city", trigger=f"命名{index}",
                               fiscal_year=2025, amount=Decimal(amount), state=state, basis="嘉兴 实施意见",
                               computed_at=timezone.now(), **paid)
    return {"corrected": corrected, "plain": plain, "bare": bare, "today": today}


def test_spent_and_paid_are_the_owners_sums_in_one_statement(users, ledger_world):
    report = ProjectLedger()
    spent_at, paid_at = 13, 15  # 实际支出（元）, 已拨付（元） in report.columns
    assert report.columns[spent_at].header == "实际支出（元）" and report.columns[paid_at].header == "已拨付（元）"
    with CaptureQueriesContext(connection) as queries:
        rows = {values[2]: values for _, _, values in report.rows(users["admin"], {})}  # by 社区
    assert len([q for q in queries if "projects_creationproject" in q["sql"]]) == 1  # (PostgreSQL: and work_mem)
    by_name = {key: rows[ledger_world[key].community.name] for key in ("corrected", "plain", "bare")}
    assert by_name["corrected"][spent_at] == Decimal("100.00")  # the approved correction's amount
    assert by_name["plain"][spent_at] == Decimal("1020.50")  # not the row dated after today
    assert by_name["bare"][spent_at] is None
    assert by_name["corrected"][paid_at] == Decimal("305.00") and by_name["plain"][paid_at] == Decimal("1.25")
    assert by_name["bare"][paid_at] is None
    for key in ("corrected", "plain"):
        assert by_name[key][spent_at] == spent_total(ledger_world[key], ledger_world["today"])
