"""Computed boards are cached (dashboards.cache) under the data generation (portal.generation):
a write of a fact the boards read shows at once, a scope never sees another scope's board, the
cached path costs a fixed handful of queries, and the page, its exports and the API read one
computation."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Region
from dashboards import cache as board_cache
from portal import generation
from projects.models import CreationProject, Status
from tests.dashboards.test_pages import TASHAN, demo_data, page_tables
from tests.world import projects

pytestmark = pytest.mark.django_db

PAGES = ["plan", "coverage", "quotas", "overdue", "fuyang", "targets"]


def queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def statements(client, url) -> set[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return {re.sub(r"'[^']*'", "?", q["sql"]) for q in ctx.captured_queries  # literals: times, keys
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))}


def board_queries(client, url) -> set[str]:
    """The statements of a request beyond those of the (cached) board index: the request's own
    — session, user, office, the menu's counters, the operation log — aside."""
    return {sql for sql in statements(client, url) - statements(client, "/dashboards/")
            if not sql.startswith('INSERT INTO "communities_operationlog"')}


def overdue_listed(client, district="越城区") -> str:
    rows = page_tables(client, "/dashboards/overdue/")["overdue"]
    return next(row[3] for row in rows if row[2] == district)


# ---------------------------------------------------------------- fresh after a write


def test_a_transition_shows_on_the_board_at_once(users, client_for, api_for):
    client = client_for("district_fuyang")
    before = int(overdue_listed(client, "富阳区"))
    assert overdue_listed(client, "富阳区") == str(before)  # now from the cache
    community = Community.objects.create(name="缓存社区", street=Region.objects.get(code="330111001"))
    street, district = api_for("street_fuchun"), api_for("district_fuyang")
    pid = street.post("/api/projects/", {"community": community.pk, "tier": "municipal", "category": "renovation",
                                         "batch_year": 2026}, format="json").json()["id"]
    for api, body in [(street, {"action": "submit"}), (district, {"action": "approve"}),
                      (district, {"action": "record_listing", "listed_on": "2026-01-05",
                                  "document_no": "富〔2026〕9号"})]:
        assert api.post(f"/api/projects/{pid}/actions/", body, format="json").status_code == 200, body
    assert CreationProject.objects.get(pk=pid).status == Status.LISTED
    assert overdue_listed(client_for("district_fuyang"), "富阳区") == str(before + 1)


def test_a_saved_fact_and_a_bulk_update_show_at_once(client_for):
    projects(TASHAN, 2, listed_on=dt.date(2025, 4, 1))
    client = client_for("district_yuecheng")
    assert overdue_listed(client) == "2"
    project = CreationProject.objects.filter(street__code=TASHAN).first()
    project.status = Status.TERMINATED
    project.save()  # a model save: the watched models' signal bumps the generation
    assert overdue_listed(client) == "1"
    # a queryset update bypasses signals: its writer says so (as the services do)
    CreationProject.objects.filter(street__code=TASHAN).update(status=Status.LISTED)
    assert overdue_listed(client) == "1"  # not told: the cached board stays (why writers call changed())
    generation.changed()
    assert overdue_listed(client) == "2"


def test_the_generation_moves_again_on_commit(django_capture_on_commit_callbacks):
    start = generation.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        generation.changed()
        assert generation.current() == start + 1  # at once, for the writer's own reads
    assert len(callbacks) == 1 and generation.current() == start + 2  # and after commit, for everyone


def test_a_lost_counter_never_meets_old_entries():
    first = generation.current()
    cache.delete(generation.KEY)
    assert generation.current() not in (None, first, first + 1)


# ---------------------------------------------------------------- scope


def test_a_district_user_never_gets_a_city_users_cached_board(client_for):
    demo_data(3)
    city = page_tables(client_for("city_shaoxing"), "/dashboards/overdue/")["overdue"]
    assert {row[2] for row in city[1:-1]} >= {"越城区", "柯桥区"}
    district = page_tables(client_for("district_yuecheng"), "/dashboards/overdue/")["overdue"]
    assert [row[2] for row in district[1:-1]] == ["越城区"]
    assert len(page_tables(client_for("city_shaoxing"), "/dashboards/plan/")["plan"]) > 3  # cached for the city
    street = page_tables(client_for("street_tashan"), "/dashboards/plan/")["plan"]
    assert street[1:] == [["暂无数据"]]  # a street holds no whole district: the city's board is not shared
    body = client_for("district_yuecheng").get("/dashboards/overdue.csv").content.decode("utf-8-sig")
    assert "柯桥区" not in body


def test_the_scope_key_is_the_scope_and_the_permissions(users):
    keys = {name: board_cache.scope_key(users[name]) for name in
            ("admin", "city_shaoxing", "district_yuecheng", "street_tashan", "city_jiaxing", "district_nanhu")}
    assert len(set(keys.values())) == len(keys)
    assert keys["admin"].startswith("all.")
    assert keys["city_jiaxing"].endswith(".1") and keys["city_shaoxing"].endswith(".0")  # 年度目标管理考核


def test_junk_parameters_read_as_absent():
    assert board_cache.board_params({"year": "2025", "show": "unmet", "district": "330402"}) == {
        "year": "2025", "show": "unmet", "district": "330402"}
    assert board_cache.board_params({"year": "２０２５", "show": "x" * 40, "district": "1;drop"}) == {
        "year": "", "show": "", "district": ""}


# ---------------------------------------------------------------- the cached path


@pytest.mark.parametrize("username", ["admin", "city_shaoxing", "district_fuyang"])
def test_a_cached_board_costs_what_an_empty_page_costs(client_for, username):
    client = client_for(username)
    demo_data(3)
    queries(client, "/dashboards/")
    baseline, _ = queries(client, "/dashboards/")  # the tabs cached: the request's own queries
    for key in PAGES:
        first, _ = queries(client, f"/dashboards/{key}/?year=2025")
        again, response = queries(client, f"/dashboards/{key}/?year=2025")
        assert again == baseline < first, key
        assert re.search(r"数据计算于 \d{4}-\d\d-\d\d \d\d:\d\d", response.content.decode())
        assert board_queries(client, f"/dashboards/{key}/?year=2025") == set()
        # the exports read the page's computation
        assert board_queries(client, f"/dashboards/{key}.xlsx?year=2025") == set(), key
        if client.get(f"/dashboards/{key}.csv?year=2025").status_code == 200:  # (a board with no table: 404)
            assert board_queries(client, f"/dashboards/{key}.csv?year=2025") == set(), key


def test_a_cached_board_page_is_not_rendered_again(client_for):
    """The page below the tabs and the tabs are rendered with their computations (dashboards.page)
    and kept with them: a cached request renders only the page around them, and shows the same
    HTML, export links with the page's filters included, its own tab active."""
    client = client_for("city_shaoxing")
    demo_data(3)
    url = "/dashboards/plan/?year=2025"
    first = client.get(url)
    again = client.get(url)
    assert "dashboards/_board_body.html" in {t.name for t in first.templates}
    assert "dashboards/_board_body.html" not in {t.name for t in again.templates}
    tabs = re.search(r'<ul class="nav nav-tabs.*?</ul>', again.content.decode(), re.S).group(0)
    assert tabs == re.search(r'<ul class="nav nav-tabs.*?</ul>', first.content.decode(), re.S).group(0)
    assert re.findall(r'class="nav-link active" href="([^"]+)"', tabs) == ["/dashboards/plan/"]
    index = re.search(r'<ul class="nav nav-tabs.*?</ul>', client.get("/dashboards/").content.decode(), re.S).group(0)
    assert re.findall(r'class="nav-link active" href="([^"]+)"', index) == ["/dashboards/"]
    other = client.get("/dashboards/fuyang/")  # a board of another city: no tab of its own
    assert other.status_code == 200 and 'href="/dashboards/fuyang/"' not in other.content.decode()
    assert 'class="nav-link active"' not in re.search(r'<ul class="nav nav-tabs.*?</ul>',
                                                      other.content.decode(), re.S).group(0)
    body = re.compile(r'<div class="d-flex justify-content-between.*</section>', re.S)
    shown = body.search(first.content.decode()).group(0)
    assert body.search(again.content.decode()).group(0) == shown
    assert 'href="/dashboards/plan.xlsx?year=2025"' in shown
    assert re.search(r'href="/dashboards/plan\.csv\?year=2025&amp;table=\w+"', shown)
    assert '<option value="2025" selected>' in shown


def test_the_page_says_when_it_was_computed_and_keeps_saying_it(client_for, monkeypatch):
    client = client_for("district_yuecheng")

    def computed_at():
        return re.search(r"数据计算于 ([\d: -]+)<", client.get("/dashboards/overdue/").content.decode()).group(1)

    first = computed_at()
    later = dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC)  # 11:04 in Shanghai
    monkeypatch.setattr(board_cache, "now", lambda: later)
    assert computed_at() == first  # served from the cache: computed then, not now
    generation.changed()
    assert computed_at() == "2030-01-02 11:04"


def test_the_assessment_api_reads_the_pages_computation(client_for, api_for):
    page = client_for("city_jiaxing")
    queries(page, "/dashboards/assessment/?year=2024")
    api = api_for("city_jiaxing")
    api.get("/api/assessments/", {"year": "2024"})  # its own scope lookups warmed
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/api/assessments/", {"year": "2024"}).status_code == 200
    assert not any("projects_creationproject" in q["sql"] for q in ctx.captured_queries)
    assert board_queries(page, "/dashboards/assessment.xlsx?year=2024") == set()


def test_a_change_of_a_kept_template_is_a_new_release(tmp_path, settings):
    """The HTML kept in entries comes from dashboards.page's templates: a deployment that changes
    one must not meet the entries rendered by the one before in a shared cache."""
    import copy

    from dashboards import page

    board_cache.release.cache_clear()
    before = board_cache.release()
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "_board_body.html").write_text("<div>changed</div>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    try:
        board_cache.release.cache_clear()
        assert page.BODY in page.TEMPLATES and board_cache.release() != before
    finally:
        board_cache.release.cache_clear()
