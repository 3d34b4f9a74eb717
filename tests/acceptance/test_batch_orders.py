"""The acceptance and naming batch lists sorted by every key, both ways: the expected orders
written out."""

import datetime as dt

import pytest

from acceptance import batch_views
from acceptance.models import AcceptanceBatch, NamingBatch
from communities.models import Office
from tests.lists import assert_sorted_as_written

pytestmark = pytest.mark.django_db


def test_batch_list_orders(client_for, users):
    shaoxing = Office.objects.get(kind="city_townscape", region__code="3306")
    jiaxing = Office.objects.get(kind="city_townscape", region__code="3304")
    creator = users["city_shaoxing"]
    # created in this order: C批, A批, D批, B批 (ties, e.g. the one office, go newest id first)
    for title, kind, day, recorded, document_no in (
            ("C批", "ad_hoc", 1, 4, "文2"), ("A批", "scheduled", 3, 2, "文4"),
            ("D批", "ad_hoc", 2, 3, "文1"), ("B批", "scheduled", 4, 1, "文3")):
        AcceptanceBatch.objects.create(kind=kind, held_on=dt.date(2025, 6, day), title=title, office=shaoxing,
                                       created_by=creator,
                                       results_recorded_at=dt.datetime(2025, 7, recorded, tzinfo=dt.UTC))
        NamingBatch.objects.create(title=title, document_no=document_no, named_on=dt.date(2025, 6, day),
                                   office=shaoxing, created_by=creator)
    AcceptanceBatch.objects.create(kind="ad_hoc", held_on=dt.date(2025, 6, 5), title="嘉兴批", office=jiaxing,
                                   created_by=users["city_jiaxing"])
    NamingBatch.objects.create(title="嘉兴批", document_no="嘉", named_on=dt.date(2025, 6, 5), office=jiaxing,
                               created_by=users["city_jiaxing"])
    client = client_for("city_shaoxing")
    assert_sorted_as_written(client, "/acceptance/batches/", batch_views.ACCEPTANCE_BATCHES, {
        "": ["B批", "A批", "D批", "C批"],  # latest first
        "title": ["A批", "B批", "C批", "D批"], "-title": ["D批", "C批", "B批", "A批"],
        "kind": ["D批", "C批", "B批", "A批"], "-kind": ["B批", "A批", "D批", "C批"],  # ad_hoc < scheduled
        "date": ["C批", "D批", "A批", "B批"], "-date": ["B批", "A批", "D批", "C批"],
        "office": ["B批", "D批", "A批", "C批"], "-office": ["B批", "D批", "A批", "C批"],
        "recorded": ["B批", "A批", "D批", "C批"], "-recorded": ["C批", "D批", "A批", "B批"],
    }, label=lambda b: b.title, listing="acceptance")
    assert_sorted_as_written(client, "/acceptance/batches/", batch_views.NAMING_BATCHES, {
        "": ["B批", "A批", "D批", "C批"],
        "title": ["A批", "B批", "C批", "D批"], "-title": ["D批", "C批", "B批", "A批"],
        "document_no": ["D批", "C批", "B批", "A批"], "-document_no": ["A批", "B批", "C批", "D批"],
        "date": ["C批", "D批", "A批", "B批"], "-date": ["B批", "A批", "D批", "C批"],
        "office": ["B批", "D批", "A批", "C批"], "-office": ["B批", "D批", "A批", "C批"],
    }, label=lambda b: b.title, listing="naming")
