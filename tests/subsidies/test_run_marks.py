"""The subsidy run skips the communities whose inputs are unchanged and whose dates have not
come (subsidies.run_marks), and only those: after every kind of change it computes exactly what
a full run does (tests/subsidies/test_incremental_run.py compares the two over days)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import CreationProject, PolicyVersion, SpendingCorrection, SpendingRecord
from subsidies import bulk, run_marks, services
from subsidies.models import ApprovedSubsidy, Payment, SubsidyCommunityMark, SubsidyOverride, SubsidyRunMark
from tests.world import fuyang_projects

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2023, 1, 15)


def ledger():
    payments = sorted(Payment.objects.values_list("project_id", "kind", "payer", "trigger", "amount", "due_on",
                                                  "fiscal_year", "basis", "reason", "state", "policy_version_id"))
    approved = sorted(ApprovedSubsidy.objects.values_list("project_id", "amount", "basis", "policy_version_id"))
    return payments, approved


def assert_same_as_full_run(today):
    """Run as the job does, then with no mark: the full run must find nothing to change."""
    result = services.compute_subsidies(today)
    assert not result.unchanged
    after = ledger()
    run_marks.forget()
    full = services.compute_subsidies(today)
    assert (full.planned, full.changed, full.approved_changed) == (0, 0, 0)
    assert ledger() == after
    return result


@pytest.fixture
def world(users):
    projects = fuyang_projects(3, accepted_on=D(2022, 6, 20), spent="8000000")
    later = fuyang_projects(2, task_year=2023, name="后续")
    first = services.compute_subsidies(DAY)
    assert first.planned > 0 and not first.unchanged
    return projects, later, users["admin"]


def test_rerun_with_nothing_changed_writes_nothing_and_skips_every_community(world):
    before = ledger()
    with CaptureQueriesContext(connection) as ctx:
        result = services.compute_subsidies(DAY)
    assert result.unchanged and result.projects == 0 and "unchanged_since_last_run" in str(result)
    writes = [q["sql"] for q in ctx.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [] and ledger() == before


def test_spending_row_is_noticed(world):
    projects, _, admin = world
    SpendingRecord.objects.create(project=projects[0], spent_on=D(2023, 1, 2), amount=Decimal("-500000"),
                                  description="退款", recorded_by=admin)
    assert assert_same_as_full_run(DAY).changed == 1


def test_approved_correction_is_noticed(world):
    projects, _, admin = world
    row = SpendingRecord.objects.filter(project=projects[1]).first()
    SpendingCorrection.objects.create(record=row, amount=Decimal("7000000"), reason="更正", requested_by=admin,
                                      state=SpendingCorrection.State.APPROVED, decided_by=admin,
                                      decided_at=timezone.now())
    assert assert_same_as_full_run(DAY).changed == 1


def test_approved_override_is_noticed(world):
    projects, _, admin = world
    SubsidyOverride.objects.create(project=projects[2], amount=Decimal("1234567"), reason="特殊情况",
                                   document_no="富社创〔2023〕1号", state=SubsidyOverride.State.APPROVED,
                                   requested_by=admin, requested_at=timezone.now(), decided_by=admin,
                                   decided_at=timezone.now())
    assert assert_same_as_full_run(DAY).approved_changed == 1


def test_project_date_and_transition_are_noticed(world):
    projects, later, _ = world
    CreationProject.objects.filter(pk=projects[0].pk).update(accepted_on=D(2022, 7, 1))
    CreationProject.objects.filter(pk=later[0].pk).update(status="terminated")
    assert_same_as_full_run(DAY)


def test_policy_parameter_change_is_noticed(world):
    projects, _, _ = world
    version = PolicyVersion.objects.get(pk=projects[0].policy_version_id)
    version.parameters = {**version.parameters, "saving_reward_rate": "0.60"}
    version.save()
    assert assert_same_as_full_run(DAY).changed == 3


def test_a_new_day_without_a_date_of_its_own_is_skipped_and_a_due_date_is_not(world):
    assert services.compute_subsidies(DAY + dt.timedelta(days=1)).unchanged
    result = assert_same_as_full_run(D(2024, 1, 2))  # the 2023 year-end advances fall due
    assert result.planned == 2


def test_a_crash_mid_run_then_rerun_completes_without_duplicates(world, monkeypatch):
    projects, _, admin = world
    for project in projects:
        SpendingRecord.objects.create(project=project, spent_on=D(2023, 1, 3), amount=Decimal("-100000"),
                                      description="退款", recorded_by=admin)
    real, calls = bulk.update_unpaid_payments, []

    def crash_on_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "update_unpaid_payments", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        services.compute_subsidies(DAY, chunk_size=1)
    monkeypatch.setattr(bulk, "update_unpaid_payments", real)
    assert_same_as_full_run(DAY)
    keys = list(Payment.objects.values_list("project_id", "kind", "payer", "trigger"))
    assert len(keys) == len(set(keys))
    assert services.compute_subsidies(DAY).unchanged
    assert SubsidyRunMark.objects.count() == 1


def test_a_write_that_found_its_row_moved_on_records_no_mark(users, monkeypatch):
    """A 核定 between the run's read and its compare-and-set write leaves the ledger short of the
    run's fixed point: the run must not mark it, so a same-day rerun computes in full."""
    fuyang_projects(3, accepted_on=D(2022, 6, 20), spent="8000000")
    real_insert = bulk.insert_payments
    monkeypatch.setattr(bulk, "insert_payments", lambda rows, now: real_insert(rows[1:], now))
    first = services.compute_subsidies(DAY)
    assert first.missed == 1 and not SubsidyCommunityMark.objects.exists()
    monkeypatch.setattr(bulk, "insert_payments", real_insert)
    second = services.compute_subsidies(DAY)
    assert not second.unchanged and second.planned == 1 and second.missed == 0
    assert services.compute_subsidies(DAY).unchanged
