"""API-wide error shape: JSON with a message a person can act on (CONTRACTS §4)."""

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    from portal.errors import ProjectError

    if isinstance(exc, ProjectError):
        body = {"detail": exc.message}
        if exc.fields:
            body["errors"] = exc.fields
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = NotFound("对象不存在或不在您的数据权限范围内")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        # Field errors: keep them by field and add one readable summary.
        fields = response.data
        summary = "；".join(f"{k}：{v[0] if isinstance(v, list) and v else v}" for k, v in fields.items())
        response.data = {"detail": f"输入有误：{summary}", "errors": fields}
    return response
