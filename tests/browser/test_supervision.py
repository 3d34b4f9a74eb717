"""Supervision in the browser: an inspection → 整改单 → street reply → district closes it
(绍兴2023 四), and a 督办 cycle started by 催办 of an overdue item (嘉兴 三(三)), each step as the
office that acts; screenshots of each step go to $CI_ARTIFACTS."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from acceptance.models import Deadline
from supervision.models import InspectionOrder, SupervisionOrder
from tests import world

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def test_inspection_order_reply_and_close_in_the_browser(portal):
    project = world.listed(world.create("shaoxing", world.community("330602001", "检查旅程社区")), "shaoxing",
                           TODAY - dt.timedelta(days=40))
    due = (TODAY + dt.timedelta(days=15)).isoformat()

    district = portal("district_yuecheng")
    page = district.goto(f"/projects/{project.pk}/")
    page.click("text=录入检查并下达整改单")
    page.fill("#inspected_on", TODAY.isoformat())
    page.fill("#inspectors", "张工、李工")
    page.fill("#findings", "健康小屋未按方案建设")
    page.set_input_files("#photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("[aria-label=整改要求1]", "按实施方案完成健康小屋")
    page.fill("[aria-label=整改期限1]", due)
    page.click("button:has-text('保存检查并下达整改单')")
    page.wait_for_url(re.compile(r"/supervision/inspections/\d+/$"))
    district.shot("supervision-01-inspection")
    item = InspectionOrder.objects.get(inspection__project=project)

    street = portal("street_tashan")
    page = street.goto(f"/projects/{project.pk}/")
    assert "未销号" in page.locator("[data-testid=blocked-request_acceptance]").inner_text()
    page = street.goto(f"/supervision/inspections/{item.inspection_id}/")
    page.fill("[data-testid=reply-form] [name=comment]", "已完成健康小屋建设，附照片")
    page.set_input_files("[data-testid=reply-form] [name=evidence]",
                         files=[{"name": "整改后.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("button:has-text('提交整改回复')")
    expect(page.locator(f"[data-testid=item-{item.order_id}] [data-testid=item-state]")).to_have_text("已回复待审核")
    street.shot("supervision-02-reply")

    page = district.goto(f"/supervision/inspections/{item.inspection_id}/")
    page.fill("[data-testid=review-form] [name=comment]", "整改到位")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('审核销号')")
    expect(page.locator(f"[data-testid=item-{item.order_id}] [data-testid=item-state]")).to_have_text("已销号")
    district.shot("supervision-03-closed")
    assert Deadline.objects.get(key=f"rectification:{item.order_id}").state == "met"


def test_urge_reply_and_close_a_supervision_order_in_the_browser(portal):
    project = world.listed(world.create("jiaxing", world.community("330402007", "督办旅程社区")), "jiaxing",
                           TODAY - dt.timedelta(days=75))
    late = Deadline.objects.filter(project=project, state="overdue").first()

    city = portal("city_jiaxing")
    page = city.goto("/supervision/")
    page.click(f"[data-testid=urge-{late.pk}]")
    page.wait_for_url(re.compile(r"/supervision/orders/\d+/$"))
    city.shot("supervision-04-urged")
    order = SupervisionOrder.objects.get(deadline=late)
    assert order.target_office.name.startswith("南湖区")

    district = portal("district_nanhu")
    page = district.goto("/")
    assert "督办" in district.goto("/inbox/").content()
    page = district.goto(f"/supervision/orders/{order.pk}/")
    page.fill("[data-testid=order-reply-form] [name=comment]", "已督促街道补报月报")
    page.click("button:has-text('提交回复')")
    expect(page.locator("[data-testid=order-state]")).to_have_text("已回复待审核")
    district.shot("supervision-05-replied")

    page = city.goto(f"/supervision/orders/{order.pk}/")
    page.click("button:has-text('审核办结')")
    expect(page.locator("[data-testid=order-state]")).to_have_text("已办结")
    city.shot("supervision-06-closed")
