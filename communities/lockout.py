"""Login lock-out (django-axes): by (username, client address), the address from
portal.clientip behind the trusted proxies (TRUSTED_PROXY_HOPS), so one attacker's failures
lock only that username from the attacker's address, never everyone's.

A locked user gets a notice (inbox and e-mail: portal.notifications.notify); an administrator
unlocks with the 解除登录锁定 action of the user list in 系统管理 (`unlock`)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.utils import timezone

from portal.notifications import notify

INBOX_EVENTS = {"account_locked": "账号锁定"}


def lockout_message() -> str:
    return settings.AXES_COOLOFF_MESSAGE


def is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def unlock(usernames) -> int:
    """Clear the failed attempts of `usernames` (every address); the number of records removed."""
    from axes.utils import reset

    return sum(reset(username=name) for name in usernames)


@receiver(user_locked_out)
def tell_the_locked_user(sender, request=None, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username, is_active=True).first() if username else None
    if user is None:
        return
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    window = int(timezone.now().timestamp() // (minutes * 60 or 1))  # one notice per lock, not per attempt
    notify("account_locked", users=[user], key=f"account_locked:{user.pk}:{ip_address}:{window}",
           title="您的账号因多次登录失败已被临时锁定",
           body=(f"{timezone.localtime():%Y-%m-%d %H:%M} 起，来自 {ip_address or '未知地址'} 的登录连续失败"
                 f" {settings.AXES_FAILURE_LIMIT} 次，该地址对您账号的登录已锁定 {minutes} 分钟。"
                 "如非本人操作，请联系系统管理员解锁并修改密码。"))
