"""Required materials per step (DOMAIN §9 "the list per policy and step is a parameter with its
basis"): the submission and the acceptance request show what is missing and are refused until
it is uploaded."""

import datetime as dt

import pytest

from policies import get_policy
from policies.base import ParameterError, validate_parameters
from policies.materials import required_materials
from portal.errors import InvalidTransition
from projects import services
from projects.models import CreationProject, PolicyVersion
from residents.models import Survey
from tests.world import act, attach_materials, listed, user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 14)  # the clock's date for every test here


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def keys(policy_code, step, **attrs):
    return [m.key for m in required_materials(get_policy(policy_code), step, attrs)]


def test_each_documents_list_per_step():
    # 嘉兴 二(二)5 “明确实施主体，编制创建方案。项目申报材料经所在各县(市、区)风貌办审核”
    assert keys("jiaxing-2023", "submit") == ["creation_plan"]
    # 嘉兴 二(一)3 “对争创省级引领型未来社区的要…编制一体化设计方案”: 引领型 only
    assert keys("jiaxing-2023", "request_acceptance", jiaxing_kind="leading") == ["integrated_design"]
    assert keys("jiaxing-2023", "request_acceptance", jiaxing_kind="inclusive") == []
    # 富阳 四(二) “创建项目申报后，街道（乡镇）应及时编制申报方案和实施方案”
    assert keys("fuyang-2021", "submit") == []
    assert keys("fuyang-2021", "request_acceptance") == ["application_plan", "implementation_plan"]
    # 绍兴2023 三(三) “在旧改类未来社区改造提升方案中，重点明确公共服务设施配置和运营方案”: 旧改类 only
    assert keys("shaoxing-2023", "request_acceptance", category="renovation") == ["public_service_plan"]
    assert keys("shaoxing-2023", "request_acceptance", category="new_build") == []
    assert keys("shaoxing-2019", "submit") == []


def test_every_material_carries_its_basis_and_a_changed_list_says_so():
    [material] = required_materials(get_policy("jiaxing-2023"), "submit", {})
    assert material.label == "创建方案" and material.basis.startswith("嘉兴 二(二)5")
    params = {"materials_submit": ["creation_plan", "operation_plan"]}
    changed = required_materials(get_policy("jiaxing-2023"), "submit", {}, params)
    assert [m.label for m in changed] == ["创建方案", "运营方案"]
    assert all(m.basis.startswith("管理员设定参数（") for m in changed)


@pytest.mark.parametrize("value", ["creation_plan", ["no_such_material"], [1]])
def test_a_bad_material_list_is_refused_naming_the_parameter(value):
    with pytest.raises(ParameterError) as caught:
        validate_parameters(get_policy("jiaxing-2023"), {"materials_submit": value})
    assert caught.value.key == "materials_submit"


def test_submission_is_refused_until_the_creation_plan_is_uploaded(create_project):
    project = CreationProject.objects.get(pk=create_project("jiaxing", with_materials=False)["id"])
    checks = services.prechecks(project)
    missing = [c for c in checks if c.code == "material_missing:creation_plan"]
    assert missing and missing[0].severity == "block" and "创建方案" in missing[0].message
    with pytest.raises(InvalidTransition, match="提交申报须上传“创建方案”"):
        act(project, "street_jianshe", "submit")
    assert attach_materials(project, "submit") == ["creation_plan"]
    assert act(project, "street_jianshe", "submit").status == "submitted"


def test_acceptance_request_shows_and_refuses_missing_plans(create_project):
    project = CreationProject.objects.get(pk=create_project("fuyang", with_materials=False)["id"])
    project = listed(project, "fuyang", TODAY - dt.timedelta(days=30))
    Survey.objects.create(project=project, community=project.community, kind=Survey.Kind.SATISFACTION,
                          source=Survey.Source.STAFF, conducted_on=TODAY, sample_size=100, satisfied_share=90)
    _, blocked = services.available_actions(project, user("street_fuchun"))
    reasons = next(b["reasons"] for b in blocked if b["action"] == "request_acceptance")
    assert [r.split("（")[0] for r in reasons] == ["申请验收须上传“申报方案”，尚未上传",
                                                  "申请验收须上传“实施方案”，尚未上传"]
    assert all("富阳 四(二)" in r for r in reasons)
    attach_materials(project, "request_acceptance")
    assert act(project, "street_fuchun", "request_acceptance").status == "acceptance_requested"


def test_an_administrators_version_changes_the_list(create_project):
    version = PolicyVersion.objects.get(policy_code="shaoxing-2023")
    version.parameters = {**version.parameters, "materials_submit": ["operation_plan"]}
    version.save()
    project = CreationProject.objects.get(pk=create_project("shaoxing", with_materials=False)["id"])
    codes = [c.code for c in services.prechecks(project)]
    assert "material_missing:operation_plan" in codes
