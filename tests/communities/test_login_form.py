"""A login with an over-long username is refused by the form, before authenticate() and
django-axes write anything (on PostgreSQL the attempt row's varchar(255) gave a 500)."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


def test_an_overlong_username_is_refused_with_a_message_and_no_attempt_row(client):
    response = client.post("/accounts/login/", {"username": "街" * 5000, "password": "x"})
    assert response.status_code == 200
    assert "用户名不能超过150个字符" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_of_normal_length_is_still_an_attempt(client):
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="nobody").count() == 1
