"""API token lifetime (`API_TOKEN_DAYS`) and the authentication class that refuses an expired
token (DRF `DEFAULT_AUTHENTICATION_CLASSES`; kept apart from the views in communities.tokens,
which DRF's settings may not import while they load)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

if TYPE_CHECKING:
    from rest_framework.authtoken.models import Token


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_DAYS)


def expires_at(token: Token) -> dt.datetime:
    return token.created + lifetime()


def is_expired(token: Token, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = self.token_with_user(key)
        if is_expired(token):
            raise exceptions.AuthenticationFailed(
                f"令牌已过期（有效期 {settings.API_TOKEN_DAYS} 天）：请重新获取（POST /api/auth/token/）")
        return user, token

    def token_with_user(self, key) -> tuple:
        """DRF's lookup and checks (unknown key, inactive user: the same messages), reading the
        user's office and region in the same query: the data scope (communities.scope) needs them
        on every request, which were two more queries."""
        from communities import user_rows

        model = self.get_model()
        token = user_rows.load("authtoken.Token", key) if model._meta.label == "authtoken.Token" else NotImplemented
        if token is NotImplemented:
            token = model.objects.select_related("user__office__region").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
