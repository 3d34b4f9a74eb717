"""Issue #15 defect 7: an approved Fuyang subsidy shows in the finance ledger and on the project
page as soon as it exists — before the street settles its spending — linked to the 决算表.

富阳 五(三): "通过市级验收补助1000万元" — a municipal project accepted within its task year is
approved A = 10,000,000.00 (DOMAIN §6.2), before any payment exists (the settlement waits for the
street's final spending)."""

import datetime as dt

import pytest

from subsidies import services
from subsidies.models import ApprovedSubsidy, Payment
from tests.world import fuyang_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_unsettled(db):
    project = fuyang_projects(1, accepted_on=dt.date(2022, 6, 20))[0]  # no spending recorded, not final
    services.compute_subsidies(dt.date(2022, 7, 15))
    assert ApprovedSubsidy.objects.filter(project=project).exists()
    assert not Payment.objects.filter(project=project).exists()
    return project


def test_the_finance_ledger_lists_the_approved_subsidy_before_any_payment(client_for, approved_unsettled):
    project = approved_unsettled
    client = client_for("finance_fuyang")
    ledger = client.get("/subsidies/").content.decode()
    assert 'data-testid="approved-note"' in ledger and "10,000,000.00" in ledger
    assert 'href="/subsidies/approved/"' in ledger
    page = client.get("/subsidies/approved/").content.decode()
    table = page.split('data-testid="approved-table"', 1)[1]
    assert project.display_name in table
    assert '<td class="money">10,000,000.00</td>' in table
    assert "富阳 五(三)" in table
    assert f'href="/subsidies/projects/{project.pk}/" data-testid="statement-link"' in table
    assert "尚无（待决算或年底预拨）" in table


def test_the_project_page_shows_the_approved_amount_linked_to_the_statement(client_for, approved_unsettled):
    project = approved_unsettled
    for username in ("street_fuchun", "district_fuyang", "finance_fuyang"):
        page = client_for(username).get(f"/projects/{project.pk}/").content.decode()
        panel = page.split('data-testid="subsidy-panel"', 1)[1].split("</table>", 1)[0]
        assert "核定补助（A）" in panel and "10000000.00" in panel, username
        assert f'href="/subsidies/projects/{project.pk}/" data-testid="panel-link">查看决算表' in page
    assert client_for("street_fuchun").get(f"/subsidies/projects/{project.pk}/").status_code == 200


def test_the_approved_list_is_scoped_and_streets_are_refused(client_for, approved_unsettled):
    other = client_for("finance_jiaxing").get("/subsidies/approved/").content.decode()
    assert approved_unsettled.display_name not in other
    assert client_for("street_fuchun").get("/subsidies/approved/").status_code == 403


def test_the_approved_list_issues_the_same_queries_for_2_and_40_rows(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fuyang_projects(2, accepted_on=dt.date(2022, 6, 20))
    services.compute_subsidies(dt.date(2022, 7, 15))
    client = client_for("finance_fuyang")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/subsidies/approved/").status_code == 200
    fuyang_projects(38, accepted_on=dt.date(2022, 6, 20))
    services.compute_subsidies(dt.date(2022, 7, 15))
    with CaptureQueriesContext(connection) as large:
        page = client.get("/subsidies/approved/").content.decode()
    assert page.count('data-testid="statement-link"') == 40
    assert len(large.captured_queries) == len(small.captured_queries)
