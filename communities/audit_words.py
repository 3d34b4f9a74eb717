"""The words of the operation log (操作日志): what a request did (提交申报, 审核退回, 导出报表),
to which object (the project's display name, the file), with what result, and for exports the
scope and filters — rather than `POST /projects/68/act/ 302`.

Each app names its own routes: `register(view_name, action, target=None)` where `action` is a
label or `action(request) -> str` and `target(request, kwargs) -> str` names the object (an
app registers from its AppConfig.ready, so this module imports no app above it). A route nobody
named is logged with a generic label. The result is the message the page showed the user
(django.contrib.messages) or, without one, the meaning of the status code.
"""

from collections.abc import Callable
from urllib.parse import unquote

Describer = tuple[str | Callable, Callable | None]
_ROUTES: dict[str, Describer] = {}
_EXPORTS: set[str] = set()  # routes whose GET is logged even when it answers no file (a job started)

STATUS_WORDS = {400: "失败：输入有误", 403: "失败：无权操作", 404: "失败：对象不存在或不在数据范围内",
                405: "失败：不支持的操作", 409: "失败：状态已变化，未执行", 413: "失败：文件过大"}
GENERIC = {"POST": "提交", "PUT": "修改", "PATCH": "修改", "DELETE": "删除"}
# Query parameters that are paging or sorting, not a filter of what was exported.
NOT_FILTERS = {"page", "sort", "size", "page_size"}


def register(view_name: str, action: str | Callable, target: Callable | None = None, *,
             export: bool = False) -> None:
    """Name a route's action and object; `export`: its GET is logged too (it exports)."""
    _ROUTES[view_name] = (action, target)
    if export:
        _EXPORTS.add(view_name)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def is_export(request, response) -> bool:
    """A GET worth logging: a file answered, or an export route (a list's .xlsx/.csv, the
    report export) — which may have started a background job rather than answered a file."""
    name = _view_name(request)
    return bool(_attachment_name(response)) or name in _EXPORTS or name.endswith(("_xlsx", "_csv"))


def _attachment_name(response) -> str:
    disposition = response.get("Content-Disposition", "") if hasattr(response, "get") else ""
    if "attachment" not in disposition:
        return ""
    if "filename*=" in disposition:
        return unquote(disposition.split("filename*=", 1)[1].split("''", 1)[-1].strip().strip('"'))
    if "filename=" in disposition:
        return disposition.split("filename=", 1)[1].strip().strip('"')
    return "文件"


def is_download(response) -> bool:
    return bool(_attachment_name(response))


def _messages_shown(request) -> list[tuple[int, str]]:
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", None) or []
    return [(m.level, str(m.message)) for m in queued]


def result_words(request, response) -> str:
    from django.contrib import messages as levels

    shown = _messages_shown(request)
    errors = [text for level, text in shown if level >= levels.ERROR]
    if errors:
        return f"失败：{'；'.join(errors)}"
    status = response.status_code
    if status >= 500:
        return "失败：系统错误"
    if status in STATUS_WORDS:
        reason = ""
        if status == 403 and getattr(response, "context_data", None):
            reason = str(response.context_data.get("exception", ""))
        return STATUS_WORDS[status] + (f"（{reason}）" if reason else "")
    if status >= 400:
        return f"失败（{status}）"
    done = [text for level, text in shown if level >= levels.SUCCESS]
    return f"成功：{'；'.join(done)}" if done else "成功"


def filters_words(request) -> str:
    """The filters of an export as "名称=值" pairs, from its query string."""
    pairs = [(k, v) for k, values in request.GET.lists() for v in values if v and k not in NOT_FILTERS]
    return "；".join(f"{k}={v}" for k, v in pairs)


def describe(request, response) -> dict:
    """action, target, result and detail of one request, for its OperationLog row."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    kwargs = match.kwargs if match else {}
    action, target = "", ""
    if view_name in _ROUTES:
        label, name = _ROUTES[view_name]
        try:
            action = label(request) if callable(label) else label
            target = name(request, kwargs) if name else ""
        except Exception:  # the words must never break the request they describe
            action = action or (label if isinstance(label, str) else "")
    detail = ""
    filename = _attachment_name(response)
    if filename or view_name in _EXPORTS or view_name.endswith(("_xlsx", "_csv")):
        action = action or "导出下载"
        target = target or filename or view_name
        office = getattr(getattr(request.user, "office", None), "region", None)
        scope = f"数据范围：{office.name}" if office else "数据范围：全部"
        filters = filters_words(request)
        detail = scope + (f"；筛选：{filters}" if filters else "；筛选：无")
    if not action:
        action = f"{GENERIC.get(request.method, request.method)}（{view_name or request.path}）"
    return {"action": action[:60], "target": str(target)[:200], "result": result_words(request, response)[:300],
            "detail": detail[:500]}


def _report_title(kind: str) -> str:
    from portal.exports import kind_title

    return kind_title(kind)


# Routes of the plumbing and of this app (the apps above register theirs).
register("login", "登录")
register("logout", "退出登录")
register("password_change", "修改密码")
register("portal:mark_read", "消息标为已读")
register("portal:mark_all_read", "全部消息标为已读")
register("portal:notice_new", "发布通知公告", lambda request, kw: request.POST.get("title", ""))
register("portal:notice_edit", "修改通知公告", lambda request, kw: request.POST.get("title", ""))
register("portal:export", "导出报表", lambda request, kw: _report_title(kw.get("kind", "")), export=True)
register("portal:export_download", "下载导出文件")
register("community_import", "导入社区档案")
register("user_new", "新建用户", lambda request, kw: request.POST.get("username", ""))
register("user_edit", "修改用户")
register("user_toggle", lambda request: "启用用户" if request.POST.get("active") == "1" else "停用用户")
register("user_password", "重置用户密码")
