"""Set-based: the computation issues the same statements for 10 and for 1,000 projects; the
ledger list, API and workbench pages issue the same queries for 10 and 50 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subsidies import services
from subsidies.models import Payment
from tests.world import fuyang_projects

pytestmark = pytest.mark.django_db
D = dt.date


def statements_of(run):
    with CaptureQueriesContext(connection) as ctx:
        result = run()
    return len(ctx.captured_queries), result


def test_compute_statement_count_is_the_same_for_10_and_1000_projects(db):
    fuyang_projects(10, accepted_on=D(2023, 5, 10), spent="12000000")
    fuyang_projects(0)
    small, result = statements_of(lambda: services.compute_subsidies(D(2023, 6, 1), full=True))
    assert result.planned == 20  # advance + settlement each
    rerun_small, _ = statements_of(lambda: services.compute_subsidies(D(2023, 6, 1)))

    fuyang_projects(990, accepted_on=D(2023, 5, 10), spent="12000000")
    large, result = statements_of(lambda: services.compute_subsidies(D(2023, 6, 1), full=True))
    assert result.planned == 1980 and result.projects == 1000
    rerun_large, result = statements_of(lambda: services.compute_subsidies(D(2023, 6, 1)))
    assert (result.planned, result.changed) == (0, 0)
    assert small == large, (small, large)
    assert rerun_small == rerun_large
    assert Payment.objects.count() == 2000


def test_recompute_of_1000_changed_rows_is_still_the_same_statements(db):
    from projects.models import SpendingRecord

    fuyang_projects(10, accepted_on=D(2022, 6, 20), spent="8000000")
    services.compute_subsidies(D(2023, 1, 15))
    SpendingRecord.objects.update(amount=7000000)
    small, result = statements_of(lambda: services.compute_subsidies(D(2023, 1, 15)))
    assert result.changed == 10

    fuyang_projects(990, accepted_on=D(2022, 6, 20), spent="8000000")
    services.compute_subsidies(D(2023, 1, 15))
    SpendingRecord.objects.update(amount=6000000)
    large, result = statements_of(lambda: services.compute_subsidies(D(2023, 1, 15)))
    assert result.changed == 1000
    assert small == large, (small, large)


def test_payment_list_api_and_ledger_page_query_counts_do_not_grow(api_for, client_for):
    fuyang_projects(5, accepted_on=D(2022, 6, 20), spent="8000000")
    services.compute_subsidies(D(2023, 1, 15))
    api, client = api_for("finance_fuyang"), client_for("finance_fuyang")
    counts = []
    for more in (0, 45):
        fuyang_projects(more, accepted_on=D(2022, 6, 20), spent="8000000")
        services.compute_subsidies(D(2023, 1, 15))
        with CaptureQueriesContext(connection) as api_ctx:
            assert api.get("/api/payments/").status_code == 200
        with CaptureQueriesContext(connection) as page_ctx:
            assert client.get("/subsidies/").status_code == 200
        with CaptureQueriesContext(connection) as home_ctx:
            assert client.get("/").status_code == 200
        counts.append((len(api_ctx.captured_queries), len(page_ctx.captured_queries),
                       len(home_ctx.captured_queries)))
    assert counts[0] == counts[1], counts
