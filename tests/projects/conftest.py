import datetime as dt

import pytest

from communities.models import Community, Survey

# street user, and who acts for each chain level, per jurisdiction (CONTRACTS §5)
ACTORS = {
    "fuyang": {"street": "street_fuchun", "district": "district_fuyang"},
    "jiaxing": {"street": "street_jianshe", "district": "district_nanhu", "city": "city_jiaxing",
                "leading_group": "leader_jiaxing"},
    "shaoxing": {"street": "street_tashan", "district": "district_yuecheng",
                 "city": "city_shaoxing"},
}
STREETS = {"fuyang": "330111001", "jiaxing": "330402007", "shaoxing": "330602001"}


@pytest.fixture
def community_in(db):
    def make(place, name=None, **fields):
        from communities.models import Region

        street = Region.objects.get(code=STREETS[place])
        community = Community.objects.create(name=name or f"{place}测试社区", street=street,
                                             area_ha=20, **fields)
        Survey.objects.create(community=community, kind=Survey.Kind.NEEDS,
                              conducted_on=dt.date(2024, 3, 1), sample_size=300)
        return community

    return make


@pytest.fixture
def create_project(api_for, community_in):
    def make(place, tier="municipal", category="renovation", **fields):
        community = fields.pop("community", None) or community_in(place)
        response = api_for(ACTORS[place]["street"]).post(
            "/api/projects/", {"community": community.pk, "tier": tier, "category": category,
                               "batch_year": 2026, **fields}, format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return make
