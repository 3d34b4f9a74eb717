"""DOMAIN 4: construction deadline table (4.1), monthly reports, year end, public notice."""

from datetime import date

import pytest

from policies import get_policy
from policies.base import Facts

DISTRICT = {"fuyang-2021": "330111", "jiaxing-2023": "330402",
            "shaoxing-2019": "330602", "shaoxing-2023": "330602"}
LISTED = date(2023, 9, 15)


def project(code, category, flag=False, listed_on=LISTED, tier="provincial") -> Facts:
    return Facts(policy=code, district_code=DISTRICT[code], tier=tier, category=category,
                 involves_demolition=flag and category == "renovation",
                 involves_relocation=flag and category == "new_build", listed_on=listed_on)


# Every cell of the DOMAIN 4.1 table: (policy, category, flag) → expected date or None, basis.
TABLE = [
    ("fuyang-2021", "renovation", False, date(2024, 9, 15), "富阳 四(六)"),
    ("fuyang-2021", "renovation", True, date(2025, 9, 15), "富阳 四(六)"),
    ("fuyang-2021", "new_build", False, date(2026, 9, 15), "富阳 四(六)"),
    ("fuyang-2021", "new_build", True, date(2027, 9, 15), "富阳 四(六)"),
    ("shaoxing-2023", "renovation", False, date(2024, 9, 15), "绍兴2023 二(一)"),
    ("shaoxing-2023", "renovation", True, date(2024, 9, 15), "绍兴2023 二(一)"),
    ("shaoxing-2023", "new_build", False, None, "未设定"),
    ("shaoxing-2023", "new_build", True, None, "未设定"),
    ("jiaxing-2023", "renovation", False, None, "未设定"),
    ("jiaxing-2023", "renovation", True, None, "未设定"),
    ("jiaxing-2023", "new_build", False, None, "未设定"),
    ("jiaxing-2023", "new_build", True, None, "未设定"),
    ("shaoxing-2019", "renovation", False, None, "未设定"),
    ("shaoxing-2019", "renovation", True, None, "未设定"),
    ("shaoxing-2019", "new_build", False, None, "未设定"),
    ("shaoxing-2019", "new_build", True, None, "未设定"),
]


@pytest.mark.parametrize(("code", "category", "flag", "expected", "basis"), TABLE,
                         ids=[f"{c}-{cat}-{'flag' if f else 'plain'}" for c, cat, f, *_ in TABLE])
def test_construction_deadline_follows_the_domain_table(code, category, flag, expected, basis):
    ruling = get_policy(code).construction_deadline(project(code, category, flag))
    assert ruling.date == expected
    assert ruling.basis.startswith(basis)
    assert ruling.label


def test_fuyang_renovation_listed_on_29_february_is_due_28_february_next_year():
    ruling = get_policy("fuyang-2021").construction_deadline(
        project("fuyang-2021", "renovation", listed_on=date(2024, 2, 29)))
    assert ruling.date == date(2025, 2, 28)


def test_fuyang_new_build_with_relocation_listed_on_29_february_keeps_29_february():
    ruling = get_policy("fuyang-2021").construction_deadline(
        project("fuyang-2021", "new_build", flag=True, listed_on=date(2024, 2, 29)))
    assert ruling.date == date(2028, 2, 29)


def test_shaoxing_2023_deadline_is_the_same_for_every_tier():
    policy = get_policy("shaoxing-2023")
    dates = {policy.construction_deadline(project("shaoxing-2023", "renovation", tier=t)).date
             for t in policy.tiers}
    assert dates == {date(2024, 9, 15)}


def test_not_yet_listed_has_no_deadline_and_says_so():
    ruling = get_policy("fuyang-2021").construction_deadline(
        project("fuyang-2021", "renovation", listed_on=None))
    assert ruling.date is None
    assert ruling.basis.startswith("尚未列入创建名单")
    assert "富阳 四(六)" in ruling.basis


def test_silent_document_says_not_set_even_when_not_listed():
    ruling = get_policy("jiaxing-2023").construction_deadline(
        project("jiaxing-2023", "renovation", listed_on=None))
    assert ruling.date is None
    assert ruling.basis == "未设定（嘉兴实施意见未规定建设完成时限）"


def test_administrator_years_fill_a_silent_document_and_the_basis_says_so():
    ruling = get_policy("jiaxing-2023").construction_deadline(
        project("jiaxing-2023", "renovation"), {"years_renovation": 2})
    assert ruling.date == date(2025, 9, 15)
    assert ruling.basis == "管理员设定参数（嘉兴实施意见未规定建设完成时限）"


def test_administrator_years_replacing_the_documents_number_say_so():
    ruling = get_policy("fuyang-2021").construction_deadline(
        project("fuyang-2021", "new_build", flag=True), {"years_new_build_relocation": 5})
    assert ruling.date == date(2028, 9, 15)
    assert ruling.basis == "管理员设定参数（富阳 四(六)）"


def test_administrator_setting_the_documents_own_number_keeps_the_documents_basis():
    ruling = get_policy("fuyang-2021").construction_deadline(
        project("fuyang-2021", "renovation"), {"years_renovation": 1})
    assert ruling.basis == "富阳 四(六)"


@pytest.mark.parametrize(("code", "basis"), [
    ("fuyang-2021", "富阳 五(六) 每月进行评价通报"),
    ("jiaxing-2023", "嘉兴 三(三) 月报月例会制度"),
    ("shaoxing-2023", "绍兴2023 四 每月通报进展情况"),
    ("shaoxing-2019", "平台月报制度（绍兴2019 未规定月报）"),
])
def test_monthly_report_for_a_month_is_due_on_the_5th_of_the_next(code, basis):
    ruling = get_policy(code).monthly_report_due(2023, 4)
    assert ruling.date == date(2023, 5, 5)
    assert ruling.basis == basis


def test_december_report_is_due_in_january_of_the_next_year():
    assert get_policy("jiaxing-2023").monthly_report_due(2023, 12).date == date(2024, 1, 5)


def test_monthly_report_day_is_a_parameter():
    ruling = get_policy("shaoxing-2023").monthly_report_due(2023, 9, {"monthly_report_day": 10})
    assert ruling.date == date(2023, 10, 10)
    assert ruling.basis == "管理员设定参数（绍兴2023 四 每月通报进展情况）"


def test_fuyang_year_end_deadline_is_31_december_of_the_task_year():
    facts = Facts(district_code="330111", tier="municipal", category="renovation",
                  listed_on=date(2021, 8, 15), task_year=2022)
    ruling = get_policy("fuyang-2021").year_end_deadline(facts)
    assert ruling.date == date(2022, 12, 31)
    assert ruling.basis == "富阳 五(三)"


@pytest.mark.parametrize("code", ["jiaxing-2023", "shaoxing-2019", "shaoxing-2023"])
def test_only_fuyang_has_a_year_end_deadline(code):
    assert get_policy(code).year_end_deadline(project(code, "renovation")) is None


def test_shaoxing_2023_public_notice_lasts_7_days():
    assert get_policy("shaoxing-2023").public_notice_days() == 7
    assert get_policy("shaoxing-2023").public_notice_days({"public_notice_days": 10}) == 10


@pytest.mark.parametrize("code", ["fuyang-2021", "jiaxing-2023", "shaoxing-2019"])
def test_other_policies_have_no_public_notice_period(code):
    assert get_policy(code).public_notice_days() is None
