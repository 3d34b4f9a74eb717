"""Review queue and batch pages: filter, paginate, export within scope (issue #7); their sort orders
are in test_review_queue_orders.py and tests/acceptance/test_batch_orders.py."""

import datetime as dt
import itertools

import pytest

from acceptance.models import AcceptanceBatch, NamingBatch
from communities.models import Community, Office, Region, User
from policies import POLICIES
from projects import selectors, workflow
from projects.models import CreationProject, PolicyVersion, Status
from tests.lists import (
    assert_exported_as_text,
    assert_query_count_is_constant,
    column,
    csv_table,
    page_rows,
    xlsx_table,
)
from tests.world import projects as bulk_projects

pytestmark = pytest.mark.django_db
TASHAN, SIBLING, JIANSHE, FUCHUN = "330602001", "330602002", "330402007", "330111001"


def waiting(street_code, count, step=0, status=Status.SUBMITTED, **fields):
    """Projects waiting at `step` of their chain (step 0: the district office)."""
    return bulk_projects(street_code, count, status=status, review_step=step, **fields)


# ---------------------------------------------------------------- review queue


def old_queue(user) -> set[int]:
    """The queue as it was computed before (every candidate walked in Python)."""
    level = user.office.chain_level if user.office_id else None
    if level is None:
        return set()
    candidates = (CreationProject.objects.visible_to(user).select_related("policy_version")
                  .filter(status__in=selectors.REVIEW_STATUSES))
    return {p.pk for p in candidates if (s := workflow.current_step(p)) is not None and s.office_level == level}


def test_review_queue_in_the_database_is_the_policy_chains_queue(users):
    """Every policy, tier, status and step: the one-query queue equals the Python walk."""
    streets = {"shaoxing-2019": TASHAN, "shaoxing-2023": SIBLING, "jiaxing-2023": JIANSHE, "fuyang-2021": FUCHUN}
    rows = []
    for code, street_code in streets.items():
        street = Region.objects.get(code=street_code)
        community = Community.objects.create(name=f"{code}链条社区", street=street)
        version = PolicyVersion.objects.filter(policy_code=code).first()
        for tier, status, step in itertools.product(POLICIES[code].tiers, Status.values, (None, 0, 1, 2, 3, 4)):
            rows.append(CreationProject(community=community, street=street, tier=tier, category="renovation",
                                        batch_year=2025, status=status, review_step=step, policy_code=code,
                                        policy_version=version))
    CreationProject.objects.bulk_create(rows)
    for username in ("district_yuecheng", "city_shaoxing", "district_nanhu", "city_jiaxing", "leader_jiaxing",
                     "district_fuyang", "street_tashan", "finance_fuyang", "admin"):
        user = users[username]
        queue = list(selectors.review_queue(user))
        assert {p.pk for p in queue} == old_queue(user), username
        assert all(p.step == workflow.current_step(p) and p.step.office_level == user.office.chain_level
                   for p in queue)
    assert selectors.review_queue(users["city_shaoxing"]).count() > 0


def test_home_page_review_section_reads_the_same_queue(client_for, users):
    waiting(TASHAN, 12)
    waiting(JIANSHE, 2)
    response = client_for("district_yuecheng").get("/")
    section = next(s for s in response.context["workbench"] if s["title"] == "待我审核")
    assert section["count"] == 12 and len(section["items"]) == 10
    step = POLICIES["shaoxing-2023"].application_chain("municipal")[0]
    assert {item["note"] for item in section["items"]} == {step.label}


def test_review_queue_page_shows_the_step_and_filters(client_for):
    own = waiting(TASHAN, 3)
    waiting(SIBLING, 2, status=Status.IN_REVIEW)
    client = client_for("district_yuecheng")
    response = client.get("/projects/review/")
    text = response.content.decode()
    assert "待我审核（5）" in text and all(p.community.name in text for p in own)
    assert {p.step.office_level for p in page_rows(response)} == {"district"}
    assert len(page_rows(client.get("/projects/review/", {"status": "in_review"}))) == 2
    assert len(page_rows(client.get("/projects/review/", {"status": "listed"}))) == 5  # not a queue status: ignored
    assert len(page_rows(client.get("/projects/review/", {"street": TASHAN}))) == 3
    assert [p.pk for p in page_rows(client.get("/projects/review/", {"q": own[1].community.name}))] == [own[1].pk]


def test_review_queue_exports_hold_exactly_the_filtered_rows(client_for):
    waiting(TASHAN, 55)
    waiting(SIBLING, 4)
    waiting(JIANSHE, 3)
    client = client_for("district_yuecheng")
    params = {"street": TASHAN, "sort": "-community"}
    shown = page_rows(client.get("/projects/review/", params)) + page_rows(
        client.get("/projects/review/", {**params, "page": 2}))
    names = [p.display_name for p in shown]
    assert len(names) == 55
    xlsx = xlsx_table(client.get("/projects/review/export.xlsx", params))
    csv = csv_table(client.get("/projects/review/export.csv", params))
    assert column(xlsx, "项目") == column(csv, "项目") == names
    assert set(column(xlsx, "当前环节")) == {shown[0].step.label}
    everything = column(csv_table(client.get("/projects/review/export.csv")), "街道")
    assert set(everything) == {"塔山街道", Region.objects.get(code=SIBLING).name}  # never 嘉兴


def test_review_queue_export_writes_formula_like_names_as_text(client_for):
    waiting(TASHAN, 1, name="=HYPERLINK(\"http://x\")")
    assert_exported_as_text(client_for("district_yuecheng"), "/projects/review/export", "项目",
                            "=HYPERLINK(\"http://x\")")


@pytest.mark.parametrize("url", ["/projects/review/", "/projects/review/export.xlsx", "/projects/review/export.csv"])
def test_review_queue_query_count_is_constant(client_for, url):
    waiting(TASHAN, 3)
    assert_query_count_is_constant(client_for("district_yuecheng"), url, {"sort": "street"},
                                   lambda: waiting(SIBLING, 17))


# ---------------------------------------------------------------- acceptance and naming batches


def batches(street_code, count, title="批次", held_on=dt.date(2025, 6, 1), projects=2, recorded=False):
    street = Region.objects.get(code=street_code)
    office = Office.objects.get(kind="city_townscape", region=street.parent.parent)
    creator = User.objects.filter(office=office).first()
    made = []
    for i in range(count):
        members = bulk_projects(street_code, projects, status=Status.ACCEPTED)
        day = held_on + dt.timedelta(days=i * 3)
        accepted = AcceptanceBatch.objects.create(
            kind=("ad_hoc", "scheduled")[i % 2], held_on=day, title=f"{title}{i:02d}", office=office,
            created_by=creator, results_recorded_at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC) if recorded else None)
        named = NamingBatch.objects.create(title=f"{title}{i:02d}", document_no=f"{title}文〔2025〕{i}号",
                                           named_on=day, office=office, created_by=creator)
        accepted.projects.set(members)
        named.projects.set(members)
        made.append((accepted, named))
    return made


def test_batch_lists_sort_and_page_independently(client_for):
    batches(TASHAN, 28)
    batches(TASHAN, 27, title="补", held_on=dt.date(2024, 1, 1), recorded=True)
    batches(JIANSHE, 3, title="嘉兴")
    client = client_for("city_shaoxing")
    both = client.get("/acceptance/batches/", {"a_sort": "title", "n_sort": "-document_no", "a_page": 2})
    assert both.context["acceptance"].page.number == 2 and both.context["naming"].page.number == 1
    assert both.context["naming"].sort == "-document_no"


def test_batch_lists_filter_by_keyword_year_and_result(client_for):
    made = batches(TASHAN, 4)
    batches(TASHAN, 2, title="往年", held_on=dt.date(2023, 5, 1), recorded=True)
    client = client_for("city_shaoxing")

    def shown(**params):
        response = client.get("/acceptance/batches/", params)
        return ([b.title for b in page_rows(response, "acceptance")], [b.title for b in page_rows(response, "naming")])

    assert shown(year="2023") == (["往年01", "往年00"], ["往年01", "往年00"])
    assert shown(q="批次02") == (["批次02"], ["批次02"])
    community = made[1][0].projects.first().community.name
    assert shown(q=community) == (["批次01"], ["批次01"])
    assert shown(q="批次文〔2025〕3号") == ([], ["批次03"])  # 文号 is the naming batch's
    assert shown(recorded="done")[0] == ["往年01", "往年00"]
    assert len(shown(recorded="pending")[0]) == 4
    assert len(shown(year="二〇二五", recorded="maybe")[0]) == 6  # ignored


def test_batch_exports_hold_exactly_the_filtered_rows_and_only_the_users_city(client_for):
    batches(TASHAN, 55, title="绍兴")
    batches(JIANSHE, 4, title="嘉兴")
    client = client_for("city_shaoxing")
    params = {"q": "绍兴", "a_sort": "-date", "n_sort": "title"}
    first = client.get("/acceptance/batches/", params)
    second = client.get("/acceptance/batches/", {**params, "a_page": 2, "n_page": 2})
    for name, listing, label in (("acceptance", "acceptance", "批次"), ("naming", "naming", "批次")):
        shown = page_rows(first, listing) + page_rows(second, listing)
        assert len(shown) == 55
        xlsx = xlsx_table(client.get(f"/acceptance/batches/{name}.xlsx", params))
        csv = csv_table(client.get(f"/acceptance/batches/{name}.csv", params))
        assert column(xlsx, label) == column(csv, label) == [b.title for b in shown]
        expected = "、".join(p.community.name for p in shown[0].projects.all())
        assert column(xlsx, "项目")[0] == column(csv, "项目")[0] == expected
    for username, own in (("city_jiaxing", "嘉兴"), ("district_nanhu", None)):
        other = client_for(username)
        for url in ("/acceptance/batches/acceptance.csv", "/acceptance/batches/naming.csv"):
            titles = column(csv_table(other.get(url)), "批次")
            assert all(t.startswith(own) for t in titles) and (len(titles) == 4 if own else not titles), username
    street = client_for("street_jianshe")  # a street has no batches: the list is refused (can_view_batches)
    for url in ("/acceptance/batches/acceptance.csv", "/acceptance/batches/naming.csv"):
        assert street.get(url).status_code == 403


def test_batch_export_writes_formula_like_titles_as_text(client_for):
    batches(TASHAN, 1, title="=1+1")
    client = client_for("city_shaoxing")
    for name in ("acceptance", "naming"):
        assert_exported_as_text(client, f"/acceptance/batches/{name}", "批次", "=1+100")


@pytest.mark.parametrize("url", ["/acceptance/batches/", "/acceptance/batches/acceptance.xlsx",
                                 "/acceptance/batches/acceptance.csv", "/acceptance/batches/naming.xlsx",
                                 "/acceptance/batches/naming.csv"])
def test_batch_lists_query_count_is_constant(client_for, url):
    batches(TASHAN, 3)
    assert_query_count_is_constant(client_for("city_shaoxing"), url, {"a_sort": "office", "n_sort": "document_no"},
                                   lambda: batches(SIBLING, 17, title="更多"))
