"""Excel import of communities: all rows valid or nothing written; refusals with a message."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from communities.importing import COLUMNS, build_template
from communities.models import Community

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header + ("*" if c.required else "") for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("communities.xlsx", buffer.getvalue(), content_type=XLSX)


def row(name, street="330602001", **overrides):
    values = {"name": name, "code": None, "street": street, "households": 1000,
              "population": 3000, "area_ha": "19.5", "built_period": "1970—1990年代",
              "hollow_precast_slabs": "否", "other_safety_hazards": "", "has_villas": "否",
              "split_by": "无", "admin_community_count": 1, "has_neighbourhood_centre": "是",
              "notes": ""}
    values.update(overrides)
    return [values[c.field] for c in COLUMNS]


def test_template_has_headers_example_row_and_dropdowns(client_for):
    response = client_for("street_tashan").get("/communities/import/template.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "社区名称*"
    assert ws["A2"].value.startswith("示例社区")
    assert len(ws.data_validations.dataValidation) >= 4
    assert build_template()  # pure function, same bytes shape


def test_valid_file_imports_every_row(client_for):
    upload = workbook([row("导入一社区"), row("导入二社区", code="330602001901")])
    response = client_for("street_tashan").post("/communities/import/", {"file": upload})
    assert response.status_code == 302
    imported = Community.objects.filter(name__startswith="导入")
    assert imported.count() == 2
    assert str(imported.get(name="导入一社区").area_ha) == "19.50"


def test_three_bad_rows_are_reported_by_row_and_field_and_nothing_is_written(client_for):
    upload = workbook([
        row("好社区"),
        row("坏户数社区", households="很多"),
        row("越权社区", street="330402007"),
        row("坏年代社区", built_period="明朝"),
    ])
    response = client_for("street_tashan").post("/communities/import/", {"file": upload})
    assert response.status_code == 200
    errors = [(e.row, e.field) for e in response.context["errors"]]
    assert errors == [(3, "户数"), (4, "所属街道（9位代码或名称）"), (5, "建成年代")]
    assert "应为非负整数" in response.content.decode()
    assert not Community.objects.filter(name="好社区").exists()


def test_wrong_file_type_is_refused(client_for):
    upload = SimpleUploadedFile("communities.csv", b"name\n", content_type="text/csv")
    response = client_for("street_tashan").post("/communities/import/", {"file": upload})
    assert "文件类型不正确" in response.context["refused"]


def test_oversize_file_is_refused(client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = workbook([row(f"大社区{i}", notes="x" * 500) for i in range(50)])
    response = client_for("street_tashan").post("/communities/import/", {"file": upload})
    assert "文件过大" in response.context["refused"]


def test_zip_bomb_disguised_as_xlsx_is_refused(client_for):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue(), content_type=XLSX)
    response = client_for("street_tashan").post("/communities/import/", {"file": upload})
    assert "压缩炸弹" in response.context["refused"]
    assert buffer.getbuffer().nbytes < 1024 * 1024


def test_not_a_zip_named_xlsx_is_refused(client_for):
    upload = SimpleUploadedFile("fake.xlsx", b"=cmd|' /C calc'!A0", content_type=XLSX)
    response = client_for("street_tashan").post("/communities/import/", {"file": upload})
    assert "不是有效的 .xlsx" in response.context["refused"]


def test_finance_user_cannot_import(client_for):
    upload = workbook([row("财政社区", street="330402007")])
    response = client_for("finance_jiaxing").post("/communities/import/", {"file": upload})
    assert response.status_code == 200
    assert not Community.objects.filter(name="财政社区").exists()
