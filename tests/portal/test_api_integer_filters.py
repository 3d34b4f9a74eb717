"""Issue #20 items 0 and 13: every integer filter of the API refuses a value past 64 bits with
a 400 naming the field (SQLite raised OverflowError → 500), and `?project=` answers an unknown
id and an id outside the caller's data scope alike."""

import datetime as dt

import pytest
from django_filters.rest_framework import DjangoFilterBackend

from config.api_urls import router
from portal.api_filters import FilterBackend, guard_integers

BAD = ["9.223372036854776e+18", "%s%d", "9223372036854775808", "-9223372036854775809", "99999999999999999999",
       "1.5", "²", "１２", "1e3"]


def integer_filters():
    """(url, parameter) for every integer filter of every registered list route."""
    found = []
    for prefix, viewset, _ in router.registry:
        if not (getattr(viewset, "filterset_class", None) or getattr(viewset, "filterset_fields", None)):
            continue
        declared = getattr(viewset, "filterset_class", None)
        model = declared._meta.model if declared else viewset.serializer_class.Meta.model
        filterset_class = DjangoFilterBackend().get_filterset_class(viewset(), model.objects.none())
        if filterset_class is None:
            continue
        filterset = filterset_class(data={}, queryset=model.objects.none())
        before = {name: field.clean for name, field in filterset.form.fields.items()}
        guard_integers(filterset)
        found += [(f"/api/{prefix}/", name) for name, field in filterset.form.fields.items()
                  if field.clean != before[name]]
    return found


FILTERS = integer_filters()


def test_the_api_uses_the_bounded_backend_and_finds_the_integer_filters(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] == ["portal.api_filters.FilterBackend"]
    assert issubclass(FilterBackend, DjangoFilterBackend)
    # written by hand: the project filters of deadlines, alerts, monthly reports, spending and
    # payments, the payments' year, the projects' batch year and community
    assert {("/api/deadlines/", "project"), ("/api/alerts/", "project"), ("/api/monthly-reports/", "project"),
            ("/api/spending/", "project"), ("/api/payments/", "project"), ("/api/payments/", "year"),
            ("/api/projects/", "batch_year"), ("/api/projects/", "community")} <= set(FILTERS)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), FILTERS)
@pytest.mark.parametrize("username", ["street_tashan", "admin"])
def test_an_integer_filter_refuses_values_past_64_bits_with_a_400_naming_it(api_for, url, name, username):
    api = api_for(username)
    for value in BAD:
        response = api.get(url, {name: value})
        assert response.status_code == 400, (url, name, value, response.status_code)
        body = response.json()
        assert name in body["errors"] and "须为整数" in body["detail"], body


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted({url for url, name in FILTERS if name == "project"}))
def test_unknown_and_out_of_scope_projects_filter_alike(api_for, listed_project, url):
    project = listed_project("shaoxing", listed_on=dt.date(2025, 3, 1))  # 塔山街道's: outside 富春街道's scope
    api = api_for("street_fuchun")
    out_of_scope = api.get(url, {"project": project.pk})
    unknown = api.get(url, {"project": project.pk + 10_000})
    assert out_of_scope.status_code == unknown.status_code == 200
    assert out_of_scope.json() == unknown.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_list_request_without_filter_parameters_skips_only_a_plain_filterset():
    """FilterBackend gives the queryset back unfiltered (no form built) only when the request
    names no parameter but the page and the filterset cannot filter without a value."""
    import django_filters
    from django.test import RequestFactory
    from rest_framework.request import Request

    from communities.models import Community
    from portal.api_filters import _unfiltered

    class Plain(django_filters.FilterSet):
        q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

        class Meta:
            model = Community
            fields = ["q"]

    class Required(Plain):
        street = django_filters.CharFilter(field_name="street__code", required=True)

    class Overridden(Plain):
        def filter_queryset(self, queryset):
            return super().filter_queryset(queryset).filter(is_urban=True)

    def request(query):
        return Request(RequestFactory().get("/api/communities/", query))

    assert _unfiltered(request({}), Plain) and _unfiltered(request({"page": "2"}), Plain)
    assert not _unfiltered(request({"q": "和平"}), Plain)
    assert not _unfiltered(request({"q": ""}), Plain)  # named: the filterset decides
    assert not _unfiltered(request({"other": "1"}), Plain)
    assert not _unfiltered(request({}), Required)  # a required filter answers 400 without it
    assert not _unfiltered(request({}), Overridden)
