"""The daily run computes only the communities whose inputs changed or whose dates came
(subsidies.run_marks) and leaves exactly the rows a full run leaves: day after day, with fact
changes between the days and days on which the date alone changes the result, each day's
incremental run is compared with a full run from the same state (rolled back). By induction the
incremental timeline is the full one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from projects.models import CreationProject, PolicyVersion, SpendingCorrection, SpendingRecord, Status
from subsidies import services
from subsidies.models import ApprovedSubsidy, Payment, SubsidyOverride
from tests.world import fuyang_projects, projects

pytestmark = pytest.mark.django_db
D = dt.date
STAMPS = {"id", "computed_at"}  # the row's key and the moment of writing differ between two runs


def columns(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname not in STAMPS]


def rows():
    """Every row of the subsidy tables, without their ids and write times."""
    return {model.__name__: sorted(model.objects.values_list(*columns(model)), key=repr)
            for model in (Payment, ApprovedSubsidy, SubsidyOverride)}


def full_run_rows(today):
    with transaction.atomic():
        services.compute_subsidies(today, full=True)
        full = rows()
        transaction.set_rollback(True)
    return full


def test_incremental_runs_leave_the_rows_of_full_runs_day_after_day(users):
    admin = users["admin"]
    accepted = fuyang_projects(3, accepted_on=D(2022, 6, 20), spent="8000000")  # spent on 20 June too
    advance = fuyang_projects(2, task_year=2022, name="年底预拨")
    later = fuyang_projects(1, listed_on=D(2022, 7, 1), task_year=2023, name="七月公布")
    # one community with two tiers (the community cap): municipal accepted earlier, provincial named later
    municipal = fuyang_projects(1, accepted_on=D(2022, 3, 1), spent="9000000", name="市级")[0]
    provincial = projects("330111001", 1, Status.ACCEPTED, of=municipal.community, tier="provincial",
                          policy_code="fuyang-2021", batch_year=2021, listed_on=D(2021, 8, 15), task_year=2022,
                          accepted_on=D(2022, 4, 1), construction_deadline=D(2022, 8, 15),
                          construction_deadline_basis="富阳 四(六)", spent="10000000")[0]
    CreationProject.objects.filter(pk=provincial.pk).update(named_on=D(2022, 9, 1))

    def pay(project, state):
        payment = Payment.objects.filter(project=project, state="planned").order_by("id").first()
        changes = {"state": state, "approved_by": admin, "approved_at": timezone.now()}
        if state == "paid":
            changes.update(paid_by=admin, paid_at=timezone.now(), voucher_no="富财拨〔2022〕1号")
        Payment.objects.filter(pk=payment.pk).update(**changes)

    def refund(project, day, amount="-500000"):
        SpendingRecord.objects.create(project=project, spent_on=day, amount=Decimal(amount), description="退款",
                                      recorded_by=admin)

    def correct(project):
        record = SpendingRecord.objects.filter(project=project).order_by("id").first()
        SpendingCorrection.objects.create(record=record, amount=Decimal("7000000"), reason="更正", requested_by=admin,
                                          state=SpendingCorrection.State.APPROVED, decided_by=admin,
                                          decided_at=timezone.now())

    def override(project):
        SubsidyOverride.objects.create(project=project, amount=Decimal("1234567"), reason="特殊情况",
                                       document_no="富社创〔2022〕1号", state=SubsidyOverride.State.APPROVED,
                                       requested_by=admin, requested_at=timezone.now(), decided_by=admin,
                                       decided_at=timezone.now())

    def new_rate():
        version = PolicyVersion.objects.get(pk=accepted[0].policy_version_id)
        version.parameters = {**version.parameters, "saving_reward_rate": "0.60"}
        version.save()

    def move(project, to):
        CreationProject.objects.filter(pk=project.pk).update(community=to.community)

    # (day, the change made before its run, the projects its incremental run computes — by hand)
    days = [
        (D(2022, 6, 10), None, None),  # first run: every community
        (D(2022, 6, 11), None, 0),  # nothing changed, no date of anyone's
        (D(2022, 6, 20), None, 3),  # the three acceptances (and their spending) come
        (D(2022, 6, 25), lambda: (refund(accepted[0], D(2022, 6, 25)), pay(accepted[1], "approved"),
                                  pay(accepted[2], "paid")), 3),
        (D(2022, 7, 1), lambda: correct(accepted[2]), 2),  # the paid line's spending corrected; `later` listed
        (D(2022, 8, 1), lambda: refund(accepted[1], D(2022, 8, 10)), 1),  # a refund dated ahead …
        (D(2022, 8, 10), None, 1),  # … counts on its day
        (D(2022, 9, 1), lambda: override(accepted[0]), 3),  # the naming comes; 一事一议 approved
        (D(2022, 12, 31), None, 2),  # the year-end advances fall due
        (D(2023, 1, 1), None, None),  # a new year: every community
        (D(2023, 1, 2), lambda: (pay(advance[0], "paid"), move(advance[1], accepted[0])), 3),
        (D(2023, 1, 3), lambda: CreationProject.objects.filter(pk=later[0].pk).update(status="terminated"), 0),
        (D(2023, 2, 1), new_rate, None),  # the policy's parameters changed: every community
        (D(2023, 2, 2), None, 0),
    ]
    candidates_ever = 0
    for day, change, computed in days:
        if change:
            change()
        expected = full_run_rows(day)
        result = services.compute_subsidies(day, chunk_size=2)
        assert rows() == expected, day
        if computed is None:
            candidates_ever = max(candidates_ever, result.projects)
            assert result.projects == services.candidates(day).count(), day
        else:
            assert result.projects == computed and result.unchanged == (computed == 0 and change is None), day
    assert candidates_ever == 8
    assert Payment.objects.filter(kind="adjustment").exists()  # the paid line was adjusted
