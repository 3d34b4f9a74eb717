"""API-wide error shape: JSON with a message a person can act on (CONTRACTS §4)."""

from django.http import Http404
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        from rest_framework.exceptions import NotFound

        exc = NotFound("对象不存在或不在您的数据权限范围内")
    return drf_exception_handler(exc, context)
