"""富阳 五(三): the worked examples F1–F4 of DOMAIN 6.2 and the rules' invariants."""

import json
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from policies import get_policy
from policies.base import Facts
from policies.simulate import simulate

FUYANG = get_policy("fuyang-2021")
M = Decimal


def project(**changes) -> Facts:
    values = dict(policy="fuyang-2021", district_code="330111", tier="municipal",
                  category="renovation", listed_on=date(2021, 8, 15))
    values.update(changes)
    return Facts(**values)


def facts_json(tier, task_year, accepted_on, spent, prior=()):
    return {
        "policy": "fuyang-2021", "district_code": "330111", "tier": tier,
        "category": "renovation", "listed_on": f"{task_year - 1}-09-01", "task_year": task_year,
        "accepted_on": accepted_on, "spent": spent,
        "prior_approved_for_community": [{"tier": t, "approved": a} for t, a in prior],
    }


# ------------------------------------------------------------------ F1–F4 through Policy.subsidy()


def test_f1_municipal_accepted_within_task_year_gets_full_amount_and_saving_reward():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2022, 6, 20),
                                    spent=M("8000000.00")))
    assert ruling.approved == M("10000000.00")
    assert [p.kind for p in ruling.payments] == ["settlement"]
    s = ruling.settlement
    assert (s.payable, s.borne_by_street, s.reward, s.total, s.payment) == (
        M("8000000.00"), M("0.00"), M("1000000.00"), M("9000000.00"), M("9000000.00"))
    assert ruling.basis == ["富阳 五(三)"]


def test_f2_municipal_accepted_after_task_year_gets_advance_then_30_percent():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2023, 5, 10),
                                    spent=M("12000000.00")))
    advance = ruling.payments[0]
    assert (advance.kind, advance.amount, advance.payer, advance.due_on, advance.trigger) == (
        "advance", M("7000000.00"), "district", date(2022, 12, 31), "year_end_advance:2022")
    assert ruling.approved == M("10000000.00")
    s = ruling.settlement
    assert (s.payable, s.borne_by_street, s.reward, s.total, s.payment) == (
        M("10000000.00"), M("2000000.00"), M("0.00"), M("10000000.00"), M("3000000.00"))
    assert ruling.payments[1].amount == M("3000000.00")


def test_f3_provincial_accepted_after_task_year_advance_is_capped_at_7_million():
    ruling = FUYANG.subsidy(project(tier="provincial", task_year=2022,
                                    accepted_on=date(2023, 3, 1), spent=M("9000000.00")))
    assert ruling.payments[0].amount == M("7000000.00")
    assert ruling.approved == M("10600000.00")
    s = ruling.settlement
    assert (s.payable, s.borne_by_street, s.reward, s.total, s.payment) == (
        M("9000000.00"), M("0.00"), M("800000.00"), M("9800000.00"), M("2800000.00"))


def test_f4_provincial_after_municipal_in_same_community_gets_only_the_top_up():
    ruling = FUYANG.subsidy(project(
        tier="provincial", task_year=2023, accepted_on=date(2023, 10, 1), spent=M("2000000.00"),
        prior_approved_for_community=(("municipal", M("10000000.00")),)))
    assert ruling.approved == M("2000000.00")
    assert [p.kind for p in ruling.payments] == ["settlement"]
    s = ruling.settlement
    assert (s.payable, s.borne_by_street, s.reward, s.total, s.payment) == (
        M("2000000.00"), M("0.00"), M("0.00"), M("2000000.00"), M("2000000.00"))
    assert [w.code for w in ruling.warnings] == ["community_cap_top_up"]


# ------------------------------------------------------------------ F1–F4 through simulate()


def test_f1_through_simulate_json():
    result = simulate(facts_json("municipal", 2022, "2022-06-20", "8000000.00"))
    assert result["subsidy"] == {
        "approved": "10000000.00",
        "payments": [{"kind": "settlement", "amount": "9000000.00", "payer": "district",
                      "due_on": None}],
        "settlement": {"payable": "8000000.00", "borne_by_street": "0.00",
                       "reward": "1000000.00", "total": "9000000.00", "payment": "9000000.00"},
        "basis": ["富阳 五(三)"],
    }


def test_f2_through_simulate_json():
    result = simulate(facts_json("municipal", 2022, "2023-05-10", "12000000.00"))
    assert result["subsidy"]["payments"] == [
        {"kind": "advance", "amount": "7000000.00", "payer": "district", "due_on": "2022-12-31"},
        {"kind": "settlement", "amount": "3000000.00", "payer": "district", "due_on": None},
    ]
    assert result["subsidy"]["approved"] == "10000000.00"
    assert result["subsidy"]["settlement"] == {
        "payable": "10000000.00", "borne_by_street": "2000000.00", "reward": "0.00",
        "total": "10000000.00", "payment": "3000000.00"}


def test_f3_through_simulate_json():
    result = simulate(facts_json("provincial", 2022, "2023-03-01", "9000000.00"))
    assert result["subsidy"]["approved"] == "10600000.00"
    assert result["subsidy"]["payments"] == [
        {"kind": "advance", "amount": "7000000.00", "payer": "district", "due_on": "2022-12-31"},
        {"kind": "settlement", "amount": "2800000.00", "payer": "district", "due_on": None},
    ]
    assert result["subsidy"]["settlement"] == {
        "payable": "9000000.00", "borne_by_street": "0.00", "reward": "800000.00",
        "total": "9800000.00", "payment": "2800000.00"}


def test_f4_through_simulate_json():
    result = simulate(facts_json("provincial", 2023, "2023-10-01", "2000000.00",
                                 prior=[("municipal", "10000000.00")]))
    assert result["subsidy"]["approved"] == "2000000.00"
    assert result["subsidy"]["payments"] == [
        {"kind": "settlement", "amount": "2000000.00", "payer": "district", "due_on": None}]
    assert result["subsidy"]["settlement"] == {
        "payable": "2000000.00", "borne_by_street": "0.00", "reward": "0.00",
        "total": "2000000.00", "payment": "2000000.00"}
    assert [w["code"] for w in result["warnings"]] == ["community_cap_top_up"]
    json.dumps(result)


# ------------------------------------------------------------------ other rulings


def test_before_acceptance_only_the_conditional_year_end_advance_is_listed():
    ruling = FUYANG.subsidy(project(task_year=2022))
    assert ruling.approved is None
    assert ruling.settlement is None
    assert [(p.kind, p.amount, p.due_on) for p in ruling.payments] == [
        ("advance", M("7000000.00"), date(2022, 12, 31))]


def test_task_year_defaults_to_the_construction_deadline_year():
    # new_build listed 2021-08-15: deadline 2024-08-15, so the task year is 2024
    ruling = FUYANG.subsidy(project(category="new_build"))
    assert ruling.payments[0].due_on == date(2024, 12, 31)
    assert FUYANG.year_end_deadline(project(category="new_build")).date == date(2024, 12, 31)


def test_without_task_year_or_listing_nothing_is_approved_and_a_warning_says_why():
    ruling = FUYANG.subsidy(project(listed_on=None, accepted_on=date(2023, 1, 1)))
    assert ruling.approved is None
    assert ruling.payments == []
    assert [w.code for w in ruling.warnings] == ["task_year_unknown"]


def test_accepted_without_spending_has_approved_amount_but_no_settlement():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2022, 12, 31)))
    assert ruling.approved == M("10000000.00")
    assert ruling.settlement is None
    assert ruling.payments == []


def test_acceptance_on_31_december_of_task_year_counts_as_within_the_year():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2022, 12, 31),
                                    spent=M("10000000.00")))
    assert ruling.approved == M("10000000.00")
    assert [p.kind for p in ruling.payments] == ["settlement"]


def test_spending_below_the_advance_gives_a_negative_settlement_to_recover():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2023, 2, 1),
                                    spent=M("1000000.00")))
    # A = 10,000,000; reward 50% × 9,000,000; total 5,500,000; paid 7,000,000
    assert ruling.settlement.payment == M("-1500000.00")
    assert ruling.payments[-1].amount == M("-1500000.00")
    assert [w.code for w in ruling.warnings] == ["settlement_recovery"]
    assert "应退回1500000.00元" in ruling.warnings[0].message


def test_same_tier_prior_entry_is_this_projects_own_approval_and_not_capped():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2022, 6, 1),
                                    prior_approved_for_community=(("municipal", M("10000000")),)))
    assert ruling.approved == M("10000000.00")
    assert ruling.warnings == []


def test_municipal_after_provincial_gets_nothing_more():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2023, 6, 1),
                                    prior_approved_for_community=(("provincial", M("12000000")),)))
    assert ruling.approved == M("0.00")
    assert ruling.payments == []


def test_administrator_amounts_are_used_and_named_in_the_basis():
    ruling = FUYANG.subsidy(project(task_year=2022, accepted_on=date(2022, 6, 1)),
                            {"award_municipal": "8000000.00"})
    assert ruling.approved == M("8000000.00")
    assert ruling.basis == ["富阳 五(三)", "管理员设定参数（富阳 五(三)）"]


# ------------------------------------------------------------------ invariants (hypothesis)

MUNICIPAL, PROVINCIAL = M("10000000.00"), M("12000000.00")
AMOUNT = {"municipal": MUNICIPAL, "provincial": PROVINCIAL}
money = st.integers(min_value=0, max_value=3_000_000_000).map(lambda cents: M(cents) / 100)


@st.composite
def fuyang_projects(draw):
    tier = draw(st.sampled_from(["municipal", "provincial"]))
    task_year = draw(st.integers(2021, 2025))
    listed_on = date(2021, 1, 1) + timedelta(days=draw(st.integers(0, 365 * 4)))
    accepted_on = draw(st.none() | st.integers(0, 365 * 4).map(
        lambda days: listed_on + timedelta(days=days)))
    spent = draw(st.none() | money)
    prior = ()
    if tier == "provincial" and draw(st.booleans()):
        prior = (("municipal", draw(money.filter(lambda m: m <= MUNICIPAL))),)
    elif draw(st.booleans()):
        prior = ((tier, AMOUNT[tier]),)  # this project's own earlier approval
    return project(tier=tier, task_year=task_year, listed_on=listed_on,
                   accepted_on=accepted_on, spent=spent, prior_approved_for_community=prior)


def two_decimals(amount):
    return amount.as_tuple().exponent == -2


@given(fuyang_projects())
def test_approved_never_exceeds_the_tiers_amount(facts):
    ruling = FUYANG.subsidy(facts)
    assert (ruling.approved is None) == (facts.accepted_on is None)
    if ruling.approved is not None:
        assert M("0") <= ruling.approved <= AMOUNT[facts.tier]


@given(fuyang_projects())
def test_community_total_never_exceeds_the_highest_tiers_amount(facts):
    ruling = FUYANG.subsidy(facts)
    others = [(t, a) for t, a in facts.prior_approved_for_community if t != facts.tier]
    highest = PROVINCIAL if "provincial" in {facts.tier, *(t for t, _ in others)} else MUNICIPAL
    assert (ruling.approved or 0) + sum(a for _, a in others) <= highest
    for payment in ruling.payments:
        if payment.kind == "advance":
            assert payment.amount + sum(a for _, a in others) <= highest


@given(fuyang_projects())
def test_settlement_adds_up(facts):
    ruling = FUYANG.subsidy(facts)
    s = ruling.settlement
    assert (s is None) == (facts.accepted_on is None or facts.spent is None)
    if s is not None:
        assert s.payable + s.borne_by_street == facts.spent
        assert s.total == s.payable + s.reward
        paid = sum(p.amount for p in ruling.payments if p.kind == "advance")
        assert s.payment == s.total - paid
        assert ruling.payments[-1].amount == s.payment


@given(fuyang_projects())
def test_all_amounts_have_two_decimals(facts):
    ruling = FUYANG.subsidy(facts)
    amounts = [p.amount for p in ruling.payments]
    if ruling.approved is not None:
        amounts.append(ruling.approved)
    if ruling.settlement is not None:
        s = ruling.settlement
        amounts += [s.payable, s.borne_by_street, s.reward, s.total, s.payment]
    assert all(two_decimals(amount) for amount in amounts)
    assert all(p.amount <= M("7000000.00") for p in ruling.payments if p.kind == "advance")
