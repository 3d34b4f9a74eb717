"""Which jurisdiction has which instrument (policies.instruments), and the one question the
permission modules ask of it (communities.permissions.has_instrument). Expected values are
the documents' and the region codes', written by hand."""

import pytest

from communities.models import Region
from communities.permissions import has_instrument, in_jurisdiction
from policies.instruments import INSTRUMENTS, covers, jurisdiction
from tests.world import user


@pytest.mark.parametrize("key, codes, clause", [
    ("monthly_meeting", ("3304",), "嘉兴 三(三)"), ("target_assessment", ("3304",), "嘉兴 三(三)"),
    ("approval_ledger", ("3306",), "绍兴2023 三(四)"), ("whole_area", ("3306",), "绍兴2023 二(三)"),
    ("bulletins", ("3306",), "绍兴2023 四"), ("monthly_evaluation", ("330111",), "富阳 五(六)"),
    ("work_summaries", ("330111",), "富阳 五(一)"),
])
def test_each_instrument_names_its_jurisdiction_and_clause(key, codes, clause):
    assert jurisdiction(key) == codes
    assert INSTRUMENTS[key].basis.startswith(clause)


def test_covers_by_code_prefix():
    assert covers("bulletins", "3306") and covers("bulletins", "330602") and covers("bulletins", "330602001")
    assert not covers("bulletins", "3304") and not covers("bulletins", "33") and not covers("bulletins", None)
    assert covers("work_summaries", "330111001") and not covers("work_summaries", "330110")


@pytest.mark.django_db
@pytest.mark.parametrize("username, key, expected", [
    ("city_jiaxing", "monthly_meeting", True), ("district_nanhu", "target_assessment", True),
    ("city_shaoxing", "monthly_meeting", False), ("city_shaoxing", "bulletins", True),
    ("district_yuecheng", "approval_ledger", True), ("street_tashan", "whole_area", True),
    ("city_jiaxing", "whole_area", False), ("street_fuchun", "work_summaries", True),
    ("district_fuyang", "monthly_evaluation", True), ("district_nanhu", "monthly_evaluation", False),
    ("admin", "bulletins", False),  # no office: administrators are let in by each can_<action>
])
def test_has_instrument_reads_the_users_region(username, key, expected):
    assert has_instrument(user(username), key) is expected


@pytest.mark.django_db
def test_a_functional_zone_is_in_the_jurisdiction_of_its_district():
    fuyang = Region.objects.get(code="330111")
    zone = Region.objects.filter(code=None, parent=fuyang).first() or Region.objects.create(
        name="测试功能区", level=Region.Level.STREET, parent=fuyang, is_functional_zone=True)
    assert in_jurisdiction(zone, "work_summaries")
    assert not in_jurisdiction(zone, "bulletins")
    assert not in_jurisdiction(None, "bulletins")
