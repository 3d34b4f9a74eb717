"""Spending input (issue #20 item 8): a double POST of the form creates one row (one-time form
token; the API's Idempotency-Key), and dates like 9999-12-31, amounts of 10^14, Arabic-Indic
and full-width digits, `1_000` and superscripts are refused with a message naming the field —
on the page and on the API, nothing written. Future-dated rows are refused, so the finalise
move and the subsidy run count the same rows."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from projects.models import CreationProject, SpendingRecord, Transition

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


@pytest.fixture
def accepted(drive, clock):
    project = drive("fuyang", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 6, 1))
    clock(TODAY)
    return project


def token_of(page) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', page.content.decode()).group(1)


def test_a_double_post_of_the_form_creates_one_row(accepted, client_for):
    client = client_for("street_fuchun")
    page = client.get(f"/projects/{accepted.pk}/")
    assert 'data-submit-once' in page.content.decode()  # static/js/portal.js disables the button
    form = {"spent_on": "2026-06-30", "amount": "1250.50", "description": "工程款", "form_token": token_of(page)}

    first = client.post(f"/projects/{accepted.pk}/spending/", form, follow=True)
    second = client.post(f"/projects/{accepted.pk}/spending/", form, follow=True)

    assert "实际支出已录入" in first.content.decode()
    assert "重复提交未再录入" in second.content.decode()
    assert list(SpendingRecord.objects.filter(project=accepted).values_list("amount", flat=True)) == [
        Decimal("1250.50")]
    assert token_of(client.get(f"/projects/{accepted.pk}/")) != form["form_token"]  # a new form, a new token


def test_the_api_honours_an_idempotency_key(accepted, api_for):
    api = api_for("street_fuchun")
    body = {"project": accepted.pk, "spent_on": "2026-06-30", "amount": "99.00", "description": "设计费"}
    first = api.post("/api/spending/", body, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee-2026-0001")
    again = api.post("/api/spending/", body, format="json", HTTP_IDEMPOTENCY_KEY="c0ffee-2026-0001")
    other = api.post("/api/spending/", body, format="json")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert SpendingRecord.objects.filter(project=accepted).count() == 2


BAD = [
    ("spent_on", "9999-12-31", "支出日期不能晚于今天（2026-07-01）"),
    ("spent_on", "2026-07-02", "支出日期不能晚于今天（2026-07-01）"),
    ("spent_on", "２０２６-06-01", "格式应为 YYYY-MM-DD（阿拉伯数字）"),
    ("amount", "100000000000000", "请用阿拉伯数字"),  # 10^14: more digits than any sane amount
    ("amount", "1000000000000", "金额应小于1,000,000,000,000元，请核对单位"),  # 10^12
    ("amount", "١٢٣", "请用阿拉伯数字"),  # Arabic-Indic
    ("amount", "１２３", "请用阿拉伯数字"),  # full-width
    ("amount", "1_000", "请用阿拉伯数字"),
    ("amount", "2²", "请用阿拉伯数字"),
    ("amount", "1e5", "请用阿拉伯数字"),
    ("amount", "-5", "金额不能为负数"),
]


@pytest.mark.parametrize("field, value, message", BAD)
def test_bad_amounts_and_dates_are_refused_on_the_api(accepted, api_for, field, value, message):
    body = {"project": accepted.pk, "spent_on": "2026-06-30", "amount": "10.00", "description": "工程款",
            field: value}
    response = api_for("street_fuchun").post("/api/spending/", body, format="json")
    assert response.status_code == 400, response.json()
    assert message in response.json()["errors"][field][0]
    assert not SpendingRecord.objects.exists()


@pytest.mark.parametrize("field, value, message", BAD)
def test_bad_amounts_and_dates_are_refused_on_the_page(accepted, client_for, field, value, message):
    client = client_for("street_fuchun")
    form = {"spent_on": "2026-06-30", "amount": "10.00", "description": "工程款",
            "form_token": token_of(client.get(f"/projects/{accepted.pk}/")), field: value}
    response = client.post(f"/projects/{accepted.pk}/spending/", form, follow=True)
    label = {"amount": "金额（元）", "spent_on": "支出日期"}[field]
    assert f"{label}：" in response.content.decode() and message in response.content.decode()
    assert not SpendingRecord.objects.exists()


def test_a_json_number_of_10_to_the_14_is_refused(accepted, api_for):
    body = {"project": accepted.pk, "spent_on": "2026-06-30", "amount": 10**14, "description": "工程款"}
    response = api_for("street_fuchun").post("/api/spending/", body, format="json")
    assert response.status_code == 400 and "amount" in response.json()["errors"]


def test_the_finalise_and_the_subsidy_run_count_the_same_rows(accepted, users, compute):
    """A row dated after today, left from before this rule, counts in neither."""
    street = users["street_fuchun"]
    SpendingRecord.objects.create(project=accepted, spent_on=dt.date(2026, 6, 1), amount=Decimal("800.00"),
                                  description="工程款", recorded_by=street)
    SpendingRecord.objects.create(project=accepted, spent_on=dt.date(9999, 12, 31), amount=Decimal("5.00"),
                                  description="旧数据", recorded_by=street)
    from projects import reports
    from subsidies.services import spent_subquery

    reports.finalise_spending(street, CreationProject.objects.get(pk=accepted.pk))

    declared = Transition.objects.get(project=accepted, action="finalise_spending").details["spending_total"]
    run = CreationProject.objects.filter(pk=accepted.pk).annotate(spent=spent_subquery(TODAY)).get().spent
    assert declared == "800.00" and run == Decimal("800.00")
