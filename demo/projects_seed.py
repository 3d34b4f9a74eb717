"""Demo projects in every state for every role (seed_demo --scale demo), deterministic.

Projects are driven through the real workflow (projects.services) by the demo users, so
history, deadlines and every side effect are what production would have.
"""

import csv
import datetime as dt

from django.db import transaction

from communities.models import Community, User
from demo.communities_seed import DEMO_STREET_CODES
from projects import services, workflow
from projects.models import CreationProject, Status
from residents.models import Survey

JURISDICTIONS = {
    "富春街道": {"street": "street_fuchun", "district": "district_fuyang"},
    "银湖街道": {"street": "street_yinhu", "district": "district_fuyang"},
    "建设街道": {"street": "street_jianshe", "district": "district_nanhu", "city": "city_jiaxing",
                 "leading_group": "leader_jiaxing"},
    "塔山街道": {"street": "street_tashan", "district": "district_yuecheng", "city": "city_shaoxing"},
}
TARGETS = [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED, Status.REJECTED,
           Status.LISTED, Status.LISTED, Status.ACCEPTANCE_REQUESTED, Status.RECTIFYING,
           Status.ACCEPTED, Status.NAMED, Status.WITHDRAWN, Status.TERMINATED, Status.RESERVE]
FORWARD = ("start_application", "submit", "approve", "record_listing", "request_acceptance",
           "record_acceptance", "record_naming")
ORDER = [Status.RESERVE, Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.LISTED,
         Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_REVIEW, Status.ACCEPTED, Status.NAMED]


def _attach_materials(project, step, user):
    """The demo street uploads what the step requires (projects.materials), a one-page PDF each."""
    from django.core.files.base import ContentFile

    from projects.materials import status
    from projects.models import Attachment

    for material, present in status(project, step):
        if not present:
            attachment = Attachment(project=project, kind=material.key, original_name=f"{material.label}.pdf",
                                    content_type="application/pdf", size=14, uploaded_by=user)
            attachment.file.save(f"{material.key}.pdf", ContentFile(b"%PDF-1.4 demo\n"), save=False)
            attachment.save()


def _step_forward(project, actors, dates):
    for move in workflow.moves(project):
        if move.action in FORWARD and move.office_level in actors:
            if move.action in ("submit", "request_acceptance"):
                _attach_materials(project, move.action, User.objects.get(username=actors["street"]))
            data = {"listed_on": dates["listed"], "accepted_on": dates["accepted"],
                    "named_on": dates["named"], "document_no": f"演示〔{dates['listed'].year}〕{project.pk}号"}
            user = User.objects.get(username=actors[move.office_level])
            if move.action == "request_acceptance" and actors.get("leading_group"):
                # 嘉兴 二(五)13: the project's own satisfaction survey, after its listing
                Survey.objects.get_or_create(project=project, kind=Survey.Kind.SATISFACTION, defaults={
                    "community": project.community, "source": Survey.Source.STAFF,
                    "conducted_on": dates["listed"] + dt.timedelta(days=30), "sample_size": 300,
                    "satisfied_share": 92})
            project = services.perform_action(project, user, move.action, data)
            if move.action == "request_acceptance":
                # The demo's history is made up after the fact: the request precedes the made-up
                # acceptance date (projects.dates: 申请验收 ≤ 验收通过).
                requested = max(dates["listed"], dates["accepted"] - dt.timedelta(days=10))
                CreationProject.objects.filter(pk=project.pk).update(acceptance_requested_on=requested)
                project.acceptance_requested_on = requested
            return project
    raise RuntimeError(f"no forward move for {project} in {project.status}")


def drive(project, target, actors, dates):
    """Move a project to `target` the way offices would (side exits at the right point)."""
    side = {Status.RETURNED: (Status.SUBMITTED, "return", "district"),
            Status.REJECTED: (Status.SUBMITTED, "reject", "district"),
            Status.WITHDRAWN: (Status.DRAFT, "withdraw", "street"),
            Status.RECTIFYING: (Status.ACCEPTANCE_REQUESTED, "issue_rectification", None),
            Status.TERMINATED: (Status.LISTED, "terminate", "district")}
    final = target
    if target in side:
        target = side[target][0]
    while project.status != target and ORDER.index(project.status) < ORDER.index(target):
        project = _step_forward(project, actors, dates)
    if final in side:
        _, action, level = side[final]
        if level is None:
            level = next(m.office_level for m in workflow.moves(project) if m.action == action)
        data = {"comment": "演示：请补充完善材料", "due_on": dates["rectify_due"]}
        project = services.perform_action(project, User.objects.get(username=actors[level]), action, data)
    return project


@transaction.atomic
def seed_projects(rng) -> int:
    if CreationProject.objects.exists():
        return 0
    today = services.today()
    created = 0
    for street_name, actors in JURISDICTIONS.items():
        street_user = User.objects.get(username=actors["street"])
        communities = list(Community.objects.filter(street__code=DEMO_STREET_CODES[street_name])
                           .order_by("name"))
        for index, target in enumerate(TARGETS[: len(communities)]):
            community = communities[index]
            Survey.objects.get_or_create(community=community, kind=Survey.Kind.NEEDS, defaults={
                "source": Survey.Source.STAFF, "conducted_on": today - dt.timedelta(days=500),
                "sample_size": rng.randrange(200, 600)})
            listed = today - dt.timedelta(days=rng.randrange(200, 420))
            dates = {"listed": listed, "accepted": today - dt.timedelta(days=rng.randrange(20, 60)),
                     "named": today - dt.timedelta(days=rng.randrange(1, 15)),
                     "rectify_due": today + dt.timedelta(days=rng.randrange(20, 60))}
            tier = rng.choice(["provincial", "municipal"])
            category = rng.choice(["renovation", "renovation", "new_build"])
            if category == "new_build" and community.street.code.startswith("3306"):
                tier = "provincial"  # 绍兴2023 二(一)：新建类社区均需开展省级未来社区建设
            project = services.create_project(
                street_user, community, tier=tier, category=category,
                batch_year=listed.year, total_investment=rng.randrange(800, 9000) * 10000,
                building_area=rng.randrange(2000, 60000), households=community.households,
                as_reserve=target == Status.RESERVE)
            if target != Status.RESERVE:
                drive(project, target, actors, dates)
            created += 1
    created += _fuyang_rolling_library(today)
    return created


def _fuyang_rolling_library(today) -> int:
    """富阳 附件1: the rolling project library as reserve projects with planned months."""
    from communities.services import FIXTURES

    created = 0
    with open(FIXTURES / "fuyang_rolling_library.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            community = Community.objects.filter(name=row["community"], street__parent__code="330111").first()
            if community is None or community.projects.exists():
                continue
            user = User.objects.filter(office__region=community.street).first()
            start = dt.date.fromisoformat(row["planned_start"] + "-01") if row["planned_start"] else None
            finish = dt.date.fromisoformat(row["planned_finish"] + "-01")
            project = CreationProject(
                community=community, street=community.street, tier="municipal", category="renovation",
                batch_year=(start or finish).year, status=Status.RESERVE, planned_start=start,
                planned_finish=finish, task_year=finish.year, responsible_unit=row["responsible_unit"],
                reserve_stage=CreationProject.ReserveStage.RESERVE, created_by=user)
            services.bind_policy(project, today)
            project.save()
            created += 1
    return created
