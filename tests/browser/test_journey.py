"""The whole journey in the browser, each step as the right user (Jiaxing municipal chain:
district 审核 → city 审核 → city 公布名单; acceptance: district 同意 → city 验收 → 领导小组 审定命名)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from communities.models import Community, Region
from projects.models import CreationProject
from residents.models import Survey

pytestmark = pytest.mark.django_db(transaction=True)
SCENARIOS = ["neighbourhood", "education", "health", "entrepreneurship", "transport", "low_carbon",
             "architecture", "services", "governance"]


def act(session, project_id, action, **fields):
    page = session.goto(f"/projects/{project_id}/")
    form = page.locator(f"[data-testid=action-{action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    # click() returns before the response page arrives; the same selectors are on both pages
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    return page


def test_street_to_named_journey_in_the_browser(portal):
    street = Region.objects.get(code="330402007")
    community = Community.objects.create(name="旅程社区", street=street, area_ha=20)
    Survey.objects.create(community=community, kind=Survey.Kind.NEEDS, source="staff", conducted_on=dt.date(2025, 5, 1),
                          sample_size=300)
    today = timezone.localdate().isoformat()

    # 1. street creates and submits the application
    jianshe = portal("street_jianshe")
    page = jianshe.goto("/projects/new/")
    page.select_option("#id_community", str(community.pk))
    page.select_option("#id_tier", "municipal")
    page.select_option("#id_category", "renovation")
    page.fill("#id_batch_year", "2026")
    page.fill("#id_total_investment", "30000000")
    page.wait_for_selector("[data-testid=prechecks] >> text=未发现预审问题", timeout=10000)  # live pre-check ran
    for key in SCENARIOS:
        page.select_option(f"#id_scenario_{key}", "standard")
    # Each change fires the live pre-check; a filled field's change fires only when it loses the
    # focus, which would be the click on 保存: blur it now, and let every pre-check finish first.
    page.evaluate("document.activeElement.blur()")
    jianshe.settle()
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    jianshe.shot("01-street-draft")
    # 嘉兴 二(二)5 “编制创建方案”: submission is refused until the 创建方案 is uploaded
    page = jianshe.goto(f"/projects/{project_id}/")
    assert "提交申报须上传“创建方案”" in page.locator("[data-testid=blocked-submit]").inner_text()
    page.select_option("select[name=kind]", "creation_plan")
    page.set_input_files("input[name=file]", files=[{"name": "创建方案.pdf", "mimeType": "application/pdf",
                                                     "buffer": b"%PDF-1.4 journey"}])
    with page.expect_navigation():
        page.click("button:has-text('上传')")
    act(jianshe, project_id, "submit")
    assert page.locator("[data-testid=status]").inner_text() == "已提交"

    # 2. district returns it with a comment
    nanhu = portal("district_nanhu")
    assert nanhu.goto("/projects/review/").locator(f"a[href='/projects/{project_id}/']").count() == 1
    act(nanhu, project_id, "return", comment="请补充运营方案")
    assert nanhu.dialogs == ["确认退回修改？此操作不可撤销。"]  # asked first (data-confirm), then confirmed
    assert nanhu.page.locator("[data-testid=status]").inner_text() == "已退回"

    # 3. street sees the comment, fixes and resubmits
    page = jianshe.goto("/")
    assert "请补充运营方案" in page.content()
    page = jianshe.goto(f"/projects/{project_id}/edit/")
    page.fill("#id_scenario_services_plan", "引入专业运营商，建立运营评估机制")
    page.evaluate("document.activeElement.blur()")  # its change and pre-check before the save (see step 1)
    jianshe.settle()
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(rf"/projects/{project_id}/$"))
    act(jianshe, project_id, "submit")

    # 4. district and city approve; the city records the list
    act(nanhu, project_id, "approve", comment="同意")
    jiaxing = portal("city_jiaxing")
    act(jiaxing, project_id, "approve", comment="同意列入")
    act(jiaxing, project_id, "record_listing", listed_on=today, document_no="嘉风貌〔2026〕8号")
    jiaxing.shot("02-city-listed")
    assert jiaxing.page.locator("[data-testid=status]").inner_text().startswith("已列入创建名单")

    # 5. street files a monthly report and requests acceptance (survey on file)
    page = jianshe.goto(f"/projects/{project_id}/reports/new/")
    page.fill("#id_month", today[:7])
    page.fill("#id_progress_percent", "100")
    page.fill("#id_investment_completed", "29500000")
    page.fill("#id_problems", "无")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(rf"/projects/{project_id}/$"))
    assert "100.00%" in page.content()
    Survey.objects.create(community=community, project_id=project_id, kind=Survey.Kind.SATISFACTION, source="staff",
                          conducted_on=timezone.localdate(), sample_size=260, satisfied_share=93)
    act(jianshe, project_id, "request_acceptance")

    # 6. accepted and named by the offices of the chain
    act(nanhu, project_id, "approve", comment="同意验收")
    act(jiaxing, project_id, "record_acceptance", accepted_on=today, document_no="嘉风貌〔2026〕9号")
    leader = portal("leader_jiaxing")
    act(leader, project_id, "record_naming", named_on=today, document_no="嘉未来办〔2026〕10号")
    leader.shot("03-named")
    assert leader.page.locator("[data-testid=status]").inner_text() == "已命名"
    assert CreationProject.objects.get(pk=project_id).status == "named"
    assert leader.page.locator("[data-testid=timeline] .entry").count() == 11


def test_street_pages_never_show_another_streets_project(portal):
    other = Region.objects.get(code="330402008")
    community = Community.objects.create(name="隔壁街道社区", street=other)
    from communities.models import Office, User
    from projects import services

    neighbour = User.objects.create_user("street_neighbour", password="x",
                                         office=Office.objects.get(kind="street", region=other))
    project = services.create_project(neighbour, community, tier="municipal", category="renovation",
                                      batch_year=2026)
    jianshe = portal("street_jianshe")
    for path in ("/", "/projects/", "/communities/", "/projects/?q=隔壁"):
        assert "隔壁街道社区" not in jianshe.goto(path).content()
    response = jianshe.page.goto(f"{jianshe.base_url}/projects/{project.pk}/")
    assert response.status == 404
