"""Issue 16: the documents' rules, boundaries, bindings and citations, clause by clause."""

from datetime import date

import pytest

from policies import bind, get_policy, period_check
from policies.base import Facts, FactsError
from policies.simulate import simulate


def prechecks(code, district, tier, category="renovation", **facts):
    policy = get_policy(code)
    checks = policy.application_prechecks(
        Facts(policy=code, district_code=district, tier=tier, category=category, **facts))
    return [(c.code, c.severity, c.basis) for c in checks]


# ------------------------------------------------ 16.7 绍兴2023 二(一) 新建类 / 重点片区 省级


@pytest.mark.parametrize("tier", ["municipal", "county"])
def test_new_build_below_provincial_is_blocked_in_shaoxing(tier):
    # 绍兴2023 二(一)：“其中新建类社区和重点片区内社区均需开展省级未来社区建设”
    found = prechecks("shaoxing-2023", "330602", tier, category="new_build")
    assert ("provincial_tier_required", "block",
            "绍兴2023 二(一) 新建类社区和重点片区内社区均需开展省级未来社区建设") in found


def test_key_area_community_below_provincial_is_blocked_and_the_message_says_why():
    policy = get_policy("shaoxing-2023")
    [check] = [c for c in policy.application_prechecks(Facts(
        district_code="330602", tier="municipal", category="renovation", in_key_area=True))
        if c.code == "provincial_tier_required"]
    assert check.severity == "block"
    assert "重点片区内社区均需开展省级未来社区建设" in check.message
    assert "市级" in check.message


def test_provincial_new_build_or_key_area_is_not_blocked():
    found = prechecks("shaoxing-2023", "330602", "provincial", category="new_build",
                      in_key_area=True)
    assert "provincial_tier_required" not in [c[0] for c in found]
    plain = prechecks("shaoxing-2023", "330602", "municipal", in_key_area=False)
    assert "provincial_tier_required" not in [c[0] for c in plain]


def test_key_area_rule_is_shaoxing_2023_only():
    # 富阳 has no such clause: a 市级 新建类 project there is not blocked by it.
    found = prechecks("fuyang-2021", "330111", "municipal", category="new_build", in_key_area=True)
    assert "provincial_tier_required" not in [c[0] for c in found]


# ------------------------------------------------ platform rule: one open application


def test_open_application_blocks_with_the_open_projects_name_and_a_platform_basis():
    found = get_policy("fuyang-2021").application_prechecks(Facts(
        district_code="330111", tier="municipal", category="renovation",
        open_project="秋丰社区市级未来社区"))
    [check] = [c for c in found if c.code == "open_application"]
    assert check.severity == "block"
    assert "秋丰社区市级未来社区" in check.message
    assert check.basis.startswith("平台规则")


# ------------------------------------------------ 15.13 县级 under Fuyang names its basis


def test_county_tier_under_fuyang_is_refused_with_its_basis():
    # 富阳 四(三)：“开展市级及以上未来社区创建”
    with pytest.raises(FactsError) as error:
        get_policy("fuyang-2021").validate_tier("county")
    assert error.value.field == "tier"
    assert "县级" in error.value.message
    assert "富阳 四(三)" in error.value.message


# ------------------------------------------------ 16.8 binding across 2023-08-01


def test_municipal_project_of_early_2023_binds_to_shaoxing_2023_and_says_so():
    # 绍兴2019 knows 省级试点 only (一(三)); 绍兴2023 附件 plans 市级/县级 for 2023 as a whole.
    binding = bind("330602", date(2023, 5, 10), "municipal")
    assert binding.policy.code == "shaoxing-2023"
    assert "绍兴2019" in binding.note and "绍兴2023" in binding.note
    assert "2023年" in binding.note


def test_provincial_project_of_early_2023_stays_with_shaoxing_2019():
    binding = bind("330602", date(2023, 5, 10), "provincial")
    assert (binding.policy.code, binding.note) == ("shaoxing-2019", "")


def test_municipal_project_of_2022_does_not_bind_to_the_later_plan():
    # 绍兴2023 附件 counts 2023—2026 only: a 2022 市级 project has no policy that knows it.
    assert bind("330602", date(2022, 5, 10), "municipal").policy.code == "shaoxing-2019"


def test_simulate_without_policy_binds_the_tier_and_explains():
    result = simulate({"district_code": "330602", "tier": "county", "category": "renovation",
                       "listed_on": "2023-06-01"})
    assert result["policy"] == "shaoxing-2023"
    assert [w["code"] for w in result["warnings"]] == ["bound_to_later_policy"]


# ------------------------------------------------ 16.9 policy periods and drafts


def test_fuyang_project_listed_in_2024_is_flagged_beyond_the_2021_2023_period():
    # 富阳 标题：“富阳区城镇未来社区创建工作行动方案（2021-2023年）”
    policy = get_policy("fuyang-2021")
    check = period_check(policy, date(2024, 3, 1))
    assert check.code == "beyond_policy_period"
    assert "超出文件执行期" in check.message and "沿用" in check.message
    assert period_check(policy, date(2023, 12, 31)) is None
    # an administrator's continuation version (with its document number) lifts the flag
    assert period_check(policy, date(2024, 3, 1), continuation="富政办〔2024〕1号") is None


def test_simulate_flags_every_number_of_a_project_listed_after_the_period():
    result = simulate({"policy": "fuyang-2021", "district_code": "330111", "tier": "municipal",
                       "category": "renovation", "listed_on": "2024-02-01"})
    assert "beyond_policy_period" in [w["code"] for w in result["warnings"]]


def test_draft_documents_say_so_wherever_named():
    assert "征求意见稿" in get_policy("fuyang-2021").display_name
    assert "征求意见稿" in get_policy("jiaxing-2023").display_name
    assert "征求意见稿" not in get_policy("shaoxing-2023").display_name


# ------------------------------------------------ 16.2 嘉兴 targets, 16.6 citations


def test_jiaxing_yearly_application_target_counts_any_tier():
    # 嘉兴 二(二)5：“在2022年基础上，各镇(街道)每年至少申报1个以上未来社区创建项目”
    [quota] = [q for q in get_policy("jiaxing-2023").quotas()
               if q["key"] == "applications_per_street"]
    assert (quota["tier"], quota["target"], quota["period"], quota["basis"]) == (
        None, 1, "per_year", "嘉兴 二(二)5")


def test_jiaxing_2023_provincial_application_coverage_is_a_separate_one_off_target():
    # 嘉兴 一(三)：“每个镇(街道)申报1个以上省级未来社区创建项目,实现未来社区镇(街道)创建全覆盖。
    # 到2023年底…”
    [quota] = [q for q in get_policy("jiaxing-2023").quotas()
               if q["key"] == "provincial_application_coverage"]
    assert (quota["tier"], quota["target"], quota["period"], quota["year"], quota["basis"]) == (
        "provincial", 1, "cumulative", 2023, "嘉兴 一(三)")


def test_jiaxing_municipal_application_chain_says_it_is_the_platforms_own():
    # 嘉兴 二(二)5 only speaks of “择优列入省级未来社区创建名单”.
    chain = get_policy("jiaxing-2023").application_chain("municipal")
    assert all(step.basis.startswith("平台流程") for step in chain)
    provincial = get_policy("jiaxing-2023").application_chain("provincial")
    assert all(step.basis == "嘉兴 二(二)5" for step in provincial)


def test_shaoxing_municipal_listing_does_not_cite_the_acceptance_sentence_as_its_rule():
    # 绍兴2023 二(一)：“由市风貌办负责验收、公布” speaks of acceptance; the application steps
    # are the platform's reading.
    chain = get_policy("shaoxing-2023").application_chain("municipal")
    assert all(step.basis.startswith("平台流程") for step in chain)


def test_jiaxing_leading_group_decides_and_may_return_or_refuse():
    # 嘉兴 二(二)6：“市级未来社区,经市风貌办初审通过后报领导小组审定后命名”
    last = get_policy("jiaxing-2023").acceptance_chain("municipal")[-1]
    assert (last.office_level, last.action, last.decides) == (
        "leading_group", "record_naming", True)
