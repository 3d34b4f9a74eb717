"""Issue #20 item 16: the OpenAPI schema says what the API does — bare arrays where the API
answers one, the download's real content types, every export kind a job can hold, the error
answers of every operation and the limits of integer filters."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client_for):
    return client_for("admin").get("/api/schema/?format=json").json()


def success(schema, path, method, code="200"):
    return schema["paths"][path][method]["responses"][code]["content"]


def test_history_and_attachments_are_bare_arrays_in_the_schema_and_the_answer(schema, api_for, listed_project,
                                                                             settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = listed_project("shaoxing", listed_on=dt.date(2025, 3, 1))
    api = api_for("street_tashan")
    for part in ("history", "attachments"):
        documented = success(schema, f"/api/projects/{{id}}/{part}/", "get")["application/json"]["schema"]
        assert documented["type"] == "array", (part, documented)
    assert isinstance(api.get(f"/api/projects/{project.pk}/history/").json(), list)
    upload = api.post(f"/api/projects/{project.pk}/attachments/",
                      {"kind": "photo", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}, format="multipart")
    assert upload.status_code == 201 and "201" in schema["paths"]["/api/projects/{id}/attachments/"]["post"][
        "responses"]
    assert isinstance(api.get(f"/api/projects/{project.pk}/attachments/").json(), list)

    download = api.get(f"/api/attachments/{upload.json()['id']}/download/")
    documented_types = set(success(schema, "/api/attachments/{id}/download/", "get"))
    assert download["Content-Type"] in documented_types
    assert {"application/pdf", "image/png", "image/jpeg"} <= documented_types


def test_the_export_job_kind_lists_every_kind_the_list_pages_included(schema):
    kind = schema["components"]["schemas"]["ExportJob"]["properties"]["kind"]
    enum_name = kind["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    enum = set(schema["components"]["schemas"][enum_name]["enum"])
    assert enum == {k.key for k in exports.all_kinds()}
    # written by hand: the reports and the list pages' exports
    assert {"ledger", "disbursements", "community_list", "operation_log", "login_log", "review_queue"} <= enum


def test_every_operation_documents_its_error_answers(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"400", "403", "404"} | ({"409"} if method in ("post", "put", "patch", "delete") else set())
            assert expected <= codes, (method, path, codes)
            assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}


def test_integer_filters_state_their_limits(schema):
    found = 0
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") == "integer":
                    found += 1
                    assert parameter["schema"]["minimum"] >= -(2**63), parameter
                    assert parameter["schema"]["maximum"] <= 2**63 - 1, parameter
    assert found >= 8  # written by hand: project ×5, year, batch_year, community, page
