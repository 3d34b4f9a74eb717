"""The public site at phone width (390 × 844), no login: the list, a 公示 with its countdown and an
objection, and a QR survey answered once — which unlocks the 嘉兴 acceptance request."""

import datetime as dt

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"residents-{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_resident_reads_objects_and_answers_on_a_phone(phone, live_server, users):
    from projects import services as project_services
    from residents import notices, services
    from tests import world

    today = services.today()
    services.load_default_templates()
    project = world.listed(world.create("jiaxing", world.community("330402007", "手机社区")), "jiaxing",
                           today - dt.timedelta(days=30))
    from residents.models import SurveyTemplate

    template = SurveyTemplate.objects.get(kind="satisfaction")
    survey = services.create_qr_survey(users["street_jianshe"], project, template, opens_on=today,
                                       closes_on=today + dt.timedelta(days=7))
    notice = notices.publish_notice(users["district_nanhu"], kind="listing", title="南湖区市级创建名单公示",
                                    body="拟列入名单：手机社区", project_ids=[project.pk], starts_on=today)

    phone.goto(f"{live_server.url}/gongshi/")
    assert phone.locator("[data-testid=public-projects]").inner_text().count("手机社区") == 1
    assert "南湖区市级创建名单公示" in phone.locator("[data-testid=active-notices]").inner_text()
    assert fits_the_screen(phone)
    shot(phone, "index")

    phone.click("text=南湖区市级创建名单公示")
    countdown = phone.locator("[data-testid=countdown]")
    assert "小时" in countdown.inner_text()  # static/js/public.js ticks (no inline script under the CSP)
    phone.fill("#id_text", "希望增加老年食堂")
    phone.click("button:has-text('提交异议')")
    # is_visible() does not wait for the response page: wait for the confirmation first
    assert phone.wait_for_selector("[data-testid=objection-filed]").is_visible()
    assert notice.objections.get().text == "希望增加老年食堂"
    assert fits_the_screen(phone)
    shot(phone, "notice")

    blocked = [c.code for c in project_services.acceptance_prerequisites(project)]
    assert blocked == ["satisfaction_survey_missing"]
    phone.goto(f"{live_server.url}/gongshi/s/{survey.token}/")
    assert "个人信息保护法" in phone.locator("[data-testid=privacy-line]").inner_text()
    assert fits_the_screen(phone)
    phone.check("text=非常满意")
    shot(phone, "survey")
    phone.click("button:has-text('提交')")
    assert "提交成功" in phone.locator("[data-testid=survey-done]").inner_text()
    phone.goto(f"{live_server.url}/gongshi/s/{survey.token}/")  # the same phone again
    assert "本设备已提交过" in phone.locator("[data-testid=survey-done]").inner_text()
    assert survey.responses.count() == 1
    assert project_services.acceptance_prerequisites(project) == []
