"""Operation log (操作日志) and login log (登录日志), kept ≥ 6 months (网络安全法 第二十一条).

The client address comes from portal.clientip (REMOTE_ADDR and the trusted proxy hops only,
always a valid IP or None), so writing a log row cannot fail on what a client sends.

A state-changing request and its operation-log row commit together: the middleware runs the
request in one transaction and writes the row inside it, so there is never an action without
its audit entry, nor an entry for an action that did not happen. A request that ends in a
server error (5xx) is rolled back whole and then logged on its own, with its status.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from communities import audit_words
from communities.models import LoginEvent, OperationLog
from portal.clientip import client_ip

log = logging.getLogger(__name__)

SKIP_PREFIXES = ("/static/", "/healthz")
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _loggable(value, field: str):
    """What a client sent, as the log can store it: characters no database keeps (NUL — which
    PostgreSQL refuses in text — and the other control characters) dropped, cut to the column."""
    if not isinstance(value, str):
        return value
    value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
    limit = OperationLog._meta.get_field(field).max_length
    return value[:limit] if limit else value


def _record(request, response) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    fields = {**audit_words.describe(request, response), "method": request.method, "path": request.path,
              "user_agent": request.META.get("HTTP_USER_AGENT", "")}
    OperationLog.objects.create(
        user=user, office_name=user.office.name if user.office_id else "",
        **{name: _loggable(value, name) for name, value in fields.items()},
        status_code=response.status_code, ip=client_ip(request))


class OperationLogMiddleware:
    """Records every state-changing request and every download by a signed-in user: who, what
    (in words, communities.audit_words), to which object, with what result, when, from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SKIP_PREFIXES):
            return self.get_response(request)
        if request.method not in WRITES:
            response = self.get_response(request)
            if audit_words.is_export(request, response):  # who exported or downloaded what, too
                try:
                    with transaction.atomic():
                        _record(request, response)
                except Exception:  # the file went out; a failed log row must not turn it into an error
                    log.exception("operation log of a download not written: %s", request.path)
            return response
        with transaction.atomic():
            response = self.get_response(request)
            failed = response.status_code >= 500
            if failed:
                transaction.set_rollback(True)  # nothing written before the error stays half-done
            else:
                _record(request, response)
        if failed:
            try:
                with transaction.atomic():
                    _record(request, response)
            except Exception:  # the request already failed; its log row must not hide why
                log.exception("operation log of a failed request not written: %s %s", request.method, request.path)
        return response


def _event(request, **fields) -> None:
    LoginEvent.objects.create(ip=client_ip(request) if request else None,
                              user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request else "",
                              **fields)


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    _event(request, username=user.get_username(), user=user, event=LoginEvent.Event.LOGIN)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _event(request, username=user.get_username(), user=user, event=LoginEvent.Event.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    _event(request, username=str(credentials.get("username", ""))[:150], event=LoginEvent.Event.FAILED)
