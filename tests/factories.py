import factory

from communities.models import Community, Office, Region, Survey, User


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"测试{n}社区")
    street = factory.LazyFunction(lambda: Region.objects.get(code="330602001"))
    households = 1500
    area_ha = factory.LazyFunction(lambda: __import__("decimal").Decimal("20.00"))


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    community = factory.SubFactory(CommunityFactory)
    kind = Survey.Kind.NEEDS
    conducted_on = factory.Faker("date_between", start_date="-2y", end_date="today")
    sample_size = 300


def street_user(street_code: str, username: str) -> User:
    office = Office.objects.get(kind=Office.Kind.STREET, region__code=street_code)
    return User.objects.create_user(username=username, password="x", office=office)
