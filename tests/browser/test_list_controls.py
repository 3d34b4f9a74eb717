"""A money list in the browser (issue #15): the 区县 → 街道 cascade (streets fetched for the
chosen district), the 合计 row over the filtered set and the 元 / 万元 switch, as finance_jiaxing.
Amounts written by hand; the screenshot is kept in $CI_ARTIFACTS."""

from decimal import Decimal

import pytest
from django.utils import timezone

from subsidies.models import Payment
from tests.browser.conftest import ARTIFACTS
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db(transaction=True)
JIANSHE, JIASHAN_STREET = "330402007", "330421001"


def pay(project, amount):
    Payment.objects.create(project=project, kind="award", payer="city", trigger="命名", fiscal_year=2025,
                           amount=Decimal(amount), basis="嘉兴 实施意见 命名奖补", computed_at=timezone.now())


def test_ledger_cascade_total_row_and_wan_switch(portal):
    nanhu = bulk_projects(JIANSHE, 2, prefix="浏览器")
    pay(nanhu[0], "3000000.00")
    pay(nanhu[1], "12345.67")
    pay(bulk_projects(JIASHAN_STREET, 1, prefix="浏览器")[0], "1000000.00")

    finance = portal("finance_jiaxing")
    page = finance.goto("/subsidies/")
    assert page.locator("[data-testid=total-amount]").inner_text() == "4,012,345.67"

    page.select_option("[data-testid=filter-district]", label="南湖区")
    street = page.locator("[data-testid=filter-street]")
    street.locator("option", has_text="建设街道").wait_for(state="attached", timeout=10000)  # fetched for 南湖区
    assert "魏塘街道" not in street.inner_text()  # 嘉善县's streets are not offered for 南湖区
    page.select_option("[data-testid=filter-street]", label="建设街道")
    page.locator("[data-testid=payment-filters] button:has-text('查询')").click()
    page.wait_for_url("**/subsidies/?district=330402&street=330402007**")
    assert page.locator("[data-testid=total-amount]").inner_text() == "3,012,345.67"
    assert "筛选结果共 2 笔" in page.locator("[data-testid=total-row]").inner_text()

    page.locator("[data-testid=unit-switch] >> text=万元").click()
    page.wait_for_url("**unit=wan**")
    assert page.locator("[data-testid=total-amount]").inner_text() == "301.2346"
    assert page.locator("[data-testid=payment-table] thead").inner_text().count("金额（万元）") == 1
    assert page.locator("[data-testid=filter-street]").input_value() == JIANSHE  # the filter is kept
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    finance.shot("list-cascade-total-wan")
    assert (ARTIFACTS / "list-cascade-total-wan.png").stat().st_size > 10_000

    page.locator("[data-testid=filter-reset]").click()
    page.wait_for_url("**/subsidies/")
    assert page.locator("[data-testid=total-amount]").inner_text() == "4,012,345.67"


def test_payment_approval_form_prints_without_menus(portal):
    project = bulk_projects(JIANSHE, 1, prefix="打印")[0]
    pay(project, "100005.00")
    payment = Payment.objects.get(project=project)
    finance = portal("finance_jiaxing")
    page = finance.goto(f"/subsidies/payments/{payment.pk}/print/")
    assert page.locator("[data-testid=upper-amount]").inner_text() == "人民币壹拾万零伍元整"
    assert page.locator("nav").first.is_visible() and page.locator("[data-print]").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav").first.is_visible()  # the menu is not printed
    assert not page.locator("[data-print]").is_visible()  # nor the buttons
    assert page.locator("[data-testid=sign-area]").is_visible()
    finance.shot("print-payment-approval")
