"""Error pages in Chinese with the portal's menu (403, 404 and CSRF use the request's context;
500 tries to, and falls back to a page that needs nothing when the failure is the database)."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render

logger = logging.getLogger(__name__)

BARE_500 = ("<!doctype html><html lang=\"zh-hans\"><head><meta charset=\"utf-8\"><title>系统错误</title></head>"
            "<body><h1>系统错误</h1><p>服务器处理请求时出错，已记录。请稍后重试，或联系系统管理员。</p>"
            "<p><a href=\"/\">返回工作台</a></p></body></html>")


def server_error(request, template_name="500.html"):
    try:
        return render(request, template_name, status=500)
    except Exception:  # the menu needs the database, which may be what failed
        logger.exception("the 500 page could not be rendered with the menu")
        return HttpResponseServerError(BARE_500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired or missing form token, said in words a user understands."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
