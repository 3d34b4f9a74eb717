"""Matrix entries and probe objects of the acceptance, subsidies and dashboard routes."""

import datetime as dt

ROUTES: dict = {"dashboards:index": {}}
for _key in ("plan", "coverage", "quotas", "overdue", "fuyang", "targets"):
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
    "subsidies:ledger": {}, "subsidies:summary": {}, "portal:exports": {},
    "subsidies:confirm": {}, "subsidies:apply": {}, "subsidies:project": {"pk": "project"},
    "portal:export": {},  # <slug:kind>: every kind's scope is covered by tests/subsidies/test_exports.py
    # Export jobs belong to their requester (not region-scoped): tests/subsidies/test_exports.py
    "portal:export_job": None, "portal:export_progress": None, "portal:export_download": None,
    "export-job-list": {}, "export-job-detail": None,
    "payment-list": {}, "payment-detail": {"pk": "payment"}, "payment-approve": {}, "payment-mark-paid": {},
    "payment-totals": {}, "settlement-detail": {"pk": "project"},
    # 一事一议 (POST only, 富阳 district finance / district office): tests/subsidies/test_special_case.py
    # proves 404 outside scope and 403 for every other office.
    "subsidies:request_override": None, "subsidies:decide_override": None,
})

# The .xlsx / .csv of each list page (portal.listing): the same scoped queryset as the
# page, so the matrix checks no foreign probe appears in any file. Log exports are
# administrators only (404 for everyone else: tests/communities/test_lists.py).
for _name in ("community_list", "operation_log", "login_log", "projects:review_queue",
              "acceptance:acceptance_batches", "acceptance:naming_batches", "portal:inbox"):
    ROUTES[f"{_name}_xlsx"] = {}
    ROUTES[f"{_name}_csv"] = {}


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
    return {"deadline": deadline, "alert": alert, "payment": payment}
