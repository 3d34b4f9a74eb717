"""奖补资金 pages: ledger, confirmation step for 核定/拨付, statement, summary, nav and
workbench; the command; out of scope is 404 everywhere."""

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command

from dashboards.models import AnnualPlan
from dashboards.plans import load_annual_plan
from subsidies import services
from subsidies.models import Payment
from tests.world import fuyang_projects

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def settled(db):
    project = fuyang_projects(1, accepted_on=D(2022, 6, 20), spent="8000000")[0]
    services.compute_subsidies(D(2023, 1, 15))
    return project, Payment.objects.get(project=project)


def test_finance_approves_and_pays_through_a_confirmation_step(client_for, settled):
    _project, payment = settled
    client = client_for("finance_fuyang")
    ledger = client.get("/subsidies/")
    assert ledger.status_code == 200 and f'name="ids" value="{payment.pk}"' in ledger.content.decode()
    confirm = client.post("/subsidies/confirm/", {"action": "approve", "ids": [payment.pk], "next": "/subsidies/"})
    assert confirm.status_code == 200
    assert "9,000,000.00" in confirm.content.decode()
    assert Payment.objects.get(pk=payment.pk).state == "planned"  # nothing happens before confirming
    bare = client.post("/subsidies/apply/", {"action": "approve", "ids": [payment.pk], "next": "/subsidies/"})
    assert bare.status_code == 200 and 'name="confirm" value="1"' in bare.content.decode()  # asks first
    assert Payment.objects.get(pk=payment.pk).state == "planned"
    done = client.post("/subsidies/apply/", {"action": "approve", "ids": [payment.pk], "next": "/subsidies/",
                                             "confirm": "1"}, follow=True)
    assert "已核定 1 笔" in done.content.decode()
    assert Payment.objects.get(pk=payment.pk).state == "approved"

    asked = client.post("/subsidies/confirm/", {"action": "mark_paid", "ids": [payment.pk]})
    assert 'name="voucher_no"' in asked.content.decode()
    refused = client.post("/subsidies/apply/", {"action": "mark_paid", "ids": [payment.pk], "confirm": "1"},
                          follow=True)
    assert "请填写拨付凭证号" in refused.content.decode()
    client.post("/subsidies/apply/", {"action": "mark_paid", "ids": [payment.pk], "voucher_no": "财拨1号",
                                      "confirm": "1"})
    assert Payment.objects.get(pk=payment.pk).state == "paid"
    twice = client.post("/subsidies/apply/", {"action": "mark_paid", "ids": [payment.pk], "voucher_no": "财拨2号",
                                              "confirm": "1"}, follow=True)
    assert "可能已被他人处理" in twice.content.decode()
    assert Payment.objects.get(pk=payment.pk).voucher_no == "财拨1号"


def test_reviewers_read_the_ledger_but_cannot_approve(client_for, settled):
    _, payment = settled
    client = client_for("district_fuyang")
    page = client.get("/subsidies/").content.decode()
    assert "9,000,000.00" in page and 'name="ids"' not in page
    assert client.post("/subsidies/confirm/", {"action": "approve", "ids": [payment.pk]}).status_code == 403
    assert client.post("/subsidies/apply/", {"action": "approve", "ids": [payment.pk]}).status_code == 403
    assert Payment.objects.get(pk=payment.pk).state == "planned"


@pytest.mark.parametrize("username", ["finance_jiaxing", "city_shaoxing", "street_yinhu"])
def test_every_subsidies_page_is_404_outside_scope(client_for, settled, username):
    project, payment = settled
    client = client_for(username)
    assert client.get(f"/subsidies/projects/{project.pk}/").status_code == 404
    assert client.post("/subsidies/confirm/", {"action": "approve", "ids": [payment.pk]}).status_code == 404
    assert client.post("/subsidies/apply/", {"action": "approve", "ids": [payment.pk]}).status_code == 404
    assert "9,000,000.00" not in client.get("/subsidies/").content.decode()
    assert "9,000,000.00" not in client.get("/subsidies/summary/").content.decode()


def test_statement_page_shows_each_number_with_its_basis(client_for, settled):
    project, _ = settled
    page = client_for("street_fuchun").get(f"/subsidies/projects/{project.pk}/").content.decode()
    for text in ("年底预拨", "核定补助A", "应付（按实际补助）", "街道承担", "结余奖励", "决算拨付", "1,000,000.00",
                 "富阳 五(三)"):
        assert text in page


def test_shaoxing_statement_says_no_award_standard(client_for, drive):
    project = drive("shaoxing", "municipal", listed_on=D(2023, 9, 1))
    page = client_for("district_yuecheng").get(f"/subsidies/projects/{project.pk}/").content.decode()
    assert "本政策未规定奖补标准" in page


def test_summary_groups_by_district_and_year(client_for, settled):
    fuyang_projects(1, accepted_on=D(2023, 5, 10), task_year=2022)
    services.compute_subsidies(D(2023, 6, 1))
    page = client_for("finance_fuyang").get("/subsidies/summary/").content.decode()
    years = re.findall(r"<td>富阳区</td><td>(\d{4})</td>", page)
    assert years == ["2022", "2023"]  # the 2022 advance, the 2023 settlement


def test_nav_and_workbench_by_role(client_for, settled):
    finance = client_for("finance_fuyang").get("/").content.decode()
    assert "奖补资金" in finance and "待核定的奖补资金" in finance
    assert "奖补资金" in client_for("district_fuyang").get("/").content.decode()
    assert 'href="/subsidies/"' not in client_for("street_fuchun").get("/").content.decode()


def test_project_page_shows_the_tranches_panel(client_for, settled):
    project, _ = settled
    page = client_for("street_fuchun").get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="subsidy-panel"' in page and "9000000.00" in page
    assert f'href="/subsidies/projects/{project.pk}/" data-testid="panel-link">查看决算表' in page


def test_command_prints_counts_and_refuses_a_bad_date(settled, capsys):
    fuyang_projects(2, accepted_on=D(2022, 6, 20), spent="8000000")
    call_command("compute_subsidies", "--today", "2023-01-15")
    assert "payments planned=2 changed=0" in capsys.readouterr().out
    call_command("compute_subsidies", "--today", "2023-01-15")
    assert "payments planned=0 changed=0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--today"):
        call_command("compute_subsidies", "--today", "2023-13-01")


def test_celery_task_has_the_scheduled_name(settled):
    from django.conf import settings

    from subsidies.tasks import compute_subsidies

    assert compute_subsidies.name == settings.CELERY_BEAT_SCHEDULE["compute-subsidies"]["task"]
    assert "payments planned=0" in compute_subsidies.apply(args=["2023-01-15"]).get()


def test_annual_plan_is_loaded_from_the_fixture_once(db):
    from django.db.models import Sum

    assert AnnualPlan.objects.count() == 72
    totals = dict(AnnualPlan.objects.values_list("tier").annotate(s=Sum("planned")))
    assert totals == {"provincial": 127, "municipal": 57, "county": 57}
    assert load_annual_plan() == 0


def test_summary_total_row_is_the_sum_of_every_payment(client_for, settled):
    """The 合计 row (selectors.totals_of, from the grouped rows) equals the payments' own totals
    (selectors.totals, one aggregate over them), every state and the amounts to recover."""
    from decimal import Decimal

    from communities.models import User
    from subsidies import selectors

    fuyang_projects(2, accepted_on=D(2023, 5, 10), task_year=2022, spent="6000000")
    services.compute_subsidies(D(2023, 6, 1))
    first = Payment.objects.order_by("pk").first()
    Payment.objects.create(project=first.project, kind=first.kind, payer=first.payer, fiscal_year=2023,
                           amount=Decimal("-1234.56"), state=Payment.State.PLANNED, trigger="追回",
                           basis=first.basis, computed_at=first.computed_at)
    user = User.objects.get(username="finance_fuyang")
    rows, _ = selectors.by_district_and_year(user)
    payments, _ = selectors.payments(user)
    assert len(rows) >= 2 and selectors.totals_of(rows) == selectors.totals(payments)
    assert selectors.totals_of(rows)["to_recover"] == Decimal("-1234.56")
    assert selectors.totals_of([]) == selectors.totals(Payment.objects.none()) == {
        "count": 0, "total": 0, "to_recover": 0, **{state: 0 for state in Payment.State.values}}
    page = client_for("finance_fuyang").get("/subsidies/summary/").content.decode()
    total = selectors.totals(payments)
    footer = re.search(r"<tfoot>.*</tfoot>", page, re.S).group(0)
    assert f'<td class="money">{total["count"]}</td>' in footer
