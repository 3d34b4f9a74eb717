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


def test_a_list_request_builds_only_the_filters_it_names_of_a_plain_filterset():
    """FilterBackend builds only the filters a request names (`narrowed`), and none when it
    names none, only when the filterset cannot filter without a value: a required filter, a
    filter whose absent value is not empty, an overridden filter_queryset keep the whole class."""
    import django_filters
    from django import forms

    from communities.models import Community
    from portal.api_filters import narrowed

    class Plain(django_filters.FilterSet):
        q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
        created = django_filters.DateFromToRangeFilter(field_name="created_at")

        class Meta:
            model = Community
            fields = ["q", "created"]

    class Required(Plain):
        street = django_filters.CharFilter(field_name="street__code", required=True)

    class Overridden(Plain):
        def filter_queryset(self, queryset):
            return super().filter_queryset(queryset).filter(is_urban=True)

    class Checkbox(Plain):  # absent reads as False: it filters without a parameter
        urban = django_filters.BooleanFilter(field_name="is_urban", widget=forms.CheckboxInput)

    def names(cls, query):
        return set(narrowed(cls, query).base_filters)

    assert names(Plain, {}) == names(Plain, {"page": "2"}) == names(Plain, {"other": "1"}) == set()
    assert names(Plain, {"q": "和平"}) == names(Plain, {"q": ""}) == {"q"}  # named: the filterset decides
    assert names(Plain, {"created_after": "2024-01-01", "q": "x"}) == {"q", "created"}
    assert narrowed(Plain, {"q": "x"}) is narrowed(Plain, {"q": "y"})  # one class per set of names
    for whole in (Required, Overridden, Checkbox):
        assert narrowed(whole, {}) is whole and narrowed(whole, {"q": "x"}) is whole


@pytest.mark.django_db
def test_a_narrowed_filterset_filters_and_refuses_exactly_as_the_whole_one():
    """For every declared filterset of the API and parameters good and bad, alone and together:
    the same validity, the same errors, the same SQL, the same applied values."""
    from django.http import QueryDict

    from portal.api_filters import narrowed

    samples = {"status": ["listed", "nonsense"], "tier": ["", "x"], "batch_year": ["2024", "²"],
               "overdue": ["true", "maybe"], "q": ["和平"], "project": ["7", "1.5"], "state": ["open", "x"],
               "due_before": ["2026-01-01", "2026-13-01"], "year": ["2025", "1e3"], "month": ["2026-01-01"],
               "district": ["330402"], "kind": ["x"], "other": ["1"]}
    classes = {viewset.filterset_class for _, viewset, _ in router.registry
               if getattr(viewset, "filterset_class", None)}
    assert len(classes) >= 8
    checked = 0
    for cls in classes:
        queryset = cls._meta.model.objects.all()
        names = [name for name in samples if name in cls.base_filters or name == "other"]
        queries = [{}] + [{name: value} for name in names for value in samples[name]]
        queries.append({name: samples[name][0] for name in names})
        queries.append({name: samples[name][-1] for name in names})
        for query in queries:
            data = QueryDict(mutable=True)
            data.update(query)
            whole, part = cls(data=data, queryset=queryset), narrowed(cls, data)(data=data, queryset=queryset)
            assert whole.is_valid() == part.is_valid(), (cls, query)
            assert whole.errors == part.errors, (cls, query)
            if whole.is_valid():
                assert str(whole.qs.query) == str(part.qs.query), (cls, query)
                applied = {k: v for k, v in whole.form.cleaned_data.items() if v not in ("", None, [], ())}
                assert applied == {k: v for k, v in part.form.cleaned_data.items() if v not in ("", None, [], ())}
            checked += 1
    assert checked > 40
