"""OpenAPI schema post-processing (drf-spectacular `POSTPROCESSING_HOOKS`): what every
operation can answer besides its success, stated once.

Every API error is the JSON error shape (CONTRACTS §4, portal.api_errors): `{"detail": …}`,
with `errors` by field for invalid input. Every operation documents 400 (bad input or
parameters), 403 (not signed in or not allowed), 404 (unknown or outside the data scope) and
413 (body over the limit); operations that change something also 409 (invalid in the current
state, or changed by someone else first). Integer query parameters state their limits (the
signed 64-bit range the API accepts: portal.api_filters).
"""

from __future__ import annotations

from portal.api_filters import INT64_MAX, INT64_MIN

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "可据以处理的中文说明"},
        "errors": {"type": "object", "additionalProperties": True, "description": "按字段的错误"},
    },
    "required": ["detail"],
}
DESCRIPTIONS = {
    "400": "输入或查询参数有误（detail 说明原因，errors 按字段列出）",
    "403": "未登录、令牌无效或过期，或无权执行此操作",
    "404": "对象不存在或不在您的数据权限范围内",
    "409": "当前状态下不能执行此操作，或已被他人先行修改",
    "413": "请求体过大",
}
WRITES = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in WRITES | {"get"}:
                continue
            codes = ["400", "403", "404", "413"] + (["409"] if method in WRITES else [])
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": DESCRIPTIONS[code], "content": reference})
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "integer":
                    schema.setdefault("minimum", INT64_MIN)
                    schema.setdefault("maximum", INT64_MAX)
    return result
