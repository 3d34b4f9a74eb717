"""Idempotency (rerun, crash half-way), paid rows are final (ORM and PostgreSQL), later
changes become adjustments, concurrent 拨付 moves a payment once."""

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone

from projects.models import CreationProject, PolicyVersion, SpendingRecord
from subsidies import bulk, services
from subsidies.models import Payment
from tests.world import fuyang_projects, money

pytestmark = pytest.mark.django_db
D = dt.date


def snapshot():
    return sorted(Payment.objects.values_list("project_id", "kind", "payer", "trigger", "amount", "due_on",
                                              "state", "basis", "reason"))


def paid_settlement(drive, compute, users, **facts):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022,
                    accepted_on=D(2022, 6, 20), spent=facts.pop("spent", "8000000"), **facts)
    compute(D(2023, 1, 15))
    payment = Payment.objects.get(project=project, kind="settlement")
    services.approve_payments(users["finance_fuyang"], [payment.pk])
    services.mark_paid(users["finance_fuyang"], [payment.pk], "财拨〔2023〕9号")
    return project, Payment.objects.get(pk=payment.pk)


def test_rerun_changes_nothing(drive, compute):
    drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022, accepted_on=D(2023, 5, 10),
          spent="12000000")
    first = compute(D(2023, 6, 1))
    assert (first.planned, first.changed) == (2, 0)
    before = snapshot()
    again = compute(D(2023, 6, 1))
    assert (again.planned, again.changed, again.approved_changed) == (0, 0, 0)
    assert snapshot() == before


def test_unique_key_refuses_a_second_tranche_for_the_same_trigger(drive, compute):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022, accepted_on=D(2022, 6, 20),
                    spent="8000000")
    compute(D(2023, 1, 15))
    existing = Payment.objects.get(project=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(project=project, kind=existing.kind, payer=existing.payer, trigger=existing.trigger,
                               amount=1, fiscal_year=2023, basis="x", computed_at=timezone.now())


def expected_ledger(today):
    from subsidies.computation import wanted_tranches

    wanted = []
    for project in CreationProject.objects.select_related("street__parent", "policy_version", "community"):
        _, ruling = services.project_ruling(project, today)
        wanted += [(t.project_id, t.kind, t.payer, t.trigger, t.amount) for t in
                   wanted_tranches(project, ruling, today)]
    return sorted(wanted)


def test_crash_half_way_rolls_back_the_chunk_and_a_rerun_converges(monkeypatch, db):
    projects = fuyang_projects(6, accepted_on=D(2022, 6, 20), spent="8000000")
    calls = {"n": 0}
    real = bulk.upsert_approved

    def crash_on_second_chunk(rows, now):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(rows, now)

    monkeypatch.setattr(bulk, "upsert_approved", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        services.compute_subsidies(D(2023, 1, 15), chunk_size=2)
    # chunk 1 committed whole; chunk 2's inserted payments rolled back with its failed upsert
    assert set(Payment.objects.values_list("project_id", flat=True)) == {p.pk for p in projects[:2]}
    monkeypatch.setattr(bulk, "upsert_approved", real)
    result = services.compute_subsidies(D(2023, 1, 15), chunk_size=2)
    assert result.planned == 4
    ledger = sorted(Payment.objects.values_list("project_id", "kind", "payer", "trigger", "amount"))
    assert ledger == expected_ledger(D(2023, 1, 15))
    assert len(ledger) == 6
    assert services.compute_subsidies(D(2023, 1, 15)).planned == 0


def test_paid_payment_cannot_be_changed_through_the_orm(drive, compute, users):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022, accepted_on=D(2022, 6, 20),
                    spent="8000000")
    compute(D(2023, 1, 15))
    stale = Payment.objects.get(project=project)  # read while still planned
    services.approve_payments(users["finance_fuyang"], [stale.pk])
    services.mark_paid(users["finance_fuyang"], [stale.pk], "财拨〔2023〕9号")
    stale.voucher_no = "改号"
    with pytest.raises(PermissionError):
        stale.save()
    paid = Payment.objects.get(pk=stale.pk)
    paid.amount = money("1")
    with pytest.raises(PermissionError):
        paid.save()
    with pytest.raises(PermissionError):
        paid.delete()
    with pytest.raises(PermissionError):
        Payment.objects.filter(pk=paid.pk).update(amount=1)
    with pytest.raises(PermissionError):
        Payment.objects.filter(pk=paid.pk).delete()
    assert Payment.objects.get(pk=paid.pk).amount == money("9000000")


@pytest.mark.postgres
def test_paid_payment_cannot_be_changed_in_the_database(drive, compute, users):
    if connection.vendor != "postgresql":
        pytest.skip("the paid-is-final trigger exists on PostgreSQL only (SQLite relies on the ORM guard)")
    _, paid = paid_settlement(drive, compute, users)
    for sql in ("UPDATE subsidies_payment SET amount = 1 WHERE id = %s",
                "UPDATE subsidies_payment SET state = 'planned' WHERE id = %s",
                "DELETE FROM subsidies_payment WHERE id = %s"):
        with pytest.raises(DatabaseError, match="paid and final"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [paid.pk])
    with transaction.atomic():  # unpaid rows stay updatable; TRUNCATE (test flushes) stays possible
        with connection.cursor() as cursor:
            cursor.execute("UPDATE subsidies_payment SET reason = 'x' WHERE state <> 'paid'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle this test's deferred FK checks
            cursor.execute("TRUNCATE subsidies_payment")
        transaction.set_rollback(True)
    assert Payment.objects.get(pk=paid.pk).amount == money("9000000")


def test_parameter_change_after_payment_becomes_an_adjustment_never_an_edit(drive, compute, users):
    project, paid = paid_settlement(drive, compute, users)
    version = project.policy_version
    raised = PolicyVersion.objects.create(policy_code=version.policy_code, effective_from=D(2023, 2, 1),
                                          parameters={**version.parameters, "saving_reward_rate": "0.60"},
                                          note="结余奖励比例调整")
    CreationProject.objects.filter(pk=project.pk).update(policy_version=raised)

    result = compute(D(2023, 3, 1))
    assert (result.planned, result.adjustments) == (1, 1)
    unchanged = Payment.objects.get(pk=paid.pk)
    assert (unchanged.amount, unchanged.state, unchanged.voucher_no) == (money("9000000"), "paid", "财拨〔2023〕9号")
    adjustment = Payment.objects.get(project=project, kind="adjustment")
    # reward 60% × 2,000,000 = 1,200,000 → total 9,200,000; 9,000,000 already paid
    assert adjustment.amount == money("200000")
    assert adjustment.trigger == "adjust:1:settlement:settlement"
    assert "已拨付9,000,000.00元" in adjustment.reason and "政策参数版本已变更" in adjustment.reason
    assert compute(D(2023, 3, 1)).planned == 0  # rerun: no second adjustment

    # the unpaid adjustment is recomputed in place when the facts move again
    SpendingRecord.objects.create(project=project, spent_on=D(2022, 6, 1), amount=money("1000000"),
                                  description="补录", recorded_by=users["street_fuchun"])
    result = compute(D(2023, 3, 1))
    assert (result.planned, result.changed) == (0, 1)
    adjustment.refresh_from_db()
    assert adjustment.amount == money("600000")  # S 9,000,000: 9,000,000 + 600,000 − 9,000,000

    services.approve_payments(users["finance_fuyang"], [adjustment.pk])
    services.mark_paid(users["finance_fuyang"], [adjustment.pk], "财拨〔2023〕10号")
    CreationProject.objects.filter(pk=project.pk).update(policy_version=version)  # back to 50%
    compute(D(2023, 4, 1))
    recovery = Payment.objects.get(project=project, trigger="adjust:2:settlement:settlement")
    assert recovery.amount == money("-100000")  # 9,500,000 due, 9,600,000 paid: 应退回
    assert "应退回100,000.00元" in recovery.reason
    assert Payment.objects.filter(project=project, state="paid").count() == 2


def test_approved_but_unpaid_row_is_recomputed_in_place_and_needs_a_new_approval(drive, compute, users):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022, accepted_on=D(2022, 6, 20),
                    spent="8000000")
    compute(D(2023, 1, 15))
    payment = Payment.objects.get(project=project)
    services.approve_payments(users["finance_fuyang"], [payment.pk])
    SpendingRecord.objects.create(project=project, spent_on=D(2022, 6, 1), amount=money("1000000"),
                                  description="补录", recorded_by=users["street_fuchun"])
    result = compute(D(2023, 1, 15))
    assert (result.planned, result.changed) == (0, 1)
    payment.refresh_from_db()
    assert payment.amount == money("9500000")
    assert (payment.state, payment.approved_by_id) == ("planned", None)
    assert "需重新核定" in payment.reason
    assert compute(D(2023, 1, 15)).changed == 0


def test_an_approved_row_no_longer_due_is_removed_but_a_paid_one_is_recovered(drive, compute, users):
    project = drive("fuyang", "municipal", listed_on=D(2021, 8, 15), task_year=2022, accepted_on=D(2023, 5, 10))
    compute(D(2022, 12, 31))
    advance = Payment.objects.get(project=project, kind="advance")
    services.approve_payments(users["finance_fuyang"], [advance.pk])
    services.mark_paid(users["finance_fuyang"], [advance.pk], "预拨〔2022〕1号")
    # the acceptance date is corrected to within the task year: no advance was due
    CreationProject.objects.filter(pk=project.pk).update(accepted_on=D(2022, 12, 20))
    compute(D(2023, 1, 10))
    recovery = Payment.objects.get(project=project, kind="adjustment")
    assert recovery.amount == money("-7000000")
    assert "不再适用" in recovery.reason


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_mark_paid_moves_the_payment_once(users, community_at):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    from portal.errors import Conflict

    projects = fuyang_projects(1, accepted_on=D(2022, 6, 20), spent="8000000")
    services.compute_subsidies(D(2023, 1, 15))
    payment = Payment.objects.get(project=projects[0])
    finance = users["finance_fuyang"]
    services.approve_payments(finance, [payment.pk])
    barrier = threading.Barrier(20)
    outcomes = []

    def pay(n):
        try:
            barrier.wait(timeout=30)
            outcomes.append(services.mark_paid(finance, [payment.pk], f"财拨〔2023〕{n}号"))
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # pragma: no cover - reported in the assertion
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count([payment.pk]) == 1, outcomes
    assert outcomes.count("conflict") == 19, outcomes
    paid = Payment.objects.get(pk=payment.pk)
    assert paid.state == "paid" and paid.voucher_no.startswith("财拨")
