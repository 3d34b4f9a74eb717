"""拨付审批表 (issue #15): printable, with the amount in Chinese capitals (大写金额), scoped like
the settlement statement (404 outside it) and linked from it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from subsidies.models import Payment
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
JIANSHE = "330402007"


@pytest.fixture
def payment(db):
    project = bulk_projects(JIANSHE, 1)[0]
    return Payment.objects.create(project=project, kind="award", payer="city", trigger="命名", fiscal_year=2025,
                                  amount=Decimal("100005.00"), basis="嘉兴 实施意见 命名奖补",
                                  computed_at=timezone.now())


def test_payment_approval_form_writes_the_amount_in_capitals(client_for, payment):
    text = client_for("finance_jiaxing").get(f"/subsidies/payments/{payment.pk}/print/").content.decode()
    assert '<td colspan="3" class="upper-amount" data-testid="upper-amount">人民币壹拾万零伍元整</td>' in text
    assert "￥100,005.00" in text and 'data-testid="sign-area"' in text and "市财政主要负责人" in text


def test_payment_approval_form_is_404_outside_the_scope(client_for, payment):
    assert client_for("finance_fuyang").get(f"/subsidies/payments/{payment.pk}/print/").status_code == 404
    assert client_for("street_jianshe").get(f"/subsidies/payments/{payment.pk}/print/").status_code == 200


def test_statement_and_ledger_link_to_the_approval_form(client_for, payment):
    client = client_for("finance_jiaxing")
    statement = client.get(f"/subsidies/projects/{payment.project_id}/").content.decode()
    assert f'href="/subsidies/payments/{payment.pk}/print/"' in statement
    Payment.objects.filter(pk=payment.pk).update(state="approved")
    assert f'href="/subsidies/payments/{payment.pk}/print/"' in client.get("/subsidies/").content.decode()
