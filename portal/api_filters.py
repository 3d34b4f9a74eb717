"""The API's list filters (DRF `DEFAULT_FILTER_BACKENDS`): django-filter, with every integer
filter bounded to what the database can compare.

A filter whose column is an integer (an id, a foreign key, a year) accepts only a plain
integer in the signed 64-bit range; anything else (`9.223372036854776e+18`, `1.5`, `²`, a
20-digit number) is a 400 naming the field, before any query runs — SQLite raises
OverflowError past 64 bits and PostgreSQL an out-of-range error. `IntegerFilter` is the filter of
an integer column, among them every `?project=<id>`: an unknown id and one outside the caller's
data scope both give the same empty list (nothing tells whether the object exists).
"""

from __future__ import annotations

import functools
import re

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import QueryDict
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field, translate_validation

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INTEGER = re.compile(r"[+-]?[0-9]{1,19}")  # ASCII digits only: no ², no full-width digits


def int64_error(value, label: str) -> ValidationError | None:
    """The error for a value that is not a plain integer in the signed 64-bit range, else None."""
    text = str(value).strip()
    if INTEGER.fullmatch(text) and INT64_MIN <= int(text) <= INT64_MAX:
        return None
    label = label.replace("%", "%%")
    return ValidationError(f"{label}须为整数（不超过19位的阿拉伯数字），收到“%(value)s”", code="invalid",
                           params={"value": text[:30]})


class IntegerFilter(django_filters.NumberFilter):
    """`?<name>=<integer>` on an integer column (an id: never a model lookup, which would tell an
    unknown id from one outside the scope by answering 400 for the first only)."""

    field_class = forms.IntegerField


def _is_integer_column(model, field_name: str) -> bool:
    try:
        field = get_model_field(model, field_name)
    except FieldDoesNotExist:
        return False
    if field is None:
        return False
    if field.is_relation:
        field = field.target_field
    return isinstance(field, models.IntegerField | models.AutoField)


def guard_integers(filterset) -> None:
    """Wrap the `clean` of every integer filter's form field with the 64-bit check."""
    model = filterset.queryset.model
    form = filterset.form
    for name, flt in filterset.filters.items():
        integer = isinstance(flt, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter) or (
            isinstance(flt, django_filters.NumberFilter) and _is_integer_column(model, flt.field_name))
        if integer and name in form.fields:
            _guard(form.fields[name], str(flt.label or name))


def _guard(field: forms.Field, label: str) -> None:
    clean = field.clean

    def checked(value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item not in field.empty_values:
                error = int64_error(item, label)
                if error:
                    raise error
        return clean(value)

    field.clean = checked


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        return self.filtering(request, view, queryset)(queryset)

    def filtering(self, request, view, model_queryset):
        """What `filter_queryset` does, its checks made now (the same 400 naming the field) and
        its filtering returned as a function of the queryset to filter: a list whose statements
        are kept (portal.compiled) builds no queryset at all. `model_queryset` only names the
        model (it is never filtered)."""
        filterset_class = self.get_filterset_class(view, model_queryset)
        if filterset_class is None:
            return _unfiltered
        if filterset_class is getattr(view, "filterset_class", None):  # a declared class (not one built per call)
            filterset_class = narrowed(filterset_class, request.query_params)
            if not filterset_class.base_filters:  # the request names no filter: nothing to build or check
                request.applied_filters = {}
                return _unfiltered
        filterset = filterset_class(**self.get_filterset_kwargs(request, model_queryset, view))
        self._guarded(request, filterset)
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)

        def apply(queryset):
            # what FilterSet.qs does (errors checked above), for any queryset and each call:
            # qs keeps its first result, so a second queryset would have been given the first's
            queryset = queryset.all()
            return filterset.filter_queryset(queryset) if filterset.is_bound else queryset
        return apply

    def get_filterset(self, request, queryset, view):
        return self._guarded(request, super().get_filterset(request, queryset, view))

    @staticmethod
    def _guarded(request, filterset):
        if filterset is not None:
            guard_integers(filterset)
            request.list_filterset = filterset
        return filterset


def _unfiltered(queryset):
    return queryset


def applied_filters(request) -> dict | None:
    """The filters this backend applied to the request's list, name → cleaned value (a filter
    given an empty value filters nothing, as django-filter's own Filter.filter skips it); None
    when the backend did not filter the request (yet), or its filters were invalid."""
    applied = getattr(request, "applied_filters", None)
    if applied is not None:
        return applied
    filterset = getattr(request, "list_filterset", None)
    if filterset is None or not filterset.is_valid():
        return None
    return {name: value for name, value in filterset.form.cleaned_data.items()
            if value not in EMPTY_VALUES}


def narrowed(filterset_class, params):
    """The filterset class with only the filters the request names (its parameter, or one of its
    widget's suffixed parameters such as `<name>_after`): the same result, since a filter given
    no parameter filters nothing, for a fraction of the work — django-filter deep-copies every
    filter and builds and copies a form of every field on each request (~0.5 ms of a list
    filtered by one status). The class itself when that is not known to hold."""
    if not _absent_filters_nothing(filterset_class):
        return filterset_class
    names = frozenset(name for name in filterset_class.base_filters
                      if any(param == name or param.startswith(f"{name}_") for param in params))
    return _subset(filterset_class, names)


@functools.cache  # per declared class
def _absent_filters_nothing(filterset_class) -> bool:
    """True when the filterset filters the plain django-filter way (no `page` filter, nothing
    applied regardless: filter_queryset, qs and get_form_class django-filter's own) and, given no parameter at
    all, every filter's form field is valid and empty (so every filter skips it)."""
    if ("page" in filterset_class.base_filters
            or filterset_class.filter_queryset is not django_filters.FilterSet.filter_queryset
            or filterset_class.qs is not django_filters.FilterSet.qs
            or filterset_class.get_form_class is not django_filters.FilterSet.get_form_class):
        return False
    empty = filterset_class(data=QueryDict(), queryset=filterset_class._meta.model._default_manager.none())
    return empty.is_valid() and all(value in EMPTY_VALUES for value in empty.form.cleaned_data.values())


@functools.lru_cache(maxsize=256)
def _subset(filterset_class, names: frozenset):
    subset = type(filterset_class.__name__, (_FormOnce, filterset_class), {"__module__": filterset_class.__module__})
    subset.base_filters = {name: flt for name, flt in filterset_class.base_filters.items() if name in names}
    return subset


class _FormOnce:
    """A narrowed filterset's form class, built once: its fields are the filters' own, which do
    not depend on the request (no model-choice filter: `_absent_filters_nothing` built them
    without one), and every form copies its class's fields (Django's BaseForm)."""

    _form_class = None

    def get_form_class(self):
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            cls._form_class = super().get_form_class()
        return cls._form_class
