"""Policy parameters: the documents' numbers as defaults, validated administrator values."""

from decimal import Decimal

import pytest

from policies import POLICIES, get_policy
from policies.base import ParameterError, parameters_as_json, validate_parameters

FUYANG = get_policy("fuyang-2021")


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_defaults_validate_and_validation_is_idempotent(code):
    policy = POLICIES[code]
    defaults = policy.defaults()
    assert validate_parameters(policy, defaults) == defaults
    assert validate_parameters(policy, None) == defaults


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_json_form_of_the_parameters_validates_back_to_the_same_values(code):
    policy = POLICIES[code]
    as_json = parameters_as_json(policy)
    assert validate_parameters(policy, as_json) == policy.defaults()
    assert not any(isinstance(value, Decimal | tuple) for value in as_json.values())


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_every_policy_has_the_deadline_parameters_each_with_a_basis(code):
    policy = POLICIES[code]
    keys = {spec.key for spec in policy.PARAMETERS}
    assert {"years_renovation", "years_renovation_demolition", "years_new_build",
            "years_new_build_relocation", "monthly_report_day"} <= keys
    assert all(spec.basis and spec.label for spec in policy.PARAMETERS)
    assert len(keys) == len(policy.PARAMETERS)


def test_money_and_rates_come_back_as_decimal():
    cleaned = validate_parameters(FUYANG, {"advance_cap": "6500000", "advance_rate": "0.6"})
    assert cleaned["advance_cap"] == Decimal("6500000.00")
    assert cleaned["advance_rate"] == Decimal("0.6")
    assert FUYANG.defaults()["award_provincial"] == Decimal("12000000.00")


def test_documents_numbers_are_the_defaults():
    fuyang = FUYANG.defaults()
    assert (fuyang["years_renovation"], fuyang["years_renovation_demolition"],
            fuyang["years_new_build"], fuyang["years_new_build_relocation"]) == (1, 2, 3, 4)
    jiaxing = get_policy("jiaxing-2023").defaults()
    assert jiaxing["city_proper_districts"] == ("330402", "330411")
    assert jiaxing["city_share"] == Decimal("0.50")
    assert get_policy("shaoxing-2023").defaults()["award_municipal"] is None


BAD = [
    ("fuyang-2021", {"advance_rate": "1.5"}, "advance_rate"),
    ("fuyang-2021", {"advance_rate": "-0.1"}, "advance_rate"),
    ("fuyang-2021", {"advance_rate": 0.7}, "advance_rate"),
    ("fuyang-2021", {"advance_cap": "-1.00"}, "advance_cap"),
    ("fuyang-2021", {"advance_cap": 7000000.0}, "advance_cap"),
    ("fuyang-2021", {"advance_cap": "7,000,000"}, "advance_cap"),
    ("fuyang-2021", {"advance_cap": "1.005"}, "advance_cap"),
    ("fuyang-2021", {"award_municipal": None}, "award_municipal"),
    ("fuyang-2021", {"years_renovation": "1"}, "years_renovation"),
    ("fuyang-2021", {"years_renovation": -1}, "years_renovation"),
    ("fuyang-2021", {"years_renovation": True}, "years_renovation"),
    ("fuyang-2021", {"monthly_report_day": 31}, "monthly_report_day"),
    ("fuyang-2021", {"advance_percent": "0.7"}, "advance_percent"),
    ("jiaxing-2023", {"cap_repeated_naming": "yes"}, "cap_repeated_naming"),
    ("jiaxing-2023", {"city_proper_districts": "330402"}, "city_proper_districts"),
    ("jiaxing-2023", {"city_proper_districts": ["3304"]}, "city_proper_districts"),
    ("shaoxing-2023", {"award_county": "abc"}, "award_county"),
]


@pytest.mark.parametrize(("code", "values", "key"), BAD,
                         ids=[f"{code}-{key}-{i}" for i, (code, _, key) in enumerate(BAD)])
def test_bad_parameter_is_a_parameter_error_naming_the_key(code, values, key):
    with pytest.raises(ParameterError) as caught:
        validate_parameters(POLICIES[code], values)
    assert caught.value.key == key
    assert caught.value.message


def test_parameters_must_be_an_object():
    with pytest.raises(ParameterError) as caught:
        validate_parameters(FUYANG, ["advance_rate"])
    assert caught.value.key == "parameters"


def test_policy_methods_validate_the_parameters_they_are_given():
    with pytest.raises(ParameterError):
        FUYANG.monthly_report_due(2023, 1, {"monthly_report_day": 0})
