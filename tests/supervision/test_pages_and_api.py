"""Supervision pages, API and Excel: scope (404 outside it), the menu entry, and the cycle of an
inspection 整改单 and a 督办单 through the HTTP interfaces."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from acceptance.models import Deadline
from communities.models import Office
from supervision.models import InspectionOrder

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here
DUE = (TODAY + dt.timedelta(days=14)).isoformat()


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


@pytest.fixture
def project(listed_project):
    return listed_project("shaoxing", listed_on=TODAY - dt.timedelta(days=50))


def inspect_via_api(api_for, project):
    response = api_for("district_yuecheng").post("/api/inspections/", {
        "project": project.pk, "inspected_on": TODAY.isoformat(), "inspectors": "王五",
        "findings": "外立面脚手架未拆除", "items": [{"requirements": "拆除脚手架", "due_on": DUE}]}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_inspection_cycle_through_the_api(api_for, project):
    created = inspect_via_api(api_for, project)
    [item] = created["orders"]
    assert (item["requirements"], item["due_on"], item["state"]) == ("拆除脚手架", DUE, "open")
    street = api_for("street_tashan")
    assert street.post(f"/api/inspection-orders/{item['id']}/review/", {"decision": "close"},
                       format="json").status_code == 403
    replied = street.post(f"/api/inspection-orders/{item['id']}/reply/", {"comment": "已拆除"}, format="json")
    assert replied.status_code == 200 and replied.json()["state"] == "replied"
    again = street.post(f"/api/inspection-orders/{item['id']}/reply/", {"comment": "再回复"}, format="json")
    assert again.status_code == 403
    closed = api_for("district_yuecheng").post(f"/api/inspection-orders/{item['id']}/review/",
                                               {"decision": "close", "comment": "到位"}, format="json")
    assert closed.status_code == 200
    assert [e["action"] for e in closed.json()["events"]] == ["issue", "reply", "close"]


def test_out_of_scope_is_404_on_every_supervision_endpoint(api_for, project):
    item = inspect_via_api(api_for, project)["orders"][0]
    other = api_for("district_nanhu")
    assert other.get(f"/api/inspections/{item['inspection']}/").status_code == 404
    assert other.get(f"/api/inspection-orders/{item['id']}/").status_code == 404
    assert other.post(f"/api/inspection-orders/{item['id']}/reply/", {"comment": "x"}, format="json").status_code == 404
    assert other.post("/api/inspections/", {"project": project.pk}, format="json").status_code == 404
    assert other.get("/api/inspection-orders/").json()["count"] == 0


def test_bad_api_input_is_400_naming_the_field(api_for, project):
    api = api_for("district_yuecheng")
    for body, field in (({"project": 10 ** 30}, "project"),
                        ({"project": project.pk, "inspected_on": "2026/01/01"}, "inspected_on"),
                        ({"project": project.pk, "inspected_on": TODAY.isoformat(), "inspectors": "甲",
                          "findings": "乙", "items": "不是列表"}, "items")):
        response = api.post("/api/inspections/", body, format="json")
        assert response.status_code == 400, (body, response.status_code)
        assert field in str(response.json()), response.json()


def test_supervision_cycle_and_urge_through_the_api(api_for, project):
    district = Office.objects.get(kind="district_townscape", region__code="330602")
    city = api_for("city_shaoxing")
    created = city.post("/api/supervision-orders/", {
        "target_office": district.pk, "projects": [project.pk], "subject": "进度督办",
        "requirements": "请加快进度", "reply_due_on": DUE}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api_for("street_tashan").get(f"/api/supervision-orders/{pk}/").status_code == 404  # addressed above it
    assert api_for("district_yuecheng").post(f"/api/supervision-orders/{pk}/reply/", {"comment": "已推进"},
                                             format="json").json()["state"] == "replied"
    assert city.post(f"/api/supervision-orders/{pk}/review/", {"decision": "accept"},
                     format="json").json()["state"] == "closed"
    late = Deadline.objects.filter(project=project, state="overdue").first()
    urged = city.post("/api/supervision-orders/urge/", {"deadline": late.pk}, format="json")
    assert urged.status_code == 201 and urged.json()["deadline"] == late.pk
    assert city.post("/api/supervision-orders/urge/", {"deadline": late.pk}, format="json").status_code == 200
    assert api_for("city_jiaxing").post("/api/supervision-orders/urge/", {"deadline": late.pk},
                                        format="json").status_code == 404


def test_index_page_lists_in_scope_and_exports_them(client_for, api_for, project):
    inspect_via_api(api_for, project)
    page = client_for("street_tashan").get("/supervision/")
    assert page.status_code == 200 and "拆除脚手架" in page.content.decode()
    assert "拆除脚手架" not in client_for("street_jianshe").get("/supervision/").content.decode()
    response = client_for("district_yuecheng").get("/supervision/orders.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "拆除脚手架" in values and "待整改" in values


def test_menu_offers_supervision_to_offices_that_act_and_not_to_finance(client_for):
    # client_for logs the one test client in as each user in turn
    assert "检查整改与督办" in client_for("district_yuecheng").get("/").content.decode()
    assert "检查整改与督办" in client_for("street_tashan").get("/").content.decode()
    assert "检查整改与督办" not in client_for("finance_jiaxing").get("/").content.decode()
    assert client_for("finance_jiaxing").get("/supervision/").status_code == 403


def test_inspection_form_and_detail_pages_run_the_cycle(client_for, project):
    district = client_for("district_yuecheng")
    assert "录入检查并下达整改单" in district.get(f"/projects/{project.pk}/").content.decode()
    response = district.post(f"/supervision/projects/{project.pk}/inspect/", {
        "inspected_on": TODAY.isoformat(), "inspectors": "赵六", "findings": "道路破损",
        "requirements": ["修复道路", ""], "due_on": [DUE, ""]})
    assert response.status_code == 302
    item = InspectionOrder.objects.get(inspection__project=project)
    street = client_for("street_tashan")
    street.post(f"/supervision/items/{item.pk}/reply/", {"comment": "已修复"})
    client_for("district_yuecheng").post(f"/supervision/items/{item.pk}/review/",
                                         {"decision": "close", "comment": "同意销号"})
    item.refresh_from_db()
    assert item.state == "closed"
    detail = client_for("street_tashan").get(f"/supervision/inspections/{item.inspection_id}/").content.decode()
    assert "已销号" in detail and "同意销号" in detail


def test_index_list_queries_do_not_grow_with_rows(client_for, api_for, project, django_assert_max_num_queries):
    inspect_via_api(api_for, project)
    client = client_for("city_shaoxing")
    client.get("/supervision/")
    with CaptureQueriesContext(connection) as first:
        client.get("/supervision/")
        one_row = len(first.captured_queries)
    for _ in range(3):
        inspect_via_api(api_for, project)
    assert one_row > 5
    with django_assert_max_num_queries(one_row):
        assert client.get("/supervision/").content.decode().count("拆除脚手架") == 4
