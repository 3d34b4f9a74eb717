"""Finance exports in 万元 (issue #15): the unit line and the amount headers say so, amounts are
converted half up to 0.0001 万元, 合计 too; the file name is <title>_<scope>_<date>; a bad
unit is a message naming the field. Amounts written by hand."""

import csv
import io
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from subsidies.models import Payment
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
JIANSHE = "330402007"


@pytest.fixture
def payments(db):
    made = bulk_projects(JIANSHE, 2)
    for project, amount in zip(made, ("3000000.00", "12345.67"), strict=True):
        Payment.objects.create(project=project, kind="award", payer="city", trigger="命名", fiscal_year=2025,
                               amount=Decimal(amount), basis="嘉兴 实施意见", computed_at=timezone.now())


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_disbursements_in_wan(client_for, payments):
    response = client_for("finance_jiaxing").get("/exports/disbursements/", {"year": "2025", "unit": "wan"})
    book = load_workbook(io.BytesIO(content(response)))
    ws = book["南湖区"]
    header = [c.value for c in ws[3]]
    col = header.index("金额（万元）")
    assert ws.cell(2, len(header)).value == "单位：万元"
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    end = next(i for i, row in enumerate(rows) if row[0] == "合计")
    assert sorted(r[col] for r in rows[:end]) == [1.2346, 300.0]
    assert rows[end][col] == 301.2346  # 3,012,345.67 元
    assert ws.cell(4, col + 1).number_format == "#,##0.0000"
    name = unquote(response["Content-Disposition"].split("''")[-1])
    assert re.fullmatch(r"奖补资金拨付明细表（2025年度）_嘉兴市_\d{8}\.xlsx", name), name


def test_disbursements_csv_in_wan(client_for, payments):
    response = client_for("finance_jiaxing").get("/exports/disbursements/", {"format": "csv", "unit": "wan"})
    rows = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    col = rows[0].index("金额（万元）")
    assert sorted(r[col] for r in rows[1:]) == ["1.2346", "300.0000"]


def test_ledger_report_writes_the_year_as_a_number(client_for, payments):
    response = client_for("finance_jiaxing").get("/exports/ledger/")
    ws = load_workbook(io.BytesIO(content(response)))["南湖区"]
    col = [c.value for c in ws[3]].index("创建年度") + 1
    assert ws.cell(4, col).value == 2025 and ws.cell(4, col).number_format == "0"


def test_a_bad_unit_names_the_field(client_for, payments):
    response = client_for("finance_jiaxing").get("/exports/disbursements/", {"unit": "千元"}, follow=True)
    assert "金额单位应为元或万元" in response.content.decode()


def test_export_page_offers_the_unit_for_money_reports(client_for):
    text = client_for("finance_jiaxing").get("/exports/").content.decode()
    assert text.count('<option value="wan">单位：万元</option>') == 3  # 拨付明细表, 项目台账, 逾期预警清单
