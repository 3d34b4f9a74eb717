"""The review queue sorted by every key, both ways: the expected orders written out."""

import datetime as dt

import pytest
from django.utils import timezone

from projects import views
from projects.models import CreationProject, Status
from tests.lists import assert_sorted_as_written
from tests.world import projects

pytestmark = pytest.mark.django_db
TASHAN, FUSHAN, JIANSHE = "330602001", "330602002", "330402007"


def test_review_queue_orders(client_for):
    # waiting at step 0 of the Shaoxing chain: the district office (越城区) reviews them
    for prefix, street, status, batch_year, updated in (
            ("A", TASHAN, Status.SUBMITTED, 2026, 3), ("C", FUSHAN, Status.IN_REVIEW, 2024, 1),
            ("B", TASHAN, Status.IN_REVIEW, 2025, 4), ("D", FUSHAN, Status.SUBMITTED, 2023, 2)):
        project = projects(street, 1, status, prefix=prefix, review_step=0, batch_year=batch_year,
                           listed_on=None, construction_deadline=None)[0]
        at = timezone.make_aware(dt.datetime(2026, 5, updated, 9), timezone.get_current_timezone())
        CreationProject.objects.filter(pk=project.pk).update(updated_at=at)
    projects(TASHAN, 1, Status.SUBMITTED, prefix="X", review_step=1)  # at the city's step
    projects(JIANSHE, 1, Status.SUBMITTED, prefix="Y", review_step=0)  # another city
    # A, C, B, D were created in this order: ties go by creation (the id)
    assert_sorted_as_written(client_for("district_yuecheng"), "/projects/review/", views.REVIEW_QUEUE, {
        "": ["C", "D", "A", "B"],  # least recently updated first
        "community": ["A", "B", "C", "D"], "-community": ["D", "C", "B", "A"],
        "street": ["A", "B", "C", "D"], "-street": ["C", "D", "A", "B"],
        "district": ["A", "C", "B", "D"], "-district": ["A", "C", "B", "D"],
        "status": ["C", "B", "A", "D"], "-status": ["A", "D", "C", "B"],  # in_review < submitted
        "batch_year": ["D", "C", "B", "A"], "-batch_year": ["A", "B", "C", "D"],
        "updated": ["C", "D", "A", "B"], "-updated": ["B", "A", "D", "C"],
    }, label=lambda p: p.community.name[0])
