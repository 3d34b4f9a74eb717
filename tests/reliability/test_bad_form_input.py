"""Issue #20 item 9, the reported cases one by one: each malformed input gets a Chinese message
naming the field and changes nothing (they answered 500 before)."""

import pytest
from django.db.models.signals import post_save

from acceptance.models import AcceptanceBatch, NamingBatch
from communities.models import Community
from tests.communities.test_import import row, workbook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("task_year", ["²", "２０２６", "٢٠٢٦", "9" * 30])
def test_what_if_names_a_task_year_that_is_not_a_year(client_for, task_year):
    response = client_for("street_tashan").get("/projects/what-if/", {
        "policy": "shaoxing-2019", "district_code": "330602", "tier": "provincial", "category": "renovation",
        "listed_on": "2024-05-01", "task_year": task_year})
    assert response.status_code == 200
    assert "task_year" in str(response.context["error"])


def test_what_if_names_an_amount_too_large(client_for):
    response = client_for("street_tashan").get("/projects/what-if/", {
        "policy": "shaoxing-2019", "district_code": "330602", "tier": "provincial", "category": "renovation",
        "listed_on": "2024-05-01", "spent": "9" * 30})
    assert response.status_code == 200 and "spent" in str(response.context["error"])


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "ad_hoc", "title": "验收", "projects": ["1"]}, "验收日期"),  # held_on missing
    ({"kind": "ad_hoc", "held_on": "2026-05-01", "title": "长" * 121, "projects": ["1"]}, "批次名称"),
    ({"kind": "ad_hoc", "held_on": "2026-05-01", "title": "验收\n批次", "projects": ["1"]}, "批次名称"),
    ({"kind": "ad_hoc", "held_on": "2026-05-01", "title": "验收", "projects": ["²", "1" * 40]}, "项目"),
])
def test_the_acceptance_batch_form_names_a_missing_or_overlong_field(client_for, data, field):
    response = client_for("city_shaoxing").post("/acceptance/batches/acceptance/new/", data, follow=True)
    assert response.status_code == 200
    assert any(field in str(m) for m in response.context["messages"]), list(response.context["messages"])
    assert not AcceptanceBatch.objects.exists()


@pytest.mark.parametrize(("data", "field"), [
    ({"title": "命名", "document_no": "绍文1号", "projects": ["1"]}, "命名日期"),
    ({"title": "命名", "named_on": "2026-05-01", "projects": ["1"]}, "命名文号"),
    ({"title": "命名", "document_no": "号" * 81, "named_on": "2026-05-01", "projects": ["1"]}, "命名文号"),
])
def test_the_naming_batch_form_names_a_missing_or_overlong_field(client_for, data, field):
    client = client_for("city_shaoxing")
    # Naming cannot be undone: a bare POST gets the confirmation page first and records nothing.
    asked = client.post("/acceptance/batches/naming/new/", data)
    assert asked.status_code == 200 and "portal/confirm.html" in [t.name for t in asked.templates]
    assert not NamingBatch.objects.exists()
    response = client.post("/acceptance/batches/naming/new/", {**data, "confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert any(field in str(m) for m in response.context["messages"]), list(response.context["messages"])
    assert not NamingBatch.objects.exists()


@pytest.mark.parametrize(("field", "value", "header"), [
    ("area_ha", "1e30", "面积"), ("area_ha", 1e30, "面积"), ("households", "²", "户数"),
    ("households", "１２", "户数"), ("population", "9" * 30, "人口")])
def test_the_community_import_names_a_bad_number(client_for, field, value, header):
    response = client_for("street_tashan").post("/communities/import/", {
        "file": workbook([row("新塔社区", **{field: value})])})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors and any(header in e.field for e in errors), errors
    assert not Community.objects.filter(name="新塔社区").exists()


def test_two_identical_imports_at_once_give_a_message_not_a_500(client_for, monkeypatch):
    """The other import commits between this one's checks and its insert."""
    from communities import importing

    real = Community.objects.bulk_create

    def the_other_import_first(objs, *args, **kwargs):
        real([Community(name=c.name, street=c.street) for c in objs])
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Community.objects, "bulk_create", the_other_import_first)
    client = client_for("street_tashan")
    client.raise_request_exception = False
    response = client.post("/communities/import/", {"file": workbook([row("并发社区甲"), row("并发社区乙")])})
    assert response.status_code == 200
    assert "另一次导入" in response.context["refused"]
    assert importing is not None and post_save is not None
