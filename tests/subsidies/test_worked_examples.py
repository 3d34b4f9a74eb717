"""DOMAIN §6.2 worked examples F1–F4 and the Jiaxing awards of §6.1, end to end: projects
driven through the real workflow, compute_subsidies run as of a day, and the records
(approved subsidy A, payments) and the settlement statement equal the table to the cent."""

import datetime as dt

import pytest

from communities.models import Community, Office, User
from subsidies import services
from subsidies.models import ApprovedSubsidy, Payment
from subsidies.statements import NO_RULE, settlement_statement
from tests.world import money

pytestmark = pytest.mark.django_db
D = dt.date


def ledger(project):
    return [(p.kind, p.payer, p.amount, p.due_on) for p in Payment.objects.filter(project=project).order_by("id")]


def statement_row(project, today):
    statement = settlement_statement(project, today)
    return {line.key: line.amount for line in statement.lines}, statement


def pay_all(user, project, voucher="财拨〔2023〕1号"):
    ids = list(Payment.objects.filter(project=project, state="planned").values_list("pk", flat=True))
    services.approve_payments(user, ids)
    services.mark_paid(user, ids, voucher)


def test_F1_accepted_within_task_year_gets_full_amount_and_saving_reward(drive, compute):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2022, 6, 20), spent="8000000")
    compute(D(2023, 1, 15))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")
    assert ledger(project) == [("settlement", "district", money("9000000"), None)]
    row, statement = statement_row(project, D(2023, 1, 15))
    assert row == {"advance": None, "approved": money("10000000"), "payable": money("8000000"),
                   "borne_by_street": money("0"), "reward": money("1000000"), "total": money("9000000"),
                   "settlement": money("9000000")}
    assert all(line.basis for line in statement.lines)
    assert "富阳 五(三)" in statement.line("reward").basis


def test_F2_year_end_advance_on_31_december_then_settlement_with_overspend(drive, compute, users):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2023, 5, 10), spent="12000000")
    compute(D(2022, 12, 30))
    assert ledger(project) == []  # before 31 December nothing is due
    compute(D(2022, 12, 31))
    assert ledger(project) == [("advance", "district", money("7000000"), D(2022, 12, 31))]
    assert not ApprovedSubsidy.objects.filter(project=project).exists()  # A awaits acceptance
    pay_all(users["finance_fuyang"], project)

    compute(D(2023, 6, 1))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")
    assert ledger(project) == [("advance", "district", money("7000000"), D(2022, 12, 31)),
                               ("settlement", "district", money("3000000"), None)]
    row, _ = statement_row(project, D(2023, 6, 1))
    assert row == {"advance": money("7000000"), "approved": money("10000000"), "payable": money("10000000"),
                   "borne_by_street": money("2000000"), "reward": money("0"), "total": money("10000000"),
                   "settlement": money("3000000")}


def test_F3_provincial_late_acceptance_gets_advance_plus_thirty_percent(drive, compute, users):
    project = drive("fuyang", "provincial", listed_on=D(2021, 9, 1), task_year=2022,
                    accepted_on=D(2023, 3, 1), spent="9000000")
    compute(D(2022, 12, 31))
    pay_all(users["finance_fuyang"], project)
    compute(D(2023, 4, 1))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10600000")
    assert ledger(project) == [("advance", "district", money("7000000"), D(2022, 12, 31)),
                               ("settlement", "district", money("2800000"), None)]
    row, statement = statement_row(project, D(2023, 4, 1))
    assert row == {"advance": money("7000000"), "approved": money("10600000"), "payable": money("9000000"),
                   "borne_by_street": money("0"), "reward": money("800000"), "total": money("9800000"),
                   "settlement": money("2800000")}
    assert "30%" in statement.line("approved").basis


def test_F4_higher_tier_of_same_community_gets_only_the_top_up(drive, compute, community_at):
    community = community_at("330111001", "F4社区")
    municipal = drive("fuyang", "municipal", community=community, listed_on=D(2021, 8, 15), task_year=2022,
                      accepted_on=D(2022, 6, 20), spent="8000000")
    provincial = drive("fuyang", "provincial", community=community, listed_on=D(2022, 10, 1), task_year=2023,
                       accepted_on=D(2023, 10, 1), spent="2000000")
    compute(D(2023, 12, 1))
    assert ApprovedSubsidy.objects.get(project=municipal).amount == money("10000000")
    approved = ApprovedSubsidy.objects.get(project=provincial)
    assert approved.amount == money("2000000")
    assert "补差" in approved.basis
    assert ledger(provincial) == [("settlement", "district", money("2000000"), None)]
    row, _ = statement_row(provincial, D(2023, 12, 1))
    assert row == {"advance": None, "approved": money("2000000"), "payable": money("2000000"),
                   "borne_by_street": money("0"), "reward": money("0"), "total": money("2000000"),
                   "settlement": money("2000000")}


def test_settlement_not_computed_until_spending_is_declared_final(drive, compute):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2022, 6, 20), spent="8000000", spending_final=False)
    compute(D(2023, 1, 15))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")
    assert ledger(project) == []
    _, statement = statement_row(project, D(2023, 1, 15))
    assert "尚未决算" in statement.message


def test_settlement_below_paid_advance_is_to_be_recovered(drive, compute, users):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2023, 5, 10), spent="2000000")
    compute(D(2022, 12, 31))
    pay_all(users["finance_fuyang"], project)
    compute(D(2023, 6, 1))
    # A = 10,000,000; S = 2,000,000 → total 2,000,000 + 4,000,000 reward = 6,000,000; paid 7,000,000
    settlement = Payment.objects.get(project=project, kind="settlement")
    assert settlement.amount == money("-1000000")
    assert settlement.to_recover
    _, statement = statement_row(project, D(2023, 6, 1))
    assert statement.line("settlement").note == "应退回"


# ---------------------------------------------------------------- Jiaxing 三(二)


@pytest.mark.parametrize("tier, each", [("provincial", "3000000"), ("municipal", "500000")])
def test_jiaxing_city_proper_award_on_naming_is_split_half_city_half_district(drive, compute, tier, each):
    project = drive("jiaxing", tier, listed_on=D(2023, 3, 1), accepted_on=D(2023, 9, 1), named_on=D(2023, 10, 8))
    compute(D(2023, 10, 7))
    assert ledger(project) == []  # not yet named on that day
    compute(D(2023, 10, 8))
    assert ledger(project) == [("award", "city", money(each), D(2023, 10, 8)),
                               ("award", "district", money(each), D(2023, 10, 8))]
    assert ApprovedSubsidy.objects.get(project=project).amount == money(each) * 2
    assert all(p.basis.startswith("嘉兴 三(二)") for p in Payment.objects.filter(project=project))
    row, statement = statement_row(project, D(2023, 10, 8))
    assert statement.kind == "award"
    assert row == {"approved": money(each) * 2, "award_city": money(each), "award_district": money(each)}


def test_jiaxing_county_award_is_paid_wholly_by_the_county(drive, compute, users):
    def user(kind, code, name):
        office = Office.objects.get(kind=kind, region__code=code)
        return User.objects.create_user(username=name, password="x", office=office)

    actors = {"street": user(Office.Kind.STREET, "330421001", "street_weitang"),
              "district": user(Office.Kind.DISTRICT_TOWNSCAPE, "330421", "district_jiashan"),
              "city": users["city_jiaxing"], "leading_group": users["leader_jiaxing"]}
    project = drive("jiaxing", "provincial", listed_on=D(2023, 3, 1), accepted_on=D(2023, 9, 1),
                    named_on=D(2023, 10, 8), actors=actors,
                    community=Community.objects.create(name="魏塘测试社区",
                                                       street_id=actors["street"].office.region_id))
    compute(D(2023, 12, 1))
    assert ledger(project) == [("award", "county", money("6000000"), D(2023, 10, 8))]


def test_shaoxing_without_parameters_has_no_award_rule(drive, compute):
    project = drive("shaoxing", "municipal", listed_on=D(2023, 9, 1), accepted_on=D(2024, 3, 1),
                    named_on=D(2024, 3, 2))
    compute(D(2024, 6, 1))
    assert ledger(project) == []
    _, statement = statement_row(project, D(2024, 6, 1))
    assert statement.message == NO_RULE
    assert "绍兴2023 三(二)" in statement.lines[0].basis


def test_acceptance_and_final_spending_recompute_the_community_at_once(drive, django_capture_on_commit_callbacks):
    from projects.models import CreationProject
    from projects.signals import project_facts_changed

    with django_capture_on_commit_callbacks(execute=True):
        project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                        accepted_on=D(2022, 6, 20), spent="8000000")
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")
    with django_capture_on_commit_callbacks(execute=True):
        project_facts_changed.send(sender=CreationProject, project=project)
    assert ledger(project) == [("settlement", "district", money("9000000"), None)]


def test_shaoxing_award_once_an_administrator_sets_the_amounts(drive, compute):
    from projects.models import CreationProject, PolicyVersion

    project = drive("shaoxing", "municipal", listed_on=D(2023, 9, 1), accepted_on=D(2024, 3, 1),
                    named_on=D(2024, 3, 2))
    version = project.policy_version
    with_award = PolicyVersion.objects.create(policy_code="shaoxing-2023", effective_from=D(2024, 1, 1),
                                              parameters={**version.parameters, "award_municipal": "500000.00"})
    CreationProject.objects.filter(pk=project.pk).update(policy_version=with_award)
    compute(D(2024, 6, 1))
    assert ledger(project) == [("award", "district", money("500000"), D(2024, 3, 2))]
    payment = Payment.objects.get(project=project)
    assert payment.basis.startswith("管理员设定参数（绍兴2023 三(二)")
    row, statement = statement_row(CreationProject.objects.get(pk=project.pk), D(2024, 6, 1))
    assert statement.kind == "award" and row["approved"] == money("500000")
