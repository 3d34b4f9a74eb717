"""Issue #20 items 4 and 17: the lock-out is per (username, client address) behind the trusted
proxy, the locked user is told and an administrator can unlock; API tokens expire and can be
revoked."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.models import Notification

PASSWORD = "Demo@2026"


def fail_logins(client, username, address, times=5):
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_HOPS = 1


@pytest.mark.django_db
def test_an_attacker_behind_the_proxy_locks_only_their_own_address(behind_nginx, client, users):
    fail_logins(client, "admin", "198.51.100.66")
    attacker = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert attacker.status_code == 429
    # the administrator, through the same proxy from another address, still logs in
    own = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD},
                      REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert own.status_code == 302


@pytest.mark.django_db
def test_the_locked_user_is_told_once_and_an_administrator_unlocks(behind_nginx, client, users, admin_client):
    fail_logins(client, "district_nanhu", "198.51.100.66", times=7)
    notices = Notification.objects.filter(user=users["district_nanhu"], event="account_locked")
    assert notices.count() == 1 and "198.51.100.66" in notices.get().body
    locked = client.post("/accounts/login/", {"username": "district_nanhu", "password": PASSWORD},
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert locked.status_code == 429

    response = admin_client.post("/admin/communities/user/", {
        "action": "unlock_logins", "_selected_action": [users["district_nanhu"].pk]}, follow=True)
    assert "已解除 1 个账号的登录锁定" in response.content.decode()
    again = client.post("/accounts/login/", {"username": "district_nanhu", "password": PASSWORD},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert again.status_code == 302


@pytest.mark.django_db
def test_the_token_endpoint_answers_a_locked_account_with_the_lockout_message(behind_nginx, client, users):
    fail_logins(client, "street_tashan", "198.51.100.66")
    response = APIClient().post("/api/auth/token/", {"username": "street_tashan", "password": PASSWORD},
                                format="json", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"] and "无法使用提供的认证信息登录" not in response.json()["detail"]
    wrong = APIClient().post("/api/auth/token/", {"username": "street_yinhu", "password": "wrong"}, format="json")
    assert wrong.status_code == 400 and "锁定" not in str(wrong.json())


@pytest.mark.django_db
def test_a_token_expires_after_its_lifetime_and_a_new_one_is_issued(settings, users):
    settings.API_TOKEN_DAYS = 30
    api = APIClient()
    issued = api.post("/api/auth/token/", {"username": "street_tashan", "password": PASSWORD}, format="json").json()
    token = Token.objects.get(key=issued["token"])
    assert dt.datetime.fromisoformat(issued["expires_at"]) == token.created + dt.timedelta(days=30)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/projects/").status_code == 200

    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=30, seconds=1))
    expired = api.get("/api/projects/")
    # 403, like every unauthenticated API request (the session is the first authentication class)
    assert expired.status_code == 403 and "令牌已过期" in expired.json()["detail"]

    renewed = APIClient().post("/api/auth/token/", {"username": "street_tashan", "password": PASSWORD},
                               format="json").json()
    assert renewed["token"] != token.key
    api.credentials(HTTP_AUTHORIZATION=f"Token {renewed['token']}")
    assert api.get("/api/projects/").status_code == 200


@pytest.mark.django_db
def test_a_token_can_be_revoked(users):
    api = APIClient()
    key = api.post("/api/auth/token/", {"username": "street_tashan", "password": PASSWORD},
                   format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/auth/token/revoke/").status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert api.get("/api/projects/").status_code == 403


@pytest.mark.django_db
def test_a_token_of_a_deactivated_user_or_an_unknown_token_is_refused(users):
    user = users["street_tashan"]
    key = Token.objects.create(user=user).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/projects/").status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    refused = api.get("/api/projects/")
    assert refused.status_code == 403 and refused.json()["detail"] == "用户未激活或者已删除。"
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    unknown = api.get("/api/projects/")
    assert unknown.status_code == 403 and unknown.json()["detail"] == "认证令牌无效。"
