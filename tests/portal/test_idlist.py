"""`__in_ids` (portal.idlist): the same rows as `__in`, on a foreign key, a reverse relation and a
primary key, for lists with repeats, an empty list, and values that are not plain ints."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import portal.idlist  # noqa: F401  (registers `__in_ids`)
from communities.models import Region
from projects.models import CreationProject
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db

TASHAN, SIBLING, JIANSHE = "330602001", "330602002", "330402007"


@pytest.fixture
def spread(users):
    bulk_projects(TASHAN, 3)
    bulk_projects(SIBLING, 2)
    bulk_projects(JIANSHE, 4)
    return {code: Region.objects.get(code=code) for code in (TASHAN, SIBLING, JIANSHE)}


def ids_of(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_foreign_key_in_ids_selects_the_rows_of_in(spread):
    streets = [spread[TASHAN].pk, spread[JIANSHE].pk, spread[TASHAN].pk]  # a repeat changes nothing
    expected = ids_of(CreationProject.objects.filter(street__in=streets))
    assert len(expected) == 7
    assert ids_of(CreationProject.objects.filter(street__in_ids=streets)) == expected
    assert ids_of(CreationProject.objects.exclude(street__in_ids=streets)) == \
        ids_of(CreationProject.objects.exclude(street__in=streets))


def test_primary_key_and_reverse_relation_in_ids_select_the_rows_of_in(spread):
    some = ids_of(CreationProject.objects.all())[::2]
    assert ids_of(CreationProject.objects.filter(pk__in_ids=some)) == some
    streets = [spread[TASHAN].pk, spread[JIANSHE].pk]
    districts = Region.objects.filter(children__in_ids=streets)
    assert sorted(districts.values_list("code", flat=True)) == \
        sorted(Region.objects.filter(children__in=streets).values_list("code", flat=True))
    assert districts.count() == 2


def test_an_empty_list_selects_nothing_and_other_values_fall_back_to_in(spread):
    assert not CreationProject.objects.filter(street__in_ids=[]).exists()
    assert CreationProject.objects.filter(street__in_ids=[]).count() == 0
    # model instances and text: Django's own `__in`, same rows
    assert ids_of(CreationProject.objects.filter(street__in_ids=[spread[SIBLING]])) == \
        ids_of(CreationProject.objects.filter(street=spread[SIBLING]))
    assert ids_of(CreationProject.objects.filter(street__in_ids=[str(spread[SIBLING].pk)])) == \
        ids_of(CreationProject.objects.filter(street=spread[SIBLING]))


def test_on_postgresql_the_list_is_one_array_parameter(spread):
    with CaptureQueriesContext(connection) as captured:
        list(CreationProject.objects.filter(street__in_ids=[spread[TASHAN].pk, spread[SIBLING].pk]))
    [sql] = [q["sql"] for q in captured.captured_queries]
    expected = '"street_id" = ANY(' if connection.vendor == "postgresql" else '"street_id" IN ('
    assert expected in sql
