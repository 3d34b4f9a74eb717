"""GET /api/payments/?project=<id> (CONTRACTS §5), bulk 核定/拨付, settlement statement:
finance only (403 for others who can see), 404 outside the caller's scope."""

import datetime as dt

import pytest

from subsidies import services
from subsidies.models import Payment
from tests.world import finance_user, fuyang_projects, money

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def settled(db):
    project = fuyang_projects(1, accepted_on=D(2022, 6, 20), spent="8000000")[0]
    services.compute_subsidies(D(2023, 1, 15))
    return project, Payment.objects.get(project=project)


def test_payments_of_a_project_with_the_contract_fields(api_for, settled):
    project, _payment = settled
    body = api_for("finance_fuyang").get(f"/api/payments/?project={project.pk}").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert {"kind", "amount", "payer", "state", "due_on", "basis", "id", "project", "trigger", "reason",
            "voucher_no"} <= set(row)
    assert (row["kind"], row["amount"], row["payer"], row["state"], row["due_on"]) == (
        "settlement", "9000000.00", "district", "planned", None)
    assert row["basis"].startswith("富阳 五(三)")


def test_approve_then_mark_paid_by_the_paying_finance_bureau(api_for, settled):
    _, payment = settled
    finance = api_for("finance_fuyang")
    response = finance.post("/api/payments/approve/", {"ids": [payment.pk]}, format="json")
    assert response.status_code == 200 and response.json() == {"changed": [payment.pk], "skipped": []}
    again = finance.post("/api/payments/approve/", {"ids": [payment.pk]}, format="json")
    assert again.status_code == 409 and "未作任何修改" in again.json()["detail"]

    missing = finance.post("/api/payments/mark_paid/", {"ids": [payment.pk]}, format="json")
    assert missing.status_code == 400 and "voucher_no" in missing.json()["errors"]
    blank = finance.post("/api/payments/mark_paid/", {"ids": [payment.pk], "voucher_no": " "}, format="json")
    assert blank.status_code == 400
    paid = finance.post("/api/payments/mark_paid/", {"ids": [payment.pk], "voucher_no": "财拨〔2023〕5号"},
                        format="json")
    assert paid.status_code == 200
    payment.refresh_from_db()
    assert (payment.state, payment.voucher_no) == ("paid", "财拨〔2023〕5号")
    twice = finance.post("/api/payments/mark_paid/", {"ids": [payment.pk], "voucher_no": "X"}, format="json")
    assert twice.status_code == 409


@pytest.mark.parametrize("username", ["district_fuyang", "street_fuchun", "admin"])
def test_users_who_see_the_payment_but_are_not_its_finance_get_403(api_for, settled, username):
    _, payment = settled
    api = api_for(username)
    assert api.get(f"/api/payments/{payment.pk}/").status_code == 200
    response = api.post("/api/payments/approve/", {"ids": [payment.pk]}, format="json")
    assert response.status_code == 403 and "财政局" in response.json()["detail"]
    assert Payment.objects.get(pk=payment.pk).state == "planned"


@pytest.mark.parametrize("username", ["finance_jiaxing", "city_shaoxing", "street_yinhu", "district_nanhu"])
def test_outside_scope_everything_is_404(api_for, settled, username):
    project, payment = settled
    api = api_for(username)
    assert api.get(f"/api/payments/?project={project.pk}").json()["count"] == 0
    assert api.get(f"/api/payments/{payment.pk}/").status_code == 404
    assert api.get(f"/api/settlements/{project.pk}/").status_code == 404
    assert api.post("/api/payments/approve/", {"ids": [payment.pk]}, format="json").status_code == 404
    assert api.post("/api/payments/mark_paid/", {"ids": [payment.pk], "voucher_no": "x"},
                    format="json").status_code == 404


def test_a_city_bureau_pays_the_city_share_and_not_the_districts(api_for, drive):
    project = drive("jiaxing", "municipal", listed_on=D(2023, 3, 1), accepted_on=D(2023, 9, 1),
                    named_on=D(2023, 10, 8))
    services.compute_subsidies(D(2023, 11, 1))
    city = Payment.objects.get(project=project, payer="city")
    district = Payment.objects.get(project=project, payer="district")
    api = api_for("finance_jiaxing")
    refused = api.post("/api/payments/approve/", {"ids": [city.pk, district.pk]}, format="json")
    assert refused.status_code == 403 and "区财政" in refused.json()["detail"]
    assert api.post("/api/payments/approve/", {"ids": [city.pk]}, format="json").status_code == 200
    nanhu = finance_user("330402", "finance_nanhu")
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(nanhu)
    assert client.post("/api/payments/approve/", {"ids": [district.pk]}, format="json").status_code == 200
    assert client.post("/api/payments/approve/", {"ids": [city.pk]}, format="json").status_code == 403


def test_settlement_endpoint_gives_every_number_with_its_basis(api_for, settled):
    project, _ = settled
    body = api_for("street_fuchun").get(f"/api/settlements/{project.pk}/").json()
    assert body["kind"] == "settlement"
    lines = {line["key"]: line for line in body["lines"]}
    assert lines["settlement"]["amount"] == "9000000.00"
    assert lines["reward"]["amount"] == "1000000.00"
    assert all(line["basis"] for line in body["lines"])


def test_totals_are_summed_in_sql_by_state(api_for, settled):
    fuyang_projects(2, accepted_on=D(2022, 6, 20), spent="9000000")
    services.compute_subsidies(D(2023, 1, 15))
    body = api_for("finance_fuyang").get("/api/payments/totals/").json()
    assert body["count"] == 3
    assert money(body["total"]) == money("9000000") + 2 * money("9500000")
    assert money(body["planned"]) == money(body["total"])


def test_bad_ids_are_a_clear_400(api_for, settled):
    api = api_for("finance_fuyang")
    response = api.post("/api/payments/approve/", {"ids": []}, format="json")
    assert response.status_code == 400 and "ids" in response.json()["errors"]
    response = api.post("/api/payments/approve/", {"ids": ["abc"]}, format="json")
    assert response.status_code == 400


def test_a_method_not_allowed_is_still_404_outside_scope(api_for, settled):
    project, payment = settled
    for url in (f"/api/payments/{payment.pk}/", f"/api/settlements/{project.pk}/"):
        assert api_for("finance_jiaxing").post(url).status_code == 404
        assert api_for("finance_fuyang").post(url).status_code == 405
