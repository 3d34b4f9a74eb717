"""A double click on 录入支出 records one spending row (issue #20 item 8): the button is disabled
on submit (static/js/portal.js, data-submit-once) and the form's one-time token makes a second
POST of the same form create nothing."""

import pytest
from django.utils import timezone

from projects.models import SpendingRecord, Status
from tests import world

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_click_on_the_spending_form_records_one_row(portal):
    project = world.projects(world.STREETS["fuyang"], 1, Status.LISTED, prefix="双击")[0]
    street = portal("street_fuchun")
    page = street.goto(f"/projects/{project.pk}/")
    form = page.locator("[data-testid=spending-form]")
    form.locator("[name=spent_on]").fill(timezone.localdate().isoformat())
    form.locator("[name=amount]").fill("3200.00")
    form.locator("[name=description]").fill("设计费")

    form.locator("button").dblclick()
    page.wait_for_load_state()
    page.wait_for_selector("text=实际支出已录入")

    assert list(SpendingRecord.objects.filter(project=project).values_list("amount", flat=True)) == [3200]
