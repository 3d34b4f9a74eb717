"""The sweep's bulk-written references without database constraints (acceptance.models
SWEEP_WRITTEN, issue #19): the ORM's on_delete still decides what a delete does, and on
PostgreSQL these columns, and only these, have no foreign-key constraint."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import ProtectedError

from acceptance import sweep
from acceptance.models import SWEEP_WRITTEN, Alert, Deadline
from communities.models import Office, User
from portal.models import Notification
from projects.models import CreationProject
from tests.acceptance.conftest import bulk_listed

pytestmark = pytest.mark.django_db
DUE = dt.date(2030, 6, 30)


def swept_projects(count=2):
    bulk_listed("330602001", count, listed_on=dt.date(2030, 6, 1), deadline=DUE)
    result = sweep.sweep_deadlines(DUE + dt.timedelta(days=1))
    assert result.alerts_raised and result.notifications
    return list(CreationProject.objects.filter(deadlines__alerts__isnull=False).distinct())


def test_deleting_a_project_takes_its_deadlines_alerts_and_notifications_and_nothing_else(users):
    gone, kept = swept_projects()
    deadlines = list(Deadline.objects.filter(project=gone).values_list("pk", flat=True))
    assert Alert.objects.filter(deadline__in=deadlines).exists()
    assert Notification.objects.filter(project=gone).exists()
    def of_kept():
        return (Deadline.objects.filter(project=kept).count(), Alert.objects.filter(deadline__project=kept).count(),
                Notification.objects.filter(project=kept).count())

    before = of_kept()

    gone.delete()

    assert not Deadline.objects.filter(pk__in=deadlines).exists()
    assert not Alert.objects.filter(deadline_id__in=deadlines).exists()
    assert not Notification.objects.filter(project_id=gone.pk).exists()
    assert of_kept() == before and all(before)


def test_an_office_with_alerts_cannot_be_deleted_and_a_deleted_user_takes_their_notifications(users):
    swept_projects(1)
    office = Office.objects.get(pk=Alert.objects.values_list("office_id", flat=True).first())
    with pytest.raises(ProtectedError):
        office.delete()
    assert Alert.objects.filter(office=office).exists()

    user = User.objects.filter(notifications__isnull=False).first()
    others = Notification.objects.exclude(user=user).count()
    assert Notification.objects.filter(user=user).exists()
    user.delete()
    assert not Notification.objects.filter(user_id=user.pk).exists()
    assert Notification.objects.count() == others


@pytest.mark.postgres
def test_only_the_sweep_written_columns_and_a_sessions_user_lack_a_foreign_key_constraint():
    unconstrained = set()
    with connection.cursor() as cursor:
        for model in apps.get_models():
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            constrained = {c["columns"][0] for c in constraints.values() if c["foreign_key"]}
            for field in model._meta.concrete_fields:
                if field.is_relation and field.column not in constrained:
                    unconstrained.add((model._meta.label, field.name))
    # and a session's user id: a key to read the user with the session row, never trusted alone
    # (communities.models.UserSession: saving a session of a deleted user must not fail)
    assert unconstrained == {*SWEEP_WRITTEN, ("communities.UserSession", "user")}
