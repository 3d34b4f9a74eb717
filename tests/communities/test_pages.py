import pytest

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200 and "登录" in response.content.decode()


def test_home_requires_login(client):
    assert client.get("/").status_code == 302


def test_home_shows_who_and_office(client_for):
    body = client_for("district_nanhu").get("/").content.decode()
    assert "南湖区风貌办" in body and "district_nanhu" in body


def test_login_with_demo_password(client, users):
    response = client.post("/accounts/login/", {"username": "street_tashan",
                                                "password": "Demo@2026"})
    assert response.status_code == 302


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["broker"] in {"ok", "eager", "unreachable"}


def test_api_token_login(client, users):
    response = client.post("/api/auth/token/", {"username": "city_jiaxing",
                                                "password": "Demo@2026"})
    assert response.status_code == 200 and response.json()["token"]


def test_static_assets_are_local(client_for):
    body = client_for("admin").get("/").content.decode()
    assert "http://" not in body.replace("http://127.0.0.1", "") and "https://" not in body


def test_seed_demo_refuses_without_debug(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
