"""Issue #16 item 9 in the money exports: a 富阳 project listed after its plan's period
（行动方案（2021-2023年））carries 超出文件执行期（沿用…） beside its payments in the 拨付台账 list
and its export, and in the 拨付明细表; a project listed within the period does not."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from subsidies import services
from tests.world import fuyang_projects

pytestmark = pytest.mark.django_db
D = dt.date
# Written by hand from the document's title “富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）”
FLAG = ("超出文件执行期（2021—2023年），沿用富阳区城镇未来社区创建工作行动方案（2021-2023年）（征求意见稿）"
        "的规定，待管理员录入延续执行文件（依据：富阳 行动方案（2021-2023年） 标题）")


@pytest.fixture
def paid_projects(users):
    [late] = fuyang_projects(1, listed_on=D(2024, 3, 1), accepted_on=D(2024, 12, 20), spent="8000000",
                             task_year=2024, name="延续期项目")
    [within] = fuyang_projects(1, listed_on=D(2022, 3, 1), accepted_on=D(2022, 12, 20), spent="8000000",
                               name="期内项目")
    services.compute_subsidies(D(2025, 1, 15))
    return late, within


def flags_by_project(rows, header, project_header):
    names, flags = header.index(project_header), header.index("政策执行期说明")
    found = {}
    for row in rows:
        for key in ("延续期项目", "期内项目"):
            if row[names] and key in row[names]:
                found.setdefault(key, set()).add(row[flags] or "")
    return found


def test_payments_ledger_csv_flags_the_project_listed_after_the_period(client_for, paid_projects):
    response = client_for("finance_fuyang").get("/subsidies/export.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = next(r for r in rows if "政策执行期说明" in r)
    found = flags_by_project(rows, header, "项目")
    assert found["延续期项目"] == {FLAG} and found["期内项目"] == {""}


def test_disbursement_workbook_flags_the_project_listed_after_the_period(client_for, paid_projects):
    response = client_for("finance_fuyang").get("/exports/disbursements/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(content))["富阳区"]
    header = [c.value for c in ws[3]]
    found = flags_by_project(list(ws.iter_rows(min_row=4, values_only=True)), header, "项目名称")
    assert found["延续期项目"] == {FLAG} and found["期内项目"] == {""}


def test_the_ledger_page_shows_the_flag_beside_the_payment(client_for, paid_projects):
    page = client_for("finance_fuyang").get("/subsidies/").content.decode()
    assert page.count('data-testid="period-flag"') >= 1 and "超出文件执行期（2021—2023年）" in page
