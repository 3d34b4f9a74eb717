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


def test_community_dossier_lists_its_projects(client_for, users):
    from communities.models import Community, Region
    from projects import services

    community = Community.objects.create(name="档案社区", street=Region.objects.get(code="330602001"))
    services.create_project(users["street_tashan"], community, tier="municipal", category="renovation",
                            batch_year=2026)
    body = client_for("district_yuecheng").get(f"/communities/{community.pk}/").content.decode()
    assert "档案社区市级未来社区" in body and "草稿" in body


def test_community_list_query_count_is_constant(client_for):
    from communities.models import Community, Region

    street = Region.objects.get(code="330602001")
    client = client_for("city_shaoxing")
    Community.objects.bulk_create(Community(name=f"计数{i}社区", street=street) for i in range(5))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/communities/")
    Community.objects.bulk_create(Community(name=f"计数{i}社区", street=street) for i in range(5, 60))
    with CaptureQueriesContext(connection) as large:
        client.get("/communities/")
    assert len(small) == len(large)
