"""Query parameters holding a NUL byte or another control character (`?q=%00`, `?street=%00`)
are refused before any view reads them: PostgreSQL cannot compare text holding NUL (every list
filter answered 500), and no filter value a person types holds one. The answer is 400 with a
Chinese message naming the parameter — the JSON error shape under /api/, a page elsewhere."""

from __future__ import annotations

from django.shortcuts import render

from portal.api_errors import API_PREFIX, error_response
from portal.validators import TextValidator

_check = TextValidator(single_line=False)


def bad_parameter(query) -> tuple[str, str] | None:
    """(parameter, message) for the first parameter whose name or value holds a control character."""
    from django.core.exceptions import ValidationError

    for name, values in query.lists():
        for text in (name, *values):
            try:
                _check(text)
            except ValidationError as exc:
                shown = name.encode("unicode_escape").decode("ascii")[:40]
                return shown, f"查询参数“{shown}”{exc.messages[0]}"
    return None


class QueryGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = bad_parameter(request.GET)
        if bad is None:
            return self.get_response(request)
        name, message = bad
        if request.path.startswith(API_PREFIX):
            return error_response(400, message)
        return render(request, "400.html", {"message": message, "parameter": name}, status=400)
