"""The 奖补资金 ledger as a list page (issue #15): 合计 over the whole filtered set, 元 / 万元,
区县 → 街道 filter, page size and jump, rows finance may not act on carry no checkbox, export
of the selection, constant queries. Amounts are written by hand."""

import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from subsidies.models import Payment
from tests.lists import assert_query_count_is_constant, body, page_rows, queries
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
JIANSHE, NANHU, JIASHAN_STREET = "330402007", "330402", "330421001"


def pay(project, amount, payer="city", state="planned", trigger="t"):
    return Payment.objects.create(project=project, kind="award", payer=payer, trigger=trigger, amount=Decimal(amount),
                                  fiscal_year=2025, basis="嘉兴 测试依据", computed_at=timezone.now(), state=state)


@pytest.fixture
def ledger(db):
    """12 city-paid tranches of 1,234,567.89 in 建设街道 and one district-paid 500,000.00."""
    made = bulk_projects(JIANSHE, 13)
    rows = [pay(p, "1234567.89") for p in made[:12]]
    rows.append(pay(made[12], "500000.00", payer="district"))
    return rows


def cells(text, testid):
    match = re.search(rf'data-testid="{testid}">([^<]*)<', text)
    return match.group(1).strip() if match else None


def test_total_row_sums_the_whole_filtered_set_not_the_page(client_for, ledger):
    client = client_for("finance_jiaxing")
    response = client.get("/subsidies/", {"size": "10"})
    text = response.content.decode()
    assert len(page_rows(response)) == 10
    # 12 × 1,234,567.89 + 500,000.00 = 14,814,814.68 + 500,000.00
    assert cells(text, "total-amount") == "15,314,814.68"
    assert "合计（筛选结果共 13 笔，单位：元）" in text
    filtered = client.get("/subsidies/", {"payer": "district"}).content.decode()
    assert cells(filtered, "total-amount") == "500,000.00"


def test_wan_switch_shows_amounts_and_total_in_wan(client_for, ledger):
    text = client_for("finance_jiaxing").get("/subsidies/", {"unit": "wan"}).content.decode()
    assert cells(text, "total-amount") == "1,531.4815"  # 15,314,814.68 元, half up to 0.0001 万元
    assert "123.4568" in text and "金额（万元）" in text and "1,234,567.89" not in text
    assert 'href="?unit=wan"' in client_for("finance_jiaxing").get("/subsidies/").content.decode()


def test_rows_finance_may_not_act_on_carry_no_checkbox(client_for, ledger):
    paid = ledger[0]
    Payment.objects.filter(pk=paid.pk).update(state="approved")
    Payment.objects.filter(pk=paid.pk).update(state="paid", voucher_no="嘉财拨1号", paid_at=timezone.now())
    text = client_for("finance_jiaxing").get("/subsidies/", {"size": "20"}).content.decode()
    boxes = set(re.findall(r'name="ids" value="(\d+)"', text))
    city_unpaid = {str(p.pk) for p in ledger[1:12]}
    assert boxes == city_unpaid  # the district-paid row (区财政) and the paid row have none


def test_page_size_and_jump_keep_the_filters(client_for, ledger):
    client = client_for("finance_jiaxing")
    second = client.get("/subsidies/", {"payer": "city", "size": "10", "page": "2"})
    assert len(page_rows(second)) == 2 and second.context["listing"].offset == 10
    text = second.content.decode()
    assert '<td class="seq">11</td>' in text and '<td class="seq">12</td>' in text
    assert '<input type="hidden" name="payer" value="city">' in text  # the jump form keeps the filter
    assert '<option value="10" selected>' in text
    assert len(page_rows(client.get("/subsidies/", {"size": "7"}))) == 13  # not offered: the default 50


def test_district_and_street_filters_are_names_within_scope(client_for, ledger):
    client = client_for("finance_jiaxing")
    text = client.get("/subsidies/", {"district": NANHU}).content.decode()
    assert '<option value="330402" selected>南湖区</option>' in text
    assert '<option value="330402007">建设街道</option>' in text
    assert '>柯桥区<' not in text and '>越城区<' not in text  # Shaoxing is not the user's scope
    assert client.get("/subsidies/", {"district": "330602"}).status_code == 404
    assert len(page_rows(client.get("/subsidies/", {"street": JIANSHE}))) == 13
    assert client.get("/subsidies/", {"street": "330602001"}).status_code == 404


def test_export_of_the_selection_holds_only_the_selected_rows_in_wan(client_for, ledger):
    chosen = [ledger[0].pk, ledger[12].pk]
    response = client_for("finance_jiaxing").get("/subsidies/export.xlsx", {"ids": chosen, "unit": "wan"})
    ws = load_workbook(io.BytesIO(body(response))).active
    header = [c.value for c in ws[3]]
    amount = header.index("金额（万元）")
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert sorted(r[amount] for r in rows) == [50.0, 123.4568]
    assert ws.cell(2, len(header)).value == "共 2 条    单位：万元"
    name = response["Content-Disposition"]
    assert "%E5%A5%96%E8%A1%A5%E8%B5%84%E9%87%91%E6%8B%A8%E4%BB%98%E5%8F%B0%E8%B4%A6_" in name  # 奖补资金拨付台账_


def test_ledger_query_count_with_totals_is_constant(client_for, ledger):
    client = client_for("finance_jiaxing")
    assert_query_count_is_constant(client, "/subsidies/", {"unit": "wan", "district": NANHU},
                                   lambda: [pay(p, "100.00") for p in bulk_projects(JIANSHE, 20, prefix="追加")])
    assert queries(client, "/subsidies/summary/", {"unit": "wan"}) == queries(client, "/subsidies/summary/", {})


def test_csv_export_of_the_ledger_in_wan(client_for, ledger):
    response = client_for("finance_jiaxing").get("/subsidies/export.csv", {"unit": "wan", "payer": "district"})
    lines = body(response).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert "金额（万元）" in header
    assert lines[1].split(",")[header.index("金额（万元）")] == "50.0000"


def test_statement_page_offers_a_checkbox_only_for_the_bureaus_own_unpaid_tranches(client_for, ledger):
    district_paid = ledger[12]
    city = pay(district_paid.project, "700000.00", trigger="另一笔")
    text = client_for("finance_jiaxing").get(f"/subsidies/projects/{district_paid.project_id}/").content.decode()
    assert re.findall(r'name="ids" value="(\d+)"', text) == [str(city.pk)]


def test_summary_query_count_is_constant(client_for, ledger):
    assert_query_count_is_constant(client_for("finance_jiaxing"), "/subsidies/summary/", {"unit": "wan"},
                                   lambda: [pay(p, "100.00") for p in bulk_projects(JIANSHE, 20, prefix="追加")])
