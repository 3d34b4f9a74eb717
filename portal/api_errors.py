"""Every API error is the JSON error shape (CONTRACTS §4: `{"detail": "…"}`, plus `errors` by
field for invalid input) — whatever answered: a view, DRF, the URL resolver (404), Django's
error handlers (400, 500), the CSRF check (403) or the request-size limits (413) — for callers
signed in or not.

- `JSONParser`: DRF's, refusing JSON nested deeper than `MAX_JSON_DEPTH` (100,000 levels
  made the decoder raise RecursionError → 500 on every JSON endpoint) with a 400.
- `ApiErrorMiddleware` (outermost): under /api/ a request body over the limits is refused
  with 413 before anything reads it, and an error response that is not JSON is replaced by
  the JSON shape with a Chinese message for its status.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.http import JsonResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 100
API_PREFIX = "/api/"
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(rb"[^\[\]{}]+")

MESSAGES = {
    400: "请求无效：请检查请求的格式与参数",
    401: "未登录或认证信息无效",
    403: "无权执行此操作",
    404: "接口或对象不存在，或不在您的数据权限范围内",
    405: "不支持该请求方法",
    413: "请求体过大",
    500: "服务器内部错误，请稍后重试；如持续出现请联系系统管理员",
}
CSRF_MESSAGE = "CSRF 校验失败：请刷新页面后重试；其他系统请使用令牌认证（Authorization: Token …）"


def json_depth(raw: bytes, stop: int = MAX_JSON_DEPTH) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped), counted
    without recursion; counting stops once past `stop`."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub(b"", _STRINGS.sub(b"", raw)):
        depth += 1 if char in b"[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise ParseError(f"JSON 嵌套层数超过 {MAX_JSON_DEPTH} 层")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(raw.decode(encoding), parse_constant=self._refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON 格式错误：{exc}") from None

    @staticmethod
    def _refuse_constant(name):
        raise ValueError(f"不支持的数值 {name}")


def upload_limit_bytes() -> int:
    """The largest request body the API reads: a form or JSON body `DATA_UPLOAD_MAX_MEMORY_SIZE`,
    a multipart upload the file limit `UPLOAD_MAX_BYTES` plus room for the form around it."""
    return settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _too_big(request) -> str | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
    limit = upload_limit_bytes() if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length > limit:
        return f"请求体过大：上限为 {limit / (1024 * 1024):g} MB" + ("（含附件）" if multipart else "")
    return None


def error_response(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        too_big = _too_big(request)
        if too_big:
            return error_response(413, too_big)
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        csrf = response.status_code == 403 and getattr(request, "_csrf_failed", False)
        detail = CSRF_MESSAGE if csrf else MESSAGES.get(response.status_code,
                                                         f"请求失败（HTTP {response.status_code}）")
        json_response = error_response(response.status_code, detail)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                json_response[header] = response[header]
        return json_response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the JSON shape under /api/, Django's page elsewhere."""
    from django.views.csrf import csrf_failure as page

    if request.path.startswith(API_PREFIX):
        request._csrf_failed = True
        return error_response(403, CSRF_MESSAGE)
    return page(request, reason=reason)
