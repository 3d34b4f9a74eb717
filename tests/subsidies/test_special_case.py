"""富阳 五(三): “有特殊情况的实行一事一议” — finance overrides an approved amount with a reason
and a document number, the district approves, history and statement show it — and the
award-category reading of the version (“对旧改类项目予以资金补助” vs 以奖代补 “支持乡镇（街道）
创建未来社区”)."""

import datetime as dt

import pytest

from portal.errors import Forbidden, InvalidInput
from projects.models import PolicyVersion
from subsidies import overrides
from subsidies.models import ApprovedSubsidy, SubsidyOverride
from subsidies.statements import settlement_statement
from tests.world import money

pytestmark = pytest.mark.django_db
D = dt.date


def f2(drive):
    """DOMAIN 6.2 F2: municipal, task year 2022, accepted 2023-05-10, S 12,000,000 → A 10,000,000."""
    return drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                 accepted_on=D(2023, 5, 10), spent="12000000")


def test_approved_override_replaces_a_and_shows_on_the_statement_and_in_history(drive, compute, users):
    project = f2(drive)
    compute(D(2023, 6, 1))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")
    override = overrides.request_override(users["finance_fuyang"], project, amount="11000000.00",
                                          reason="拆改范围扩大，增加管网改造", document_no="富财〔2023〕8号")
    compute(D(2023, 6, 1))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")  # not yet approved
    overrides.decide_override(users["district_fuyang"], override, approve=True, comment="同意")
    compute(D(2023, 6, 1))
    # by hand: A 11,000,000; payable min(12,000,000, 11,000,000) = 11,000,000; reward 0;
    # settlement 11,000,000 − advance 7,000,000 = 4,000,000
    assert ApprovedSubsidy.objects.get(project=project).amount == money("11000000")
    statement = settlement_statement(project, D(2023, 6, 1))
    amounts = {line.key: line.amount for line in statement.lines}
    assert (amounts["approved"], amounts["payable"], amounts["reward"], amounts["settlement"]) == (
        money("11000000"), money("11000000"), money("0"), money("4000000"))
    line = statement.line("override")
    assert "拆改范围扩大" in line.basis and "富财〔2023〕8号" in line.basis and "一事一议" in line.basis
    assert "10,000,000.00" in line.basis  # what the rules alone give
    actions = list(project.transitions.values_list("action", flat=True))
    assert actions[-2:] == ["subsidy_override_requested", "subsidy_override_approved"]


def test_refused_override_changes_nothing(drive, compute, users):
    project = f2(drive)
    override = overrides.request_override(users["finance_fuyang"], project, amount="9000000",
                                          reason="特殊情况", document_no="富财〔2023〕9号")
    overrides.decide_override(users["district_fuyang"], override, approve=False, comment="理由不足")
    compute(D(2023, 6, 1))
    assert ApprovedSubsidy.objects.get(project=project).amount == money("10000000")
    assert SubsidyOverride.objects.get(pk=override.pk).state == "refused"


def test_only_district_finance_proposes_and_only_the_district_office_approves(drive, users):
    project = f2(drive)
    for name in ("street_fuchun", "district_fuyang", "finance_jiaxing"):
        with pytest.raises(Forbidden):
            overrides.request_override(users[name], project, amount="1", reason="x", document_no="y")
    override = overrides.request_override(users["finance_fuyang"], project, amount="1.00", reason="x",
                                          document_no="y")
    with pytest.raises(Forbidden):
        overrides.decide_override(users["finance_fuyang"], override, approve=True)


@pytest.mark.parametrize("amount", ["１２３", "12²", "-5", "1e3", "12.345", "99999999999", "\x00"])
def test_bad_override_amount_is_refused_naming_the_field(drive, users, amount):
    project = f2(drive)
    with pytest.raises(InvalidInput) as error:
        overrides.request_override(users["finance_fuyang"], project, amount=amount, reason="x", document_no="y")
    assert "amount" in error.value.fields
    assert not SubsidyOverride.objects.exists()


def test_statement_says_which_award_scope_reading_applies(drive, compute):
    project = f2(drive)
    compute(D(2023, 6, 1))
    reading = settlement_statement(project, D(2023, 6, 1)).reading
    assert "旧改类、新建类均予补助" in reading and "富阳 五(三)" in reading


def test_renovation_only_reading_pays_no_new_build_project(drive, compute):
    # 富阳 五(三)：“区财政对旧改类项目予以资金补助” — an administrator's version may read it so
    version = PolicyVersion.objects.filter(policy_code="fuyang-2021").order_by("effective_from").first()
    version.parameters = {**version.parameters, "award_renovation_only": True}
    version.save()
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2022, 6, 20), spent="8000000", category="new_build")
    compute(D(2023, 1, 15))
    assert not ApprovedSubsidy.objects.filter(project=project).exists()
    statement = settlement_statement(project, D(2023, 1, 15))
    assert "仅补助旧改类" in statement.reading and "管理员设定参数" in statement.reading
    assert "不予补助" in statement.message


def test_statement_page_offers_the_override_form_to_district_finance_only(drive, client_for):
    project = f2(drive)
    page = client_for("finance_fuyang").get(f"/subsidies/projects/{project.pk}/").content.decode()
    assert 'data-testid="override-form"' in page and "征求意见稿" in page
    page = client_for("district_fuyang").get(f"/subsidies/projects/{project.pk}/").content.decode()
    assert 'data-testid="override-form"' not in page


def test_override_pages_are_404_outside_scope_and_403_for_other_offices(drive, client_for, users):
    project = f2(drive)
    url = f"/subsidies/projects/{project.pk}/override/"
    data = {"amount": "1.00", "reason": "x", "document_no": "y"}
    assert client_for("finance_jiaxing").post(url, data).status_code == 404
    assert client_for("district_fuyang").post(url, data).status_code == 403
    assert client_for("finance_fuyang").post(url, data).status_code == 302
    override = SubsidyOverride.objects.get(project=project)
    decide = f"/subsidies/projects/{project.pk}/override/{override.pk}/"
    assert client_for("district_nanhu").post(decide, {"decision": "approve"}).status_code == 404
    assert client_for("finance_fuyang").post(decide, {"decision": "approve"}).status_code == 403
    assert client_for("district_fuyang").get(decide).status_code == 405
    assert client_for("district_fuyang").post(decide, {"decision": "approve"}).status_code == 302
    assert SubsidyOverride.objects.get(pk=override.pk).state == "approved"
