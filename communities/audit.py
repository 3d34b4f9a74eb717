"""Operation log (操作日志) and login log (登录日志), kept ≥ 6 months (网络安全法 第二十一条)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from communities import audit_words
from communities.models import LoginEvent, OperationLog

SKIP_PREFIXES = ("/static/", "/healthz")


def client_ip(request) -> str | None:
    # Behind the reverse proxy the first X-Forwarded-For hop is the client (see OPERATIONS.md).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or None) if forwarded else request.META.get("REMOTE_ADDR")


class OperationLogMiddleware:
    """Records every state-changing request and every download by a signed-in user: who, what
    (in words, communities.audit_words), to which object, with what result, when, from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if ((request.method in ("POST", "PUT", "PATCH", "DELETE") or audit_words.is_export(request, response))
                and user is not None and user.is_authenticated and not request.path.startswith(SKIP_PREFIXES)):
            OperationLog.objects.create(
                user=user, office_name=user.office.name if user.office_id else "",
                **audit_words.describe(request, response),
                method=request.method, path=request.path[:300],
                status_code=response.status_code, ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        return response


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    LoginEvent.objects.create(username=user.get_username(), user=user, event=LoginEvent.Event.LOGIN,
                              ip=client_ip(request) if request else None,
                              user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request else "")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        LoginEvent.objects.create(username=user.get_username(), user=user, event=LoginEvent.Event.LOGOUT,
                                  ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    LoginEvent.objects.create(username=str(credentials.get("username", ""))[:150], event=LoginEvent.Event.FAILED,
                              ip=client_ip(request) if request else None,
                              user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request else "")
