"""The settlement statement shows the policy's own explanation (SubsidyRuling.lines) and
recomputes nothing: DOMAIN §6.2 worked example F2, every line's text and amount written
by hand (municipal, task year 2022, accepted 2023-05-10, S = 12,000,000)."""

import datetime as dt
import re
from html import unescape

import pytest

from subsidies import services
from subsidies.models import Payment
from subsidies.statements import settlement_statement
from tests.world import money

pytestmark = pytest.mark.django_db
D = dt.date

F2_LINES = [
    ("advance", "年底预拨", "7000000",
     "富阳 五(三)：任务年度2022年12月31日前未通过验收（当年未完成创建任务）的，当日核定 "
     "min(70% × 10,000,000.00, 7,000,000.00)"),
    ("approved", "核定补助A", "10000000", "富阳 五(三)：预拨 7,000,000.00 + 验收通过后再拨付 30% × 10,000,000.00"),
    ("payable", "应付（按实际补助）", "10000000",
     "min(实际支出S 12,000,000.00, A 10,000,000.00)；富阳 五(三) 最终支出额未超核定补助的，按实际补助"),
    ("borne_by_street", "街道承担", "2000000",
     "max(0, S − A)；富阳 五(三) 创建支出额超出核定补助的部分由乡镇（街道）全额承担"),
    ("reward", "结余奖励", "0", "50% × max(0, A − S)；富阳 五(三) 最终支出额低于核定补助部分，区财政奖励"),
    ("total", "合计", "10000000", "应付 + 结余奖励"),
    ("settlement", "决算拨付", "3000000", "合计 10,000,000.00 − 已预拨 7,000,000.00"),
]


@pytest.fixture
def f2(drive, compute, users):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2023, 5, 10), spent="12000000")
    compute(D(2022, 12, 31))
    ids = list(Payment.objects.filter(project=project).values_list("pk", flat=True))
    services.approve_payments(users["finance_fuyang"], ids)
    services.mark_paid(users["finance_fuyang"], ids, "财拨〔2022〕9号")
    compute(D(2023, 6, 1))
    return project


def test_F2_statement_shows_exactly_the_rulings_lines(f2):
    statement = settlement_statement(f2, D(2023, 6, 1))
    expected = [(key, label, money(amount), basis) for key, label, amount, basis in F2_LINES]
    assert [(line.key, line.label, line.amount, line.basis) for line in statement.lines] == expected
    _, ruling = services.project_ruling(f2, D(2023, 6, 1))
    assert [(line.key, line.label, line.amount, line.basis) for line in ruling.lines] == expected
    assert statement.kind == "settlement" and statement.message == ""


def test_F2_statement_page_renders_the_same_lines(client_for, f2):
    page = client_for("finance_fuyang").get(f"/subsidies/projects/{f2.pk}/").content.decode()
    rows = re.findall(r'<tr data-line="(\w+)"><td>(.*?)</td>\s*<td class="money">(.*?)</td>\s*'
                      r'<td class="basis">(.*?)</td></tr>', page, re.S)
    assert [(key, unescape(label), amount, unescape(re.sub(r"<[^>]+>", "", basis)))
            for key, label, amount, basis in rows] == [
        (key, label, f"{money(amount):,.2f}", basis) for key, label, amount, basis in F2_LINES]
    # each basis links to its clause in the policy library
    assert '<a class="basis-link" href="/policies/#fuyang-5-3">富阳 五(三)</a>' in rows[0][3]


def test_before_31_december_the_advance_is_explained_but_not_yet_shown(f2):
    statement = settlement_statement(f2, D(2022, 12, 30))
    assert [(line.key, line.amount) for line in statement.lines] == [("advance", None), ("approved", None)]
    assert statement.line("advance").basis == F2_LINES[0][3]
    assert statement.message == "尚未通过验收：核定补助A待验收通过后确定"
    assert settlement_statement(f2, D(2022, 12, 31)).line("advance").amount == money("7000000")
