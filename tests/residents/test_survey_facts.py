"""Surveys feed the 嘉兴 acceptance prerequisite (嘉兴 二(五)13 “验收前居民满意度调研”), and only
a survey of this project's creation period counts (#16 item 4; DOMAIN §5: "a 满意度调研 of this
project, dated after its listing, must be on file")."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal.errors import InvalidInput
from projects import services as project_services
from residents import services
from residents.models import Survey
from tests.residents.conftest import TODAY, ago, answer_form

pytestmark = pytest.mark.django_db


def blocked_reasons(api_for, project):
    detail = api_for("street_jianshe").get(f"/api/projects/{project.pk}/").json()
    return {b["action"]: b["reasons"] for b in detail["blocked_actions"]}.get("request_acceptance")


def test_an_answer_submitted_by_qr_unlocks_the_jiaxing_acceptance_request(qr_survey, jiaxing_listed, api_for):
    assert "满意度" in blocked_reasons(api_for, jiaxing_listed)[0]
    phone = Client(REMOTE_ADDR="10.1.0.1")
    phone.get(reverse("public:survey", args=[qr_survey.token]))
    assert phone.post(reverse("public:survey", args=[qr_survey.token]), answer_form(qr_survey)).status_code == 200
    assert blocked_reasons(api_for, jiaxing_listed) is None
    response = api_for("street_jianshe").post(f"/api/projects/{jiaxing_listed.pk}/actions/",
                                              {"action": "request_acceptance"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "acceptance_requested"


def test_an_open_qr_survey_without_answers_does_not_count(qr_survey, jiaxing_listed):
    assert [c.code for c in project_services.acceptance_prerequisites(jiaxing_listed)] == [
        "satisfaction_survey_missing"]


def test_a_satisfaction_survey_before_listing_does_not_unlock_acceptance(jiaxing_listed):
    # a row dated before the listing (e.g. migrated from the community dossier)
    Survey.objects.create(community=jiaxing_listed.community, project=jiaxing_listed, kind="satisfaction",
                          source="staff", conducted_on=ago(31), sample_size=100, satisfied_share=90)
    [check] = project_services.acceptance_prerequisites(jiaxing_listed)
    assert (check.code, check.severity, check.basis) == ("satisfaction_survey_before_listing", "block", "嘉兴 二(五)13")


def test_a_community_level_or_other_project_survey_does_not_unlock_acceptance(jiaxing_listed, listed_project):
    other = listed_project("jiaxing", listed_on=ago(60))
    Survey.objects.create(community=jiaxing_listed.community, kind="satisfaction", source="staff",
                          conducted_on=TODAY, sample_size=100, satisfied_share=90)
    Survey.objects.create(community=other.community, project=other, kind="satisfaction", source="staff",
                          conducted_on=TODAY, sample_size=100, satisfied_share=90)
    assert [c.code for c in project_services.acceptance_prerequisites(jiaxing_listed)] == [
        "satisfaction_survey_missing"]


def test_staff_entered_survey_counts_and_is_marked_as_staff_entered(jiaxing_listed, users, client_for):
    survey = services.record_staff_survey(users["street_jianshe"], jiaxing_listed, kind="satisfaction",
                                          conducted_on=ago(2).isoformat(), sample_size="120", satisfied_share="91")
    assert project_services.acceptance_prerequisites(jiaxing_listed) == []
    page = client_for("street_jianshe").get(reverse("residents:survey", args=[survey.pk])).content.decode()
    assert "工作人员录入" in page and "120" in page


@pytest.mark.parametrize("field, value, message", [
    ("sample_size", "１２０", "样本量须为半角整数"),
    ("sample_size", "12²", "样本量须为半角整数"),
    ("sample_size", "99999999999", "样本量须在1至1000000之间"),
    ("satisfied_share", "101", "满意率（%）须在0至100之间"),
    ("conducted_on", "2026-13-01", "调研日期须为日期"),
])
def test_bad_staff_entries_are_refused_naming_the_field(jiaxing_listed, users, field, value, message):
    data = {"kind": "satisfaction", "conducted_on": ago(2).isoformat(), "sample_size": "120", "satisfied_share": "90"}
    data[field] = value
    with pytest.raises(InvalidInput) as error:
        services.record_staff_survey(users["street_jianshe"], jiaxing_listed, **data)
    assert message in error.value.message
    assert not Survey.objects.filter(project=jiaxing_listed).exists()


def test_each_survey_kind_belongs_to_its_period(jiaxing_listed, templates, users, create_project):
    street = users["street_jianshe"]
    # 创建过程 / 验收前: not before the listing date
    with pytest.raises(InvalidInput, match="不能早于列入创建名单日期"):
        services.create_qr_survey(street, jiaxing_listed, templates["consultation"], opens_on=ago(31),
                                  closes_on=TODAY)
    # 创建前需求调研: not once the project is listed
    with pytest.raises(InvalidInput, match="创建前调研"):
        services.create_qr_survey(street, jiaxing_listed, templates["needs"], opens_on=TODAY,
                                  closes_on=TODAY + dt.timedelta(days=7))
    from projects.models import CreationProject

    draft = CreationProject.objects.get(pk=create_project("jiaxing")["id"])
    with pytest.raises(InvalidInput, match="在项目列入创建名单之后开展"):
        services.create_qr_survey(street, draft, templates["satisfaction"], opens_on=TODAY, closes_on=TODAY)
    needs = services.create_qr_survey(street, draft, templates["needs"], opens_on=TODAY, closes_on=TODAY)
    assert needs.kind == "needs" and needs.project == draft


def test_only_the_projects_street_creates_surveys(jiaxing_listed, templates, users, client_for):
    from portal.errors import Forbidden

    with pytest.raises(Forbidden):
        services.create_qr_survey(users["district_nanhu"], jiaxing_listed, templates["satisfaction"],
                                  opens_on=TODAY, closes_on=TODAY)
    page = client_for("street_jianshe").post(reverse("residents:project_surveys", args=[jiaxing_listed.pk]), {
        "action": "qr", "template": templates["satisfaction"].pk, "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=10)).isoformat()})
    survey = Survey.objects.get(project=jiaxing_listed)
    assert page.status_code == 302 and page["Location"] == reverse("residents:survey", args=[survey.pk])
    assert survey.source == "qr" and survey.questions[0]["satisfied"] == ["非常满意", "满意"]


def test_project_page_shows_the_survey_results(qr_survey, jiaxing_listed, client_for):
    services.submit_answer(qr_survey, answer_form(qr_survey), device="x", address_key="")
    html = client_for("district_nanhu").get(reverse("projects:detail", args=[jiaxing_listed.pk])).content.decode()
    assert "居民调研（嘉兴 二(五)13）" in html and "居民扫码填写" in html and "100.00%" in html


def test_needs_survey_of_the_community_still_counts_before_creation(community_in):
    from projects.facts import project_facts
    from projects.models import CreationProject

    community = community_in("jiaxing")  # the shared world files a community-level needs survey
    draft = CreationProject(community=community, street=community.street, tier="municipal", category="renovation")
    assert project_facts(draft).has_needs_survey is True


def test_community_dossier_lists_its_surveys_with_their_source(jiaxing_listed, users, client_for):
    services.record_staff_survey(users["street_jianshe"], jiaxing_listed, kind="consultation",
                                 conducted_on=ago(1).isoformat(), sample_size="77")
    html = client_for("street_jianshe").get(reverse("community_detail", args=[jiaxing_listed.community_id]))
    text = html.content.decode()
    assert "动态征询" in text and "工作人员录入" in text and "77" in text
    assert "社区（未关联项目）" in text  # the shared world's community-level needs survey


def test_survey_api_gives_results_in_scope_with_a_constant_number_of_queries(qr_survey, jiaxing_listed, api_for,
                                                                             django_assert_max_num_queries):
    for index, overall in enumerate(["满意", "不满意", "非常满意", "满意"]):
        services.submit_answer(qr_survey, answer_form(qr_survey, overall=overall), device=f"a{index}", address_key="")
    services.record_staff_survey(_street(), jiaxing_listed, kind="consultation",
                                 conducted_on=ago(1).isoformat(), sample_size="40")
    with django_assert_max_num_queries(8):
        rows = api_for("district_nanhu").get(f"/api/surveys/?project={jiaxing_listed.pk}").json()["results"]
    by_source = {row["source"]: row for row in rows}
    # by hand: 3 of 4 answers in 非常满意/满意 → 75.00%
    assert by_source["qr"]["results"] == {"sample_size": 4, "satisfied_share": "75.00"}
    assert by_source["staff"]["results"] == {"sample_size": 40, "satisfied_share": None}
    assert api_for("street_tashan").get(f"/api/surveys/{qr_survey.pk}/").status_code == 404
    assert api_for("street_tashan").post(f"/api/surveys/{qr_survey.pk}/").status_code == 404


def _street():
    from communities.models import User

    return User.objects.get(username="street_jianshe")


def test_survey_api_refuses_an_out_of_range_project_filter(api_for):
    response = api_for("admin").get("/api/surveys/?project=99999999999999999999999")
    assert response.status_code == 400 and "project" in response.json()["errors"]
