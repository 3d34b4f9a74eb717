"""Matrix entries and probe objects of the acceptance, subsidies and dashboard routes."""

import datetime as dt

ROUTES: dict = {"dashboards:index": {}, "assessment-list": {}}
for _key in ("plan", "coverage", "quotas", "overdue", "fuyang", "targets", "assessment"):
    ROUTES[f"dashboards:{_key}"] = {}
    ROUTES[f"dashboards:{_key}_xlsx"] = {}
    ROUTES[f"dashboards:{_key}_csv"] = {}

ROUTES.update({
    "portal:inbox": {}, "portal:mark_all_read": {}, "acceptance:bulletins": {},
    "deadline-list": {}, "deadline-detail": {"pk": "deadline"},
    "alert-list": {}, "alert-detail": {"pk": "alert"},
    "notification-list": {}, "notification-read-all": {},
    # A user's own inbox entries are not region-scoped objects: tests/acceptance/test_notifications.py
    # proves another user's notification is 404.
    "portal:mark_read": None, "notification-detail": None, "notification-read": None,
    # City-wide bulletins are visible to offices whose scope covers the whole city:
    # tests/acceptance/test_bulletins.py proves other cities' users get 404.
    "acceptance:bulletin": None, "acceptance:bulletin_download": None,
    # 县域、街道全域 (绍兴 only; POST moves by the applying office and the city office):
    # tests/acceptance/test_whole_area.py proves scope (404) and the offices (403).
    "acceptance:whole_area": None, "acceptance:whole_area_apply": None,
    "acceptance:whole_area_decide": None, "acceptance:whole_area_publish": None,
})
ROUTES.update({
    "subsidies:ledger": {}, "subsidies:summary": {}, "subsidies:approved": {}, "portal:exports": {},
    "subsidies:confirm": {}, "subsidies:apply": {}, "subsidies:project": {"pk": "project"},
    "portal:export": {},  # <slug:kind>: every kind's scope is covered by tests/subsidies/test_exports.py
    # Export jobs belong to their requester (not region-scoped): tests/subsidies/test_exports.py
    "portal:export_job": None, "portal:export_progress": None, "portal:export_download": None,
    "export-job-list": {}, "export-job-detail": None,
    "payment-list": {}, "payment-detail": {"pk": "payment"}, "payment-approve": {}, "payment-mark-paid": {},
    "payment-totals": {}, "settlement-detail": {"pk": "project"},
    "subsidies:payment_print": {"pk": "payment"}, "acceptance:rectification_print": {"pk": "rectification"},
    "projects:print_application": {"pk": "project"}, "projects:print_review": {"pk": "project"},
    "projects:review_batch": {}, "region_streets": {},
})

ROUTES.update({
    "password_change": {}, "password_change_done": {}, "portal:favicon": {},
    "portal:notices": {}, "portal:notice_new": {}, "portal:policy_library": {},
    "user_list": {}, "user_new": {},
    # Notices are portal-wide (no region) and users are managed by administrators only:
    # tests/portal/test_notices.py and tests/communities/test_users.py prove who reaches them.
    "portal:notice_detail": None, "portal:notice_edit": None,
    "user_edit": None, "user_toggle": None, "user_password": None,
})

ROUTES.update({  # 月报更正 (issue #15 defect 3)
    "projects:report_correction": {"pk": "project", "report_pk": "monthly_report"},
    "projects:correction_decide": {"pk": "project", "correction_pk": "report_correction"},
})

ROUTES.update({
    # 一事一议 (POST only, 富阳 district finance / district office): tests/subsidies/test_special_case.py
    # proves 404 outside scope and 403 for every other office.
    "subsidies:request_override": None, "subsidies:decide_override": None,
})

# The .xlsx / .csv of each list page (portal.listing): the same scoped queryset as the
# page, so the matrix checks no foreign probe appears in any file. Log exports are
# administrators only (404 for everyone else: tests/communities/test_lists.py).
for _name in ("community_list", "operation_log", "login_log", "projects:review_queue",
              "acceptance:acceptance_batches", "acceptance:naming_batches", "portal:inbox", "subsidies:payments"):
    ROUTES[f"{_name}_xlsx"] = {}
    ROUTES[f"{_name}_csv"] = {}


# Residents (issue #18). The public site (/gongshi/) is public by design, with no login and no data
# scope: tests/residents/test_public_site.py proves it shows only listed and named projects and
# nothing internal; the survey form and the objection form take anonymous answers
# (tests/residents/test_qr_surveys.py, test_notices.py).
ROUTES.update({
    "public:index": None, "public:project": None, "public:attachment": None, "public:notice": None,
    "public:objection": None, "public:survey": None,
    "residents:notices": {}, "residents:project_surveys": {"pk": "project"},
    "residents:survey": {"pk": "survey"}, "residents:poster": {"pk": "qr_survey"},
    "residents:notice": {"pk": "notice"},
    "survey-list": {}, "survey-detail": {"pk": "survey"}, "notice-list": {}, "notice-detail": {"pk": "notice"},
})


def residents_objects(key, project, users) -> dict:
    from communities.models import Office
    from residents.models import Notice, Survey

    name = project.community.name
    survey = Survey.objects.create(community=project.community, project=project, kind="satisfaction",
                                   source="staff", title=name, conducted_on=dt.date(2025, 6, 1), sample_size=1)
    qr = Survey.objects.create(community=project.community, project=project, kind="consultation", source="qr",
                               title=name, opens_on=dt.date(2025, 6, 1), closes_on=dt.date(2025, 6, 30))
    office = Office.objects.get(kind="street", region=project.street)
    notice = Notice.objects.create(office=office, region=project.street, kind="implementation_plan", title=name,
                                   body=name, starts_on=dt.date(2025, 6, 1), period_days=7,
                                   ends_on=dt.date(2025, 6, 7), published_by=users["admin"])
    notice.projects.add(project)
    return {"survey": survey, "qr_survey": qr, "notice": notice}


def extra_objects(key, project, users) -> dict:
    from acceptance.models import Alert, Deadline
    from communities.models import Office

    deadline, _ = Deadline.objects.update_or_create(
        project=project, key="construction",
        defaults={"kind": "construction", "label": "建设完成时限", "due_on": dt.date(2026, 3, 1),
                  "basis": "probe", "state": "overdue"})
    alert = Alert.objects.create(deadline=deadline, due_on=deadline.due_on, level="overdue", period=1,
                                 office=Office.objects.get(kind="street", region=project.street),
                                 raised_on=dt.date(2026, 3, 8))
    from django.utils import timezone

    from subsidies.models import Payment

    payment = Payment.objects.create(project=project, kind="award", payer="city", trigger="probe", amount=1,
                                      fiscal_year=2025, basis=project.community.name, computed_at=timezone.now())
    from acceptance.models import RectificationOrder

    district_office = Office.objects.get(kind="district_townscape", region=project.street.parent)
    rectification = RectificationOrder.objects.create(
        project=project, issued_by=users["admin"], office=district_office, due_on=dt.date(2026, 9, 1),
        requirements=project.community.name)
    from projects.models import ReportCorrection

    report = project.monthly_reports.first()
    correction = ReportCorrection.objects.create(report=report, progress_percent=11, investment_completed=1,
                                                 reason=project.community.name, requested_by=report.submitted_by)
    return {"deadline": deadline, "alert": alert, "payment": payment, "rectification": rectification,
            "report_correction": correction,
            **residents_objects(key, project, users)}
