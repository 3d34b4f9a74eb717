"""Two sweeps or two subsidy computations at the same moment (a beat firing while an operator
runs the command): both finish, and there is never a duplicate alert or payment."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.db.models import Count, Sum

from acceptance.models import Alert
from projects.models import CreationProject, Status
from subsidies.models import Payment
from tests.world import projects as bulk_projects

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(job, times=2):
    barrier = threading.Barrier(times)
    errors, results = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(job())
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")


def test_two_simultaneous_sweeps_raise_each_alert_once(users):
    require_postgres()
    from acceptance.sweep import sweep_deadlines

    today = dt.date(2026, 3, 20)  # the bulk projects' deadline is 2026-03-01: overdue, escalated
    bulk_projects("330602001", 40)
    bulk_projects("330402007", 40)
    _, errors = run_together(lambda: sweep_deadlines(today=today))
    assert not errors, errors
    alerts = Alert.objects.count()
    assert alerts > 0
    duplicates = (Alert.objects.values("deadline", "due_on", "level", "period", "office")
                  .annotate(n=Count("id")).filter(n__gt=1))
    assert not duplicates.exists()
    again = sweep_deadlines(today=today)
    assert again.alerts_raised == 0 and Alert.objects.count() == alerts


def test_two_simultaneous_subsidy_runs_plan_each_payment_once(users):
    require_postgres()
    from subsidies.services import compute_subsidies

    named = bulk_projects("330402007", 30, status=Status.NAMED)  # 南湖区: city_proper, 50/50 split
    CreationProject.objects.filter(pk__in=[p.pk for p in named]).update(
        accepted_on=dt.date(2026, 5, 1), named_on=dt.date(2026, 6, 1))
    _, errors = run_together(lambda: compute_subsidies(today=dt.date(2026, 7, 1)))
    assert not errors, errors
    payments = Payment.objects.filter(project__in=named)
    assert payments.count() == 60
    assert payments.aggregate(total=Sum("amount"))["total"] == 30 * 1_000_000
    duplicates = payments.values("project", "kind", "payer", "trigger").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    compute_subsidies(today=dt.date(2026, 7, 1))
    assert payments.count() == 60
