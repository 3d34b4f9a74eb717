"""History is append-only; concurrent reviewers produce exactly one transition."""

import threading

import pytest
from django.db import connection, connections

from projects.models import CreationProject, Transition

pytestmark = pytest.mark.django_db


def test_history_cannot_be_changed_through_the_orm(api_for, create_project):
    pid = create_project("shaoxing")["id"]
    entry = Transition.objects.filter(project_id=pid).first()
    entry.comment = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        Transition.objects.filter(project_id=pid).update(comment="篡改")
    with pytest.raises(PermissionError):
        Transition.objects.filter(project_id=pid).delete()


@pytest.mark.postgres
def test_history_cannot_be_changed_in_the_database(create_project):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (SQLite relies on the ORM guard)")
    from django.db import DatabaseError, transaction

    pid = create_project("shaoxing")["id"]
    for sql in ("UPDATE projects_transition SET comment = 'x' WHERE project_id = %s",
                "DELETE FROM projects_transition WHERE project_id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [pid])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_approvals_make_exactly_one_transition(users, community_in):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    from projects import services

    community = community_in("shaoxing")
    project = services.create_project(users["street_tashan"], community, tier="municipal",
                                      category="renovation", batch_year=2026)
    services.perform_action(project, users["street_tashan"], "submit", {})
    reviewer = users["district_yuecheng"]
    barrier = threading.Barrier(50)
    outcomes = []

    def approve():
        try:
            snapshot = CreationProject.objects.select_related("street", "policy_version",
                                                              "community").get(pk=project.pk)
            barrier.wait(timeout=30)
            services.perform_action(snapshot, reviewer, "approve", {})
            outcomes.append(200)
        except Exception as exc:
            outcomes.append(getattr(exc, "status_code", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count(200) == 1, outcomes
    assert outcomes.count(409) == 49, outcomes
    assert Transition.objects.filter(project=project, action="approve").count() == 1
    assert CreationProject.objects.get(pk=project.pk).status == "in_review"
