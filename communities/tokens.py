"""API tokens (`POST /api/auth/token/`): a lifetime, a way to revoke them, and the lock-out.

A token is valid for `API_TOKEN_DAYS` days from its creation; an expired one is refused
(403 with a Chinese message) and the next `POST /api/auth/token/` issues a new one. The caller revokes
its own token with `POST /api/auth/token/revoke/`; an administrator deletes anyone's in
系统管理 → 令牌 (Django admin). A locked-out account is answered with the lock-out message
(429), not the generic "wrong credentials" error.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from communities.lockout import is_locked, lockout_message
from communities.token_auth import expires_at, is_expired

TokenResponse = inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                    "expires_at": serializers.DateTimeField()})
ErrorResponse = inline_serializer("TokenError", {"detail": serializers.CharField()})


class ObtainExpiringToken(ObtainAuthToken):
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(responses={200: TokenResponse, 400: OpenApiResponse(ErrorResponse, description="用户名或密码错误"),
                              429: OpenApiResponse(ErrorResponse, description="登录失败次数过多，账号已临时锁定")})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            username = request.data.get("username") if hasattr(request.data, "get") else None
            if isinstance(username, str) and username and is_locked(request, username):
                return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        if is_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires_at": expires_at(token)})


class RevokeToken(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        """注销令牌：删除当前用户的 API 令牌（之后使用该令牌的请求被拒绝）。"""
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
