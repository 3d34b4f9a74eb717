"""The public site: listed and named communities with tier, category, status, planned and actual
progress, naming document and active 公示 — and nothing internal (issue #18 item 1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Attachment, CreationProject, MonthlyReport
from residents import notices, public
from residents.models import PublicDisclosure
from tests.residents.conftest import TODAY, ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(listed_project, users, create_project):
    project = listed_project("jiaxing", listed_on=ago(100), community_name="公开社区",
                             total_investment=Decimal("12345678.00"))
    CreationProject.objects.filter(pk=project.pk).update(
        planned_start=ago(100), planned_finish=ago(100) + dt.timedelta(days=400), last_comment="内部审核意见XYZ")
    MonthlyReport.objects.create(project=project, month=dt.date(2026, 1, 1), progress_percent=Decimal("35.50"),
                                 investment_completed=Decimal("4321000.00"), problems="内部问题ABC",
                                 submitted_by=users["street_jianshe"])
    Attachment.objects.create(project=project, kind="implementation_plan", original_name="内部方案.pdf",
                              file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), content_type="application/pdf",
                              size=10, uploaded_by=users["street_jianshe"])
    draft = CreationProject.objects.get(pk=create_project("jiaxing")["id"])
    return project.pk, draft


def html(path):
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_public_list_shows_listed_projects_with_progress_without_login(shown):
    _, draft = shown
    page = html(reverse("public:index"))
    assert "公开社区市级未来社区" in page and "创建中" in page and "市级" in page and "旧改类" in page
    # actual progress from the latest 月报; planned = 100 of 400 days elapsed (platform's reading)
    assert "实际进度：35.5%" in page and "计划进度：25.0%" in page
    assert draft.display_name not in page


def test_nothing_internal_leaks_unless_marked_public(shown, users):
    pk, _ = shown
    for path in (reverse("public:index"), reverse("public:project", args=[pk])):
        page = html(path)
        for secret in ("street_jianshe", "内部审核意见XYZ", "内部问题ABC", "12345678", "4321000", "内部方案.pdf"):
            assert secret not in page, (path, secret)
    attachment = Attachment.objects.get(project_id=pk, original_name="内部方案.pdf")
    assert Client().get(reverse("public:attachment", args=[attachment.pk])).status_code == 404
    disclosure = PublicDisclosure.objects.create(project_id=pk, show_investment=True)
    disclosure.attachments.add(attachment)
    page = html(reverse("public:project", args=[pk]))
    assert "12345678" in page and "内部方案.pdf" in page
    download = Client().get(reverse("public:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"%PDF" in b"".join(download.streaming_content)


def test_draft_project_page_is_not_public(shown):
    _, draft = shown
    assert Client().get(reverse("public:project", args=[draft.pk])).status_code == 404


def test_named_project_shows_its_naming_document(drive, community_in):
    project = drive("jiaxing", listed_on=dt.date(2024, 3, 1), accepted_on=dt.date(2025, 5, 6),
                    named_on=dt.date(2025, 6, 1))
    page = html(reverse("public:index") + "?region=330402")
    assert "已命名" in page and project.naming_document_no in page and "2025-06-01" in page


def test_region_filter_narrows_to_the_district_and_rejects_bad_codes(shown, listed_project):
    other = listed_project("shaoxing", listed_on=ago(10), community_name="绍兴公开社区")
    page = html(reverse("public:index") + "?region=330402")
    assert "公开社区市级未来社区" in page and other.display_name not in page
    assert Client().get(reverse("public:index") + "?region=３３").status_code == 404
    # a NUL in any query parameter is refused project-wide with 400 and a message naming it
    nul = Client().get(reverse("public:index") + "?region=330402%00")
    assert nul.status_code == 400 and "查询参数“region”" in nul.content.decode()


def test_active_notice_is_listed_and_counted_down(shown, users):
    pk, _ = shown
    notice = notices.publish_notice(users["city_jiaxing"], kind="listing", title="嘉兴市级名单公示", body="名单",
                                    project_ids=[pk], starts_on=TODAY)
    assert "嘉兴市级名单公示" in html(reverse("public:index"))
    assert "嘉兴市级名单公示" in html(reverse("public:project", args=[pk]))
    page = html(reverse("public:notice", args=[notice.pk]))
    assert f"至{notice.ends_on:%Y-%m-%d}" in page or notice.ends_on.isoformat() in page
    assert "jiaxing" not in page.lower().replace("嘉兴", "")  # no staff usernames


def test_public_list_query_count_is_constant(listed_project, users):
    def count():
        with CaptureQueriesContext(connection) as queries:
            Client().get(reverse("public:index"))
        return len(queries)

    listed_project("jiaxing", listed_on=ago(10))
    few = count()
    for _ in range(4):
        listed_project("jiaxing", listed_on=ago(10))
    assert count() == few


def test_planned_progress_is_the_elapsed_share_of_the_planned_time():
    project = CreationProject(planned_start=dt.date(2026, 1, 1), planned_finish=dt.date(2026, 11, 28))
    # 2026-01-01 → 2026-11-28 is 331 days; on 2026-04-11, 100 days have elapsed: 30.2%
    assert public.planned_progress(project, dt.date(2026, 4, 11)) == Decimal("30.2")
    assert public.planned_progress(project, dt.date(2027, 1, 1)) == Decimal("100.0")
    assert public.planned_progress(CreationProject(), dt.date(2026, 1, 1)) is None
