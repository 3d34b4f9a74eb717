"""Issue #15 defect 1: every edit form, fetched for an existing object and posted back unchanged,
changes nothing — not the object, not its version, not its history. Date inputs show ISO
YYYY-MM-DD (what a `type=date` input can display), month-only fields are `type=month`.

The edit forms are found from the URLconf (every route named `edit` or `*_edit`): a new edit
form without a case here fails `test_every_edit_route_has_a_case`.
"""

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Notice
from projects import reports
from projects.models import CreationProject, MonthlyReport, Transition
from projects.services import today

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The fields of each POST form of a page, as a browser would submit them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": [], "inputs": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and "name" in a and "disabled" not in a:
            self._form["inputs"].append(a)
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and "disabled" not in a:
            self._select = {"name": a.get("name"), "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["first"] = value if self._select["first"] is None else self._select["first"]
            if "selected" in a:
                self._select["chosen"] = value
        elif tag == "textarea" and "disabled" not in a:
            self._textarea = [a.get("name"), ""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            self._form["fields"].append((self._select["name"], chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def edit_form(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    own = [f for f in parser.forms if f["action"] == ""]  # the form that posts to its own page
    assert len(own) == 1, [f["action"] for f in parser.forms]
    return own[0]


def route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def snapshot(obj, project):
    """The object's fields and, for a project's object, the project's history (objects outside
    a project — a notice, a user — have none: `project` is None)."""
    obj.refresh_from_db()
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    history = list(Transition.objects.filter(project=project).values_list("pk", flat=True)) if project else []
    return fields, model_to_dict(obj), history


def draft_project(create_project):
    made = create_project(
        "shaoxing", name="回路测试未来社区", reserve_stage="mature", responsible_unit="塔山街道城建办",
        unit_area_ha="21.50", households=1234, total_investment="35000000.00", building_area="120000.00",
        government_funded=False, changes_land_use=True, stock_land_used=True, involves_demolition=True,
        planned_start="2026-12-15", planned_finish="2027-11-01", task_year=2027)
    return CreationProject.objects.get(pk=made["id"])


def case_project_edit(create_project, users, listed_project):
    project = draft_project(create_project)
    return f"/projects/{project.pk}/edit/", project, project, "street_tashan"


def case_report_edit(create_project, users, listed_project):
    project = listed_project("shaoxing", listed_on=today().replace(day=1) - dt.timedelta(days=40))
    report = reports.submit_monthly_report(
        users["street_tashan"], project, month=today().replace(day=1), progress_percent=Decimal("35.5"),
        investment_completed=Decimal("1234567.89"), problems="拆迁协商\n两户未签", next_steps="完成签约")
    url = f"/projects/{project.pk}/reports/{report.pk}/"
    return url, MonthlyReport.objects.get(pk=report.pk), project, "street_tashan"


def case_notice_edit(create_project, users, listed_project):
    notice = Notice.objects.create(
        title="关于报送2026年度月报的通知", body="请各街道于每月5日前报送。\n逾期将通报。",
        published_on=dt.date(2026, 11, 2), pinned=True, author=users["admin"])
    return f"/notices/{notice.pk}/edit/", notice, None, "admin"


def case_user_edit(create_project, users, listed_project):
    subject = users["street_tashan"]
    return f"/users/{subject.pk}/", subject, None, "admin"


CASES = {"projects:edit": case_project_edit, "projects:report_edit": case_report_edit,
         "portal:notice_edit": case_notice_edit, "user_edit": case_user_edit}


def test_every_edit_route_has_a_case():
    edits = {name for name in route_names() if re.search(r"(^|[:_])edit$", name)}
    assert edits == set(CASES)


@pytest.mark.parametrize("route", sorted(CASES))
def test_an_edit_form_posted_back_unchanged_changes_nothing(route, create_project, users, listed_project, client_for):
    url, obj, project, username = CASES[route](create_project, users, listed_project)
    client = client_for(username)
    page = client.get(url)
    assert page.status_code == 200
    form = edit_form(page.content.decode())
    for attrs in form["inputs"]:
        value = attrs.get("value", "")
        if attrs.get("type") == "date":
            assert value == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (attrs["name"], value)
        if attrs.get("type") == "month":
            assert value == "" or re.fullmatch(r"\d{4}-\d{2}", value), (attrs["name"], value)
    before = snapshot(obj, project)
    response = client.post(url, dict_of(form["fields"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert snapshot(obj, project) == before


def dict_of(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def test_planned_months_are_month_inputs_showing_the_stored_month(create_project, users, client_for):
    project = draft_project(create_project)
    form = edit_form(client_for("street_tashan").get(f"/projects/{project.pk}/edit/").content.decode())
    inputs = {a["name"]: a for a in form["inputs"]}
    assert (inputs["planned_start"]["type"], inputs["planned_start"]["value"]) == ("month", "2026-12")
    assert (inputs["planned_finish"]["type"], inputs["planned_finish"]["value"]) == ("month", "2027-11")
