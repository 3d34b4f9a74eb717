"""The one test world: offices, users, communities and projects, built one way.

- Offices and users: the real reference data and the demo logins of CONTRACTS §5 (loaded once
  per session by tests/conftest.py); `ACTORS` says who acts for each chain level in each of
  the three jurisdictions, `STREETS` which street each one's projects are in.
- Communities: `community()` (one, with its needs survey) and `communities()` (many, bulk).
- Projects, two ways:
  - `projects()`: rows with explicit hand-set fields (bulk_create: no signals, no workflow),
    for lists, dashboards and volume tests; every field can be overridden;
  - through the real services: `listed()` (submitted and walked through the application
    chain by the right office at each step), `request_acceptance()`, `accept()`,
    `issue_rectification()`, and `drive()` (listing, acceptance and naming on given dates,
    spending declared final).
- `World`: the shared picture (the `world` fixture): one community per jurisdiction and, in
  the Shaoxing street 塔山街道, one project in every status with hand-set fields, so a test
  can name the project it needs (`world.project["listed"]`) without building one.
"""

import datetime as dt
from decimal import Decimal

from communities.models import Community, Office, Region, User
from portal import generation
from projects.models import CreationProject, PolicyVersion, SpendingRecord, Status
from residents.models import Survey

# street user, and who acts for each chain level, per jurisdiction (CONTRACTS §5)
ACTORS = {
    "fuyang": {"street": "street_fuchun", "district": "district_fuyang"},
    "jiaxing": {"street": "street_jianshe", "district": "district_nanhu", "city": "city_jiaxing",
                "leading_group": "leader_jiaxing"},
    "shaoxing": {"street": "street_tashan", "district": "district_yuecheng",
                 "city": "city_shaoxing"},
}
STREETS = {"fuyang": "330111001", "jiaxing": "330402007", "shaoxing": "330602001"}
POLICY_BY_CITY = {"3301": "fuyang-2021", "3304": "jiaxing-2023", "3306": "shaoxing-2023"}
DOCUMENTS = {"record_listing": "列入〔{year}〕1号", "record_acceptance": "验收〔{year}〕2号",
             "record_naming": "命名〔{year}〕3号"}
DATE_FIELD = {"record_listing": "listed_on", "record_acceptance": "accepted_on", "record_naming": "named_on"}


def money(text) -> Decimal:
    return Decimal(str(text).replace(",", "")).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- offices and users


def user(username: str) -> User:
    return User.objects.select_related("office__region").get(username=username)


def street_user(street_code: str, username: str) -> User:
    """A second login in the street office of `street_code`."""
    office = Office.objects.get(kind=Office.Kind.STREET, region__code=street_code)
    return User.objects.create_user(username=username, password="x", office=office)


def finance_user(district_code: str, username: str) -> User:
    office = Office.objects.get(kind=Office.Kind.FINANCE, region__code=district_code)
    return User.objects.get_or_create(username=username, defaults={"office": office})[0]


# ---------------------------------------------------------------- communities


def community(street_code: str, name: str | None = None, *, needs_survey_on=dt.date(2021, 3, 1),
              **fields) -> Community:
    """One community of 20 ha with its needs survey (嘉兴 二(五)13: before creation)."""
    street = Region.objects.get(code=street_code)
    name = name or f"测试{Community.objects.count()}社区"
    made = Community.objects.create(name=name, street=street, **{"area_ha": 20, **fields})
    Survey.objects.create(community=made, kind=Survey.Kind.NEEDS, source=Survey.Source.STAFF,
                          conducted_on=needs_survey_on, sample_size=300)
    return made


def communities(street_code: str, count: int, prefix: str = "批量") -> list[Community]:
    """`count` bare communities (no survey), named `<prefix><n>社区`."""
    street = Region.objects.get(code=street_code)
    start = Community.objects.count()
    return Community.objects.bulk_create(
        Community(name=f"{prefix}{start + i}社区", street=street) for i in range(count))


# ---------------------------------------------------------------- projects with hand-set fields


def policy_version(policy_code: str) -> PolicyVersion:
    return PolicyVersion.objects.filter(policy_code=policy_code).order_by("-effective_from").first()


def projects(street_code: str, count: int = 1, status=Status.LISTED, *, prefix: str = "批量", spent=None,
             of: Community | None = None, **fields) -> list[CreationProject]:
    """`count` projects (one new community each, or all of community `of`) with these fields,
    by bulk_create.

    Defaults: a municipal renovation project of the city's policy, batch 2025, listed on
    2025-03-01 with a construction deadline of 2026-03-01. `spent`: one final spending
    record of that amount each, recorded by the street's demo user.
    """
    policy_code = fields.pop("policy_code", None) or POLICY_BY_CITY[street_code[:4]]
    street = Region.objects.get(code=street_code)
    defaults = {"tier": "municipal", "category": "renovation", "batch_year": 2025, "policy_code": policy_code,
                "policy_version": policy_version(policy_code), "listed_on": dt.date(2025, 3, 1),
                "construction_deadline": dt.date(2026, 3, 1), "spending_final": spent is not None}
    made = CreationProject.objects.bulk_create(
        CreationProject(community=c, street=street, status=status, **{**defaults, **fields})
        for c in ([of] * count if of else communities(street_code, count, prefix)))
    generation.changed()  # bulk-created, like a seed: no model signal saw them
    if spent is not None:
        recorder = User.objects.filter(office__kind=Office.Kind.STREET, office__region=street).order_by("pk").first()
        SpendingRecord.objects.bulk_create(
            SpendingRecord(project=p, spent_on=p.accepted_on or p.listed_on, amount=money(spent),
                           description="工程款", recorded_by=recorder) for p in made)
    return made


def fuyang_projects(count, *, accepted_on=None, spent=None, street_code="330111001", tier="municipal",
                    task_year=2022, listed_on=dt.date(2021, 8, 15), name="") -> list[CreationProject]:
    """Fuyang projects for volume tests: listed (accepted when `accepted_on`), deadline a year on."""
    return projects(street_code, count, Status.ACCEPTED if accepted_on else Status.LISTED, prefix="量测",
                    spent=spent, tier=tier, policy_code="fuyang-2021", batch_year=listed_on.year,
                    listed_on=listed_on, task_year=task_year, accepted_on=accepted_on,
                    construction_deadline=listed_on.replace(year=listed_on.year + 1),
                    construction_deadline_basis="富阳 四(六)", name=name)


def listed_rows(street_code: str, count: int, *, listed_on=dt.date(2029, 6, 30), deadline=dt.date(2030, 6, 30),
                basis="测试依据", **fields) -> list[CreationProject]:
    """Listed projects far in the future for the deadline sweep (which finds them by SQL)."""
    return projects(street_code, count, fields.pop("status", Status.LISTED), prefix="预警测试", batch_year=2029,
                    listed_on=listed_on, construction_deadline=deadline, construction_deadline_basis=basis,
                    **fields)


# ---------------------------------------------------------------- projects through the services


def fresh(project) -> CreationProject:
    return CreationProject.objects.select_related("street__parent", "community", "policy_version").get(pk=project.pk)


def act(project, actor, action, **data) -> CreationProject:
    """perform_action as `actor` (a User or a demo username) on a fresh copy of `project`."""
    from projects import services

    actor = user(actor) if isinstance(actor, str) else actor
    return services.perform_action(fresh(project), actor, action, data)


def attach_materials(project, step: str, uploader=None) -> list:
    """Upload the materials `step` requires (DOMAIN §9), as the street would, so the move is not
    refused for them; returns the kinds uploaded."""
    from django.core.files.base import ContentFile

    from projects.materials import status
    from projects.models import Attachment

    uploader = uploader or User.objects.filter(office__region_id=project.street_id).first()
    kinds = [m.key for m, present in status(project, step) if not present]
    for kind in kinds:
        attachment = Attachment(project=project, kind=kind, original_name=f"{kind}.pdf",
                                content_type="application/pdf", size=12, uploaded_by=uploader)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()
    return kinds


def _actors(place, actors=None) -> dict:
    return {level: user(name) if isinstance(name, str) else name
            for level, name in (actors or ACTORS[place]).items()}


def walk(project, chain, actors, dates: dict, stop_at_accepted=True) -> CreationProject:
    """Each step of `chain` by the office of its level; record_* steps on `dates[action]`."""
    for step in chain:
        action = "approve" if step.action == "review" else step.action
        payload = {}
        if action in DOCUMENTS:
            on = dates[action]
            payload = {DATE_FIELD[action]: on, "document_no": DOCUMENTS[action].format(year=on.year)}
        project = act(project, actors[step.office_level], action, **payload)
        if action == "record_acceptance" and stop_at_accepted and dates.get("record_naming") is None:
            break  # stop at accepted when no naming date is given
    return project


def create(place, community_=None, *, tier="municipal", category="renovation", batch_year=2026, actors=None,
           **fields) -> CreationProject:
    """A draft of `place`'s street, made by services.create_project."""
    from projects import services

    street = _actors(place, actors)["street"]
    community_ = community_ or community(STREETS[place])
    return fresh(services.create_project(street, community_, tier=tier, category=category,
                                         batch_year=batch_year, **fields))


def listed(project, place, listed_on: dt.date, actors=None) -> CreationProject:
    """Submit and walk the application chain with the right office at each step."""
    actors = _actors(place, actors)
    attach_materials(project, "submit", actors["street"])
    project = act(project, actors["street"], "submit")
    project = walk(project, project.policy.application_chain(project.tier, project.parameters()), actors,
                   {"record_listing": listed_on})
    assert project.status == Status.LISTED, project.status
    return project


def request_acceptance(project, place, surveyed_on=None, satisfied_share=90) -> CreationProject:
    """The project's satisfaction survey on file (once; by default dated on its listing day, the
    first day of its creation period), then the street asks for acceptance."""
    Survey.objects.get_or_create(project=project, kind=Survey.Kind.SATISFACTION, defaults={
        "community": project.community, "source": Survey.Source.STAFF,
        "conducted_on": surveyed_on or project.listed_on, "sample_size": 200, "satisfied_share": satisfied_share})
    attach_materials(project, "request_acceptance", user(ACTORS[place]["street"]))
    return act(project, ACTORS[place]["street"], "request_acceptance")


def backdate_request(project, on: dt.date) -> CreationProject:
    """A world's history is recorded after the fact: its request for acceptance (made today by
    the services' clock) is put on `on` when that is earlier, so that the accepted_on of the
    history stays after it (projects.dates: 申请验收 ≤ 验收通过)."""
    if project.acceptance_requested_on and project.acceptance_requested_on > on:
        CreationProject.objects.filter(pk=project.pk).update(acceptance_requested_on=on)
        project = fresh(project)
    return project


def accept(project, place, accepted_on: dt.date) -> CreationProject:
    """Walk the acceptance chain until the project is accepted."""
    from projects import workflow

    project = backdate_request(fresh(project), accepted_on)

    while project.status != Status.ACCEPTED:
        move = next(m for m in workflow.moves(project) if m.action in ("approve", "record_acceptance"))
        project = act(project, ACTORS[place][move.office_level], move.action, accepted_on=accepted_on.isoformat(),
                      document_no="验收〔2026〕2号")
    return project


def issue_rectification(project, place, due_on: dt.date) -> CreationProject:
    from projects import workflow

    move = next(m for m in workflow.moves(project) if m.action == "issue_rectification")
    return act(project, ACTORS[place][move.office_level], "issue_rectification", due_on=due_on.isoformat(),
               comment="请补充完善验收材料")


def drive(place, tier="municipal", *, listed_on, accepted_on=None, named_on=None, task_year=None, spent=None,
          spending_final=True, community=None, category="renovation", actors=None) -> CreationProject:
    """A project of `place` taken through listing, acceptance and naming on the given dates."""
    actors = _actors(place, actors)
    project = create(place, community, tier=tier, category=category, batch_year=listed_on.year,
                     task_year=task_year, actors=actors)
    dates = {"record_listing": listed_on, "record_acceptance": accepted_on, "record_naming": named_on}
    attach_materials(project, "submit", actors["street"])
    project = act(project, actors["street"], "submit")
    project = walk(project, project.policy.application_chain(tier, project.parameters()), actors, dates)
    assert project.status == Status.LISTED, project.status
    if accepted_on:
        Survey.objects.create(community=project.community, project=project, kind=Survey.Kind.SATISFACTION,
                              source=Survey.Source.STAFF, conducted_on=accepted_on, sample_size=200,
                              satisfied_share=95)
        attach_materials(project, "request_acceptance", actors["street"])
        project = act(project, actors["street"], "request_acceptance")
        project = backdate_request(project, accepted_on)
        project = walk(project, project.policy.acceptance_chain(tier, project.parameters()), actors, dates)
        assert project.status == (Status.NAMED if named_on else Status.ACCEPTED), project.status
    if spent is not None:
        SpendingRecord.objects.create(project=project, spent_on=accepted_on or listed_on, amount=money(spent),
                                      description="工程款", recorded_by=actors["street"])
        CreationProject.objects.filter(pk=project.pk).update(spending_final=spending_final)
    return CreationProject.objects.get(pk=project.pk)


# ---------------------------------------------------------------- the shared picture

# status → the hand-set fields of the world's project in that status (Shaoxing 2023, 塔山街道)
EVERY_STATUS = {
    Status.RESERVE: {"listed_on": None, "construction_deadline": None},
    Status.DRAFT: {"listed_on": None, "construction_deadline": None},
    Status.SUBMITTED: {"review_step": 0, "listed_on": None, "construction_deadline": None},
    Status.IN_REVIEW: {"review_step": 1, "listed_on": None, "construction_deadline": None},
    Status.RETURNED: {"listed_on": None, "construction_deadline": None},
    Status.REJECTED: {"listed_on": None, "construction_deadline": None},
    Status.LISTED: {},
    Status.ACCEPTANCE_REQUESTED: {"review_step": 0},
    Status.ACCEPTANCE_REVIEW: {"review_step": 1},
    Status.RECTIFYING: {},
    Status.ACCEPTED: {"accepted_on": dt.date(2025, 12, 1)},
    Status.NAMED: {"accepted_on": dt.date(2025, 12, 1), "named_on": dt.date(2026, 1, 15)},
    Status.WITHDRAWN: {"listed_on": None, "construction_deadline": None},
    Status.TERMINATED: {},
}


class World:
    """Built once per test by the `world` fixture; see the module docstring."""

    def __init__(self):
        self.users = {u.username: u for u in User.objects.select_related("office__region")}
        self.community = {place: community(code, f"{place}世界社区") for place, code in STREETS.items()}
        self.project = {}
        for status, fields in EVERY_STATUS.items():
            self.project[status] = projects(STREETS["shaoxing"], 1, status, prefix=f"世界{status}",
                                            name=f"{Status(status).label}项目", **fields)[0]
