"""Matrix entries and probe objects of the supervision routes (检查整改与督办). Codes written by
hand from supervision/permissions.py: the page is for 风貌办 and streets (and administrators);
recording an inspection for 风貌办; replies for the addressed office; reviews for the issuer."""

ROLES = ("street_tashan", "street_sibling", "district_yuecheng", "city_shaoxing", "street_jianshe",
         "district_nanhu", "city_jiaxing", "leader_jiaxing", "finance_jiaxing", "street_fuchun",
         "district_fuyang", "finance_fuyang", "admin")
NOT_SUPERVISING = {"leader_jiaxing": 403, "finance_jiaxing": 403, "finance_fuyang": 403}
TOWNSCAPE = {"district_yuecheng", "city_shaoxing", "district_nanhu", "city_jiaxing"}
INSPECT_GET = {role: 200 if role in TOWNSCAPE else 403 for role in ROLES}
INSPECT_POST = {role: 400 if role in TOWNSCAPE else 403 for role in ROLES}
# the probe 整改单 and 督办单 await the project's street: its reply without a body is 400 (请填写…)
STREET_REPLIES = {role: 400 if role in ("street_tashan", "street_jianshe") else 403 for role in ROLES}

ROUTES: dict = {
    "supervision:index": {}, "supervision:order_new": {},
    "supervision:inspection_new": {"project_pk": "project"},
    "supervision:inspection": {"pk": "inspection"}, "supervision:inspection_issue": {"pk": "inspection"},
    "supervision:item_reply": {"pk": "inspection_item"}, "supervision:item_review": {"pk": "inspection_item"},
    "supervision:order": {"pk": "supervision_order"}, "supervision:order_reply": {"pk": "supervision_order"},
    "supervision:order_review": {"pk": "supervision_order"}, "supervision:urge": {"deadline_pk": "deadline"},
    "inspection-list": {}, "inspection-detail": {"pk": "inspection"},
    "inspection-order-list": {}, "inspection-order-detail": {"pk": "inspection_item"},
    "inspection-order-reply": {"pk": "inspection_item"}, "inspection-order-review": {"pk": "inspection_item"},
    "supervision-order-list": {}, "supervision-order-detail": {"pk": "supervision_order"},
    "supervision-order-reply": {"pk": "supervision_order"}, "supervision-order-review": {"pk": "supervision_order"},
    "supervision-order-urge": {},
    "supervision:approval_ledger": {}, "supervision:approval_ledger_xlsx": {}, "supervision:approval_ledger_csv": {},
    "supervision:approvals": {"project_pk": "project"},
    "approval-checklist-list": {}, "approval-checklist-detail": {"pk": "project"},
    "approval-checklist-record": {"pk": "project"},
    "supervision:operations_list": {}, "supervision:operations_list_xlsx": {},
    "supervision:operations_list_csv": {}, "supervision:operations": {"project_pk": "project"},
    "operations-list": {}, "operations-detail": {"pk": "project"}, "operations-operators": {"pk": "project"},
    "operations-reports": {"pk": "project"}, "operations-inflows": {"pk": "project"},
    "supervision:summaries": {}, "supervision:summaries_xlsx": {}, "supervision:summaries_csv": {},
    "work-summary-list": {}, "work-summary-detail": {"pk": "work_summary"},
    "supervision:meetings": {}, "supervision:meetings_xlsx": {}, "supervision:meetings_csv": {},
    "supervision:meeting": {"pk": "meeting"},
    "supervision:evaluation": {}, "supervision:evaluation_xlsx": {},
    "meeting-list": {}, "meeting-detail": {"pk": "meeting"}, "evaluation-list": {},
}
# 月报月例会 records are a city's, like its bulletins: read by offices whose scope covers the city
CITY_LEVEL_KINDS = {"meeting"}
NO_OBJECT_CODES = {"supervision:index": NOT_SUPERVISING, "supervision:order_new": 405, "supervision-order-urge": 405}
for _name in ("inspection_orders", "supervision_orders", "overdue_items"):
    ROUTES[f"supervision:{_name}_xlsx"] = ROUTES[f"supervision:{_name}_csv"] = {}
    NO_OBJECT_CODES[f"supervision:{_name}_xlsx"] = NO_OBJECT_CODES[f"supervision:{_name}_csv"] = NOT_SUPERVISING

for _name in ("operations_list", "operations_list_xlsx", "operations_list_csv"):
    NO_OBJECT_CODES[f"supervision:{_name}"] = NOT_SUPERVISING
# 富阳 五(一) 工作总结: 富阳's streets and district office (and administrators)
FUYANG_ONLY = {role: 200 if role in ("street_fuchun", "district_fuyang", "admin") else 403 for role in ROLES}
for _name in ("summaries", "summaries_xlsx", "summaries_csv", "evaluation", "evaluation_xlsx"):
    NO_OBJECT_CODES[f"supervision:{_name}"] = FUYANG_ONLY
NO_OBJECT_CODES["evaluation-list"] = FUYANG_ONLY
# 嘉兴 三(三) 月报月例会: 嘉兴's city-wide offices (and administrators); 绍兴 keeps its 月度通报
JIAXING_CITY_WIDE = {role: 200 if role in ("city_jiaxing", "leader_jiaxing", "finance_jiaxing", "admin")
                     else 403 for role in ROLES}
for _name in ("meetings", "meetings_xlsx", "meetings_csv"):
    NO_OBJECT_CODES[f"supervision:{_name}"] = JIAXING_CITY_WIDE
NO_OBJECT_CODES["meeting-list"] = JIAXING_CITY_WIDE
# 旧改审批台账 (绍兴2023 三(四)): 绍兴's supervising offices and administrators
SHAOXING_ONLY = {role: 200 if role in ("street_tashan", "street_sibling", "district_yuecheng", "city_shaoxing",
                                       "admin") else 403 for role in ROLES}
for _name in ("approval_ledger", "approval_ledger_xlsx", "approval_ledger_csv"):
    NO_OBJECT_CODES[f"supervision:{_name}"] = SHAOXING_ONLY
# the probe 乙 project is 绍兴2023's: its street and district record; every other office (and 甲's
# Jiaxing project for everyone) is refused
RECORDERS_GET = {role: 200 if role in ("street_tashan", "district_yuecheng") else 403 for role in ROLES}
RECORDERS_POST = {role: 302 if role in ("street_tashan", "district_yuecheng") else 403 for role in ROLES}
RECORDERS_API = {role: 200 if role in ("street_tashan", "district_yuecheng") else 403 for role in ROLES}

VIEW = {role: NOT_SUPERVISING.get(role, 200) for role in ROLES}
OBJECT_CODES = {
    "supervision:inspection_new": (INSPECT_GET, INSPECT_POST),
    "supervision:inspection": (VIEW, 405), "supervision:inspection_issue": (405, 302),
    "supervision:item_reply": (405, 302), "supervision:item_review": (405, 302),
    "supervision:order": (VIEW, 405), "supervision:order_reply": (405, 302),
    "supervision:order_review": (405, 302), "supervision:urge": (405, 302),
    "inspection-detail": (200, 405), "inspection-order-detail": (200, 405),
    "inspection-order-reply": (405, STREET_REPLIES), "inspection-order-review": (405, 403),
    "supervision-order-detail": (200, 405), "supervision-order-reply": (405, STREET_REPLIES),
    "supervision-order-review": (405, 403),
    "supervision:approvals": (RECORDERS_GET, RECORDERS_POST),
    "approval-checklist-detail": (200, 405), "approval-checklist-record": (405, RECORDERS_API),
    # the probe project is listed, not named: its operations dossier is read, nothing recorded (403)
    "supervision:operations": (VIEW, {role: NOT_SUPERVISING.get(role, 302) for role in ROLES}),
    "operations-detail": (200, 405), "operations-operators": (405, 403), "operations-reports": (405, 403),
    "operations-inflows": (405, 403), "work-summary-detail": (200, 405),
    "supervision:meeting": (200, 405), "meeting-detail": (200, 405),
}


def supervision_objects(key, project, users) -> dict:
    """An inspection with one open 整改单 by the district office, and a 督办单 from it to the street."""
    import datetime as dt

    from acceptance.models import RectificationOrder
    from communities.models import Office
    from supervision.models import Inspection, InspectionOrder, SupervisionOrder

    district = users["district_yuecheng" if key == "yi" else "district_nanhu"]
    inspection = Inspection.objects.create(project=project, office=district.office, inspected_on=dt.date(2025, 6, 1),
                                           inspectors=project.community.name, findings=project.community.name,
                                           created_by=district)
    order = RectificationOrder.objects.create(project=project, issued_by=district, office=district.office,
                                              due_on=dt.date(2030, 1, 1), requirements=project.community.name,
                                              origin="inspection")
    item = InspectionOrder.objects.create(inspection=inspection, order=order)
    street = Office.objects.get(kind="street", region=project.street)
    supervision = SupervisionOrder.objects.create(issuer_office=district.office, target_office=street,
                                                  subject=project.community.name, requirements="probe",
                                                  reply_due_on=dt.date(2030, 1, 1), created_by=district)
    supervision.projects.set([project])
    from supervision.models import WorkSummary

    summary = WorkSummary.objects.create(office=street, kind="weekly", period_start=dt.date(2025, 6, 2),
                                         problems=project.community.name, submitted_by=district)
    from supervision.models import MonthlyMeeting

    meeting = MonthlyMeeting.objects.create(city=project.street.parent.parent, month=dt.date(2025, 5, 1),
                                            held_on=dt.date(2025, 6, 3), attendees=project.community.name,
                                            minutes=project.community.name, created_by=district)
    return {"inspection": inspection, "inspection_item": item, "supervision_order": supervision,
            "work_summary": summary, "meeting": meeting}
