"""Authorization matrix: every URL pattern (from the resolver, which includes every API route
of the OpenAPI schema) × every role × an own-scope and a foreign-scope object.

Two probe worlds: 乙 in 绍兴 越城区 塔山街道 and 甲 in 嘉兴 南湖区 建设街道, each with a community,
a project and everything hanging off it. For each role we know which world it may see. Object
routes: outside scope → 404 (GET and POST), inside → exactly the code of OBJECT_CODES. Routes
without an object: exactly the code of NO_OBJECT_CODES (200 when not listed), and no response
body (HTML, JSON, .xlsx, .csv) ever contains the name of a probe the role may not see. A new
route without an entry in ROUTES fails this test.
"""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communities.models import Office, Region, User

pytestmark = pytest.mark.django_db

PROBES = {"yi": ("330602001", "泄漏探针乙社区"), "jia": ("330402007", "泄漏探针甲社区")}
# role → the probe worlds it may see
ROLES = {
    "street_tashan": {"yi"}, "street_sibling": set(), "district_yuecheng": {"yi"},
    "city_shaoxing": {"yi"}, "street_jianshe": {"jia"}, "district_nanhu": {"jia"},
    "city_jiaxing": {"jia"}, "leader_jiaxing": {"jia"}, "finance_jiaxing": {"jia"},
    "street_fuchun": set(), "district_fuyang": set(), "finance_fuyang": set(),
    "admin": {"yi", "jia"},
}

# Batches are the city office's objects: visible to offices whose region covers the city.
CITY_LEVEL_KINDS = {"acceptance_batch", "naming_batch"}
CITY_ROLES = {"city_shaoxing": {"yi"}, "city_jiaxing": {"jia"}, "leader_jiaxing": {"jia"},
              "finance_jiaxing": {"jia"}, "admin": {"yi", "jia"}}

# URL name → {url kwarg: object kind} (empty: a route without an object). Kinds are built
# per world in `worlds`. None: excluded, with the reason.
ROUTES = {
    "home": {}, "community_list": {}, "community_import": {}, "community_import_template": {},
    "community_detail": {"pk": "community"}, "operation_log": {}, "login_log": {},
    "healthz": {}, "login": {}, "logout": None, "api_schema": {}, "api_docs": {},
    "projects:list": {}, "projects:review_queue": {}, "projects:create": {}, "projects:prechecks": {},
    "projects:what_if": {}, "acceptance:batches": {}, "acceptance:acceptance_batch_create": {},
    "acceptance:naming_batch_create": {}, "acceptance:acceptance_batch": {"pk": "acceptance_batch"},
    "projects:detail": {"pk": "project"}, "projects:edit": {"pk": "project"},
    "projects:act": {"pk": "project"}, "projects:report_new": {"pk": "project"},
    "projects:report_edit": {"pk": "project", "report_pk": "monthly_report"},
    "projects:spending_add": {"pk": "project"}, "projects:spending_finalise": {"pk": "project"},
    "projects:spending_correct": {"pk": "project", "record": "spending"},
    "projects:spending_decide": {"pk": "project", "record": "spending"},
    "projects:attachment_upload": {"pk": "project"},
    "projects:attachment_download": {"pk": "attachment"},
    "api_token": {}, "api_token_revoke": {}, "policy_simulation": {}, "api-root": {},
    "community-list": {}, "community-detail": {"pk": "community"},
    "project-list": {}, "project-detail": {"pk": "project"}, "project-actions": {"pk": "project"},
    "project-history": {"pk": "project"}, "project-attachments": {"pk": "project"},
    "project-finalise-spending": {"pk": "project"},
    "attachment-list": {}, "attachment-detail": {"pk": "attachment"},
    "attachment-download": {"pk": "attachment"},
    "monthly-report-list": {}, "monthly-report-detail": {"pk": "monthly_report"},
    "spending-list": {}, "spending-detail": {"pk": "spending"},
    "spending-correct": {"pk": "spending"}, "spending-decide-correction": {"pk": "spending"},
    "acceptance-batch-list": {}, "acceptance-batch-detail": {"pk": "acceptance_batch"},
    "acceptance-batch-results": {"pk": "acceptance_batch"},
    "acceptance-batch-drop": {"pk": "acceptance_batch"}, "acceptance-batch-cancel": {"pk": "acceptance_batch"},
    "naming-batch-list": {}, "naming-batch-detail": {"pk": "naming_batch"},
}
ROUTES.update(__import__("tests.security.routes_extra", fromlist=["ROUTES"]).ROUTES)
_SUPERVISION = __import__("tests.security.routes_supervision", fromlist=["ROUTES"])
ROUTES.update(_SUPERVISION.ROUTES)

# Routes without an object that do not answer a plain GET with 200 (role → code where it differs).
POST_ONLY = 405
ADMIN_ONLY = {role: 404 for role in ROLES if role != "admin"}  # the logs: 404 to all but admin
# Pages of one kind of office are 403 to the others (the menu offers them exactly where they answer
# 200: tests/*/test_permissions.py). Written out by hand from each page's permission function.
STREET_ROLES = {"street_fuchun", "street_jianshe", "street_sibling", "street_tashan"}
STREET_ONLY = {role: 403 for role in ROLES if role not in STREET_ROLES}  # 新建项目, edit, 月报
NOT_FOR_STREETS = {role: 403 for role in STREET_ROLES}  # batches, the ledger
REVIEWERS_ONLY = {role: 403 for role in (*STREET_ROLES, "finance_fuyang", "finance_jiaxing", "admin")}  # 待我审核
CITY_WIDE_ONLY = {role: 403 for role in (*STREET_ROLES, "district_fuyang", "district_nanhu", "district_yuecheng",
                                         "finance_fuyang", "city_jiaxing", "leader_jiaxing", "finance_jiaxing")}
# 月度通报: a scope covering the whole of 绍兴 (绍兴2023 四; 嘉兴 has none)
# 年度目标管理考核: 嘉兴 offices above the street and admin (dashboards.permissions.can_view_assessment)
NOT_JIAXING_ABOVE_STREET = {role: 403 for role in (*STREET_ROLES, "district_yuecheng", "city_shaoxing",
                                                   "district_fuyang", "finance_fuyang")}
NO_OBJECT_CODES = {
    "acceptance:acceptance_batch_create": POST_ONLY, "acceptance:naming_batch_create": POST_ONLY,
    "api_token": POST_ONLY, "api_token_revoke": POST_ONLY, "notification-read-all": POST_ONLY,
    "payment-approve": POST_ONLY,
    "payment-mark-paid": POST_ONLY, "policy_simulation": POST_ONLY, "portal:mark_all_read": POST_ONLY,
    "subsidies:apply": POST_ONLY, "subsidies:confirm": POST_ONLY, "projects:review_batch": POST_ONLY,
    "subsidies:payments_xlsx": NOT_FOR_STREETS, "subsidies:payments_csv": NOT_FOR_STREETS,
    "login_log": ADMIN_ONLY, "login_log_csv": ADMIN_ONLY, "login_log_xlsx": ADMIN_ONLY,
    "operation_log": ADMIN_ONLY, "operation_log_csv": ADMIN_ONLY, "operation_log_xlsx": ADMIN_ONLY,
    # coverage targets exist for Shaoxing and Jiaxing only: Fuyang's offices get no table to download
    "dashboards:coverage_csv": {"street_fuchun": 404, "district_fuyang": 404, "finance_fuyang": 404},
    "projects:create": STREET_ONLY,
    # 年度目标管理考核 (嘉兴 三(三)): 嘉兴's city offices and district offices (their own district), admin
    "dashboards:assessment": NOT_JIAXING_ABOVE_STREET, "dashboards:assessment_xlsx": NOT_JIAXING_ABOVE_STREET,
    "dashboards:assessment_csv": NOT_JIAXING_ABOVE_STREET, "assessment-list": NOT_JIAXING_ABOVE_STREET,
    "projects:review_queue": REVIEWERS_ONLY, "projects:review_queue_csv": REVIEWERS_ONLY,
    "projects:review_queue_xlsx": REVIEWERS_ONLY,
    "acceptance:batches": NOT_FOR_STREETS, "acceptance:acceptance_batches_csv": NOT_FOR_STREETS,
    "acceptance:acceptance_batches_xlsx": NOT_FOR_STREETS, "acceptance:naming_batches_csv": NOT_FOR_STREETS,
    "acceptance:naming_batches_xlsx": NOT_FOR_STREETS, "acceptance-batch-list": NOT_FOR_STREETS,
    "naming-batch-list": NOT_FOR_STREETS,
    "subsidies:ledger": NOT_FOR_STREETS, "subsidies:summary": NOT_FOR_STREETS, "subsidies:approved": NOT_FOR_STREETS,
    "acceptance:bulletins": CITY_WIDE_ONLY,
    # 公示管理: street, district and city townscape offices (residents.permissions.can_manage_notices)
    "residents:notices": {role: 403 for role in ("finance_fuyang", "finance_jiaxing", "leader_jiaxing", "admin")},
    "portal:favicon": 301, "portal:notice_new": {role: 403 for role in ROLES if role != "admin"},
    "user_list": {role: 403 for role in ROLES if role != "admin"},
    "user_new": {role: 403 for role in ROLES if role != "admin"},
}

# Object routes, own scope: (GET, POST without a body). The bodiless POST is refused as invalid
# (400), redirects back to the page with a message (302), re-renders the form (200) or is not
# allowed (405). Finalising spending is a workflow move: 409 for everyone here, since the project
# is only listed and the table has no such move from that state (the state is checked before the
# office, as for every move).
FINALISE = 409
OBJECT_CODES = {
    "community_detail": (200, 200), "community-detail": (200, 405),
    "projects:detail": (200, 200), "projects:edit": (STREET_ONLY, STREET_ONLY), "projects:act": (405, 302),
    "projects:report_new": (STREET_ONLY, STREET_ONLY), "projects:report_edit": (STREET_ONLY, STREET_ONLY),
    "projects:spending_add": (405, 302), "projects:spending_finalise": (405, 302),
    "projects:spending_correct": (405, 302), "projects:spending_decide": (405, 302),
    "projects:attachment_upload": (405, 302), "projects:attachment_download": (200, 200),
    "project-detail": (200, 405), "project-actions": (405, 400), "project-history": (200, 405),
    "project-attachments": (200, 400), "project-finalise-spending": (405, FINALISE),
    "attachment-detail": (200, 405), "attachment-download": (200, 405),
    "monthly-report-detail": (200, 405), "spending-detail": (200, 405),
    "spending-correct": (405, 400), "spending-decide-correction": (405, 400),
    "acceptance:acceptance_batch": (200, 200), "acceptance-batch-detail": (200, 405),
    "acceptance-batch-results": (405, 400), "naming-batch-detail": (200, 405),
    "acceptance-batch-drop": (405, 400), "acceptance-batch-cancel": (405, 400),
    "deadline-detail": (200, 405), "alert-detail": (200, 405),
    "payment-detail": (200, 405), "settlement-detail": (200, 405), "subsidies:project": (200, 200),
    # printable forms: scoped like their detail pages (issue #15)
    "projects:print_application": (200, 200), "projects:print_review": (200, 200),
    "acceptance:rectification_print": (200, 200), "subsidies:payment_print": (200, 200),
    "residents:project_surveys": (200, 302), "residents:survey": (200, 405), "residents:poster": (200, 405),
    "residents:notice": (200, 302), "survey-detail": (200, 405), "notice-detail": (200, 405),
    # 月报更正: the street asks (a bodiless POST re-renders the form), the district decides (back to the page)
    "projects:report_correction": (STREET_ONLY, STREET_ONLY),
    "projects:correction_decide": (405, {role: 403 for role in ROLES if role not in ("district_yuecheng",
                                                                                     "district_nanhu")} | {
        "district_yuecheng": 302, "district_nanhu": 302}),
}
NO_OBJECT_CODES.update(_SUPERVISION.NO_OBJECT_CODES)
CITY_LEVEL_KINDS |= _SUPERVISION.CITY_LEVEL_KINDS
OBJECT_CODES.update(_SUPERVISION.OBJECT_CODES)


def expected_code(code, role):
    return code.get(role, 200) if isinstance(code, dict) else code


def walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(x for x in [namespace, pattern.namespace] if x) or None
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = ":".join(x for x in [namespace, pattern.name] if x) if pattern.name else None
            yield prefix + str(pattern.pattern), name


def portal_routes():
    for route, name in walk(get_resolver()):
        if route.startswith("admin/") or "format" in route or route.startswith("static"):
            continue
        yield route, name


def test_every_route_has_an_entry_in_the_matrix():
    missing = sorted({f"{name} ({route})" for route, name in portal_routes() if name not in ROUTES})
    assert not missing, "add these routes to ROUTES (tests/security): " + ", ".join(missing)


def test_every_openapi_operation_is_a_resolved_route(client_for):
    schema = client_for("admin").get("/api/schema/?format=json").json()
    routes = {re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", r).replace("^", "").replace("$", "")
              for r, _ in portal_routes()}
    routes = {"/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r) for r in routes}
    def shape(path):  # parameter names differ ({id} in the schema, <pk> in the router)
        return re.sub(r"\{\w+\}", "{}", path)

    known = {shape(r) for r in routes}
    missing = [path for path in schema["paths"] if shape(path) not in known]
    assert not missing, missing


def build_world(key, users):
    from acceptance.models import AcceptanceBatch, NamingBatch
    from projects import attachments
    from projects.models import MonthlyReport, SpendingRecord
    from tests import world as w

    street_code, name = PROBES[key]
    street = Region.objects.get(code=street_code)
    community = w.community(street_code, name)
    project = w.projects(street_code, 1, of=community, name=f"{name}项目")[0]  # listed 2025-03-01
    street_user = users["street_tashan" if key == "yi" else "street_jianshe"]
    attachment = attachments.add_attachment(street_user, project, "photo",
                                            SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 probe"))
    report = MonthlyReport.objects.create(project=project, month=dt.date(2025, 4, 1), progress_percent=10,
                                          investment_completed=1, problems=name, submitted_by=street_user)
    spending = SpendingRecord.objects.create(project=project, spent_on=dt.date(2025, 5, 1), amount=1,
                                             description=name, recorded_by=street_user)
    city_office = Office.objects.get(kind="city_townscape", region=street.parent.parent)
    batch = AcceptanceBatch.objects.create(kind="ad_hoc", held_on=dt.date(2025, 6, 1), title=name,
                                           office=city_office, created_by=street_user)
    naming = NamingBatch.objects.create(title=name, document_no=name, named_on=dt.date(2025, 7, 1),
                                        office=city_office, created_by=street_user)
    world = {"community": community, "project": project, "attachment": attachment,
             "monthly_report": report, "spending": spending, "acceptance_batch": batch,
             "naming_batch": naming}
    from tests.security.routes_extra import extra_objects

    world.update(extra_objects(key, project, users))
    world.update(_SUPERVISION.supervision_objects(key, project, users))
    return world


@pytest.fixture
def worlds(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = Office.objects.get(kind="street", region__code="330602002")
    users["street_sibling"] = User.objects.create_user("street_sibling", password="x", office=office)
    return {key: build_world(key, users) for key in PROBES}


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # .xlsx: read the shared strings and inline strings
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist()
                            if n.endswith(".xml"))
    return content.decode("utf-8-sig", "ignore")


def url_for(name, kinds, world):
    return reverse(name, kwargs={arg: world[kind].pk for arg, kind in kinds.items()})


@pytest.mark.parametrize("role", sorted(ROLES))
def test_role_sees_and_acts_only_within_scope(role, users, worlds, client):
    client.force_login(users[role])
    allowed = ROLES[role]
    forbidden_markers = [PROBES[k][1] for k in PROBES if k not in allowed]
    checked = 0
    for route, name in portal_routes():
        kinds = ROUTES[name]
        if kinds is None:
            continue
        if not kinds:
            if "<" in route or "(?P" in route:
                continue  # parametrised without an object (e.g. a file name): covered by its own tests
            response = client.get(reverse(name))
            assert response.status_code == expected_code(NO_OBJECT_CODES.get(name, 200), role), (
                role, name, response.status_code)
            text = body_text(response)
            for marker in forbidden_markers:
                assert marker not in text, f"{role} sees {marker} at {name}"
            checked += 1
            continue
        for key, world in worlds.items():
            url = url_for(name, kinds, world)
            visible = allowed if not CITY_LEVEL_KINDS & set(kinds.values()) else CITY_ROLES.get(role, set())
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if key in visible:
                    code = OBJECT_CODES[name][("get", "post").index(method)]
                    assert response.status_code == expected_code(code, role), (role, name, method,
                                                                               response.status_code)
                else:
                    assert response.status_code == 404, (role, name, method, key, response.status_code)
                checked += 1
    assert checked > 50
