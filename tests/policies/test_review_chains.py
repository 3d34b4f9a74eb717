"""Review chains as data (DOMAIN 3.1)."""

import pytest

from policies import POLICIES, get_policy
from policies.base import FactsError

CASES = [(code, tier) for code, policy in POLICIES.items() for tier in policy.tiers]


def shape(steps):
    return [(step.office_level, step.action) for step in steps]


@pytest.mark.parametrize(("code", "tier"), CASES)
def test_application_chain_is_reviews_then_exactly_one_listing(code, tier):
    steps = get_policy(code).application_chain(tier)
    assert steps
    assert [s.action for s in steps[:-1]] == ["review"] * (len(steps) - 1)
    assert steps[-1].action == "record_listing"
    assert all(step.label and step.basis for step in steps)


@pytest.mark.parametrize(("code", "tier"), CASES)
def test_acceptance_chain_is_reviews_then_acceptance_then_naming(code, tier):
    steps = get_policy(code).acceptance_chain(tier)
    actions = [s.action for s in steps]
    assert actions[-2:] == ["record_acceptance", "record_naming"]
    assert set(actions[:-2]) == {"review"}
    assert all(step.label and step.basis for step in steps)


@pytest.mark.parametrize(("code", "tier"), CASES)
def test_step_keys_are_unique_within_a_chain(code, tier):
    policy = get_policy(code)
    for steps in (policy.application_chain(tier), policy.acceptance_chain(tier)):
        assert len({s.key for s in steps}) == len(steps)


EXPECTED = {
    ("jiaxing-2023", "provincial"): (
        [("district", "review"), ("city", "review"), ("city", "record_listing")],
        [("district", "review"), ("city", "review"), ("city", "record_acceptance"),
         ("city", "record_naming")]),
    ("jiaxing-2023", "municipal"): (
        [("district", "review"), ("city", "review"), ("city", "record_listing")],
        [("district", "review"), ("city", "record_acceptance"),
         ("leading_group", "record_naming")]),
    ("fuyang-2021", "provincial"): (
        [("district", "review"), ("district", "record_listing")],
        [("district", "review"), ("district", "record_acceptance"),
         ("district", "record_naming")]),
    ("fuyang-2021", "municipal"): (
        [("district", "review"), ("district", "record_listing")],
        [("district", "review"), ("district", "record_acceptance"),
         ("district", "record_naming")]),
    ("shaoxing-2023", "provincial"): (
        [("district", "review"), ("city", "review"), ("city", "record_listing")],
        [("district", "review"), ("city", "review"), ("city", "record_acceptance"),
         ("city", "record_naming")]),
    ("shaoxing-2023", "municipal"): (
        [("district", "review"), ("city", "record_listing")],
        [("district", "review"), ("city", "record_acceptance"), ("city", "record_naming")]),
    ("shaoxing-2023", "county"): (
        [("district", "review"), ("district", "record_listing")],
        [("district", "review"), ("district", "record_acceptance"),
         ("district", "record_naming")]),
    ("shaoxing-2019", "provincial"): (
        [("district", "review"), ("city", "review"), ("city", "record_listing")],
        [("district", "review"), ("city", "review"), ("city", "record_acceptance"),
         ("city", "record_naming")]),
}


def test_every_policy_and_tier_has_an_expected_chain():
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize(("code", "tier"), sorted(EXPECTED))
def test_chain_offices_follow_the_domain_table(code, tier):
    application, acceptance = EXPECTED[(code, tier)]
    policy = get_policy(code)
    assert shape(policy.application_chain(tier)) == application
    assert shape(policy.acceptance_chain(tier)) == acceptance


def test_jiaxing_labels_name_the_acts_of_the_document():
    policy = get_policy("jiaxing-2023")
    assert [s.label for s in policy.application_chain("provincial")][1:] == [
        "市风貌办审核择优", "录入省级创建名单"]
    assert policy.acceptance_chain("municipal")[-1].label == "领导小组审定命名"
    assert {s.basis for s in policy.acceptance_chain("municipal")} == {"嘉兴 二(二)6"}


def test_fuyang_chains_cite_application_and_acceptance_clauses():
    policy = get_policy("fuyang-2021")
    assert {s.basis for s in policy.application_chain("municipal")} == {"富阳 四(二)"}
    assert {s.basis for s in policy.acceptance_chain("municipal")} == {"富阳 四(七)"}
    assert policy.application_chain("provincial")[-1].label == "录入省级创建名单"


@pytest.mark.parametrize(("code", "tier"), [
    ("fuyang-2021", "county"), ("jiaxing-2023", "county"), ("shaoxing-2019", "municipal"),
    ("shaoxing-2019", "county"), ("shaoxing-2023", "national"), ("fuyang-2021", None),
])
def test_unknown_tier_raises_a_facts_error_on_tier(code, tier):
    policy = get_policy(code)
    for chain in (policy.application_chain, policy.acceptance_chain):
        with pytest.raises(FactsError) as caught:
            chain(tier)
        assert caught.value.field == "tier"


def test_returned_chain_is_a_copy_callers_cannot_corrupt():
    policy = get_policy("fuyang-2021")
    policy.application_chain("municipal").clear()
    assert policy.application_chain("municipal")
