"""The inbox sorted by every key, both ways: the expected orders written out."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from portal import views
from portal.models import Notification
from tests.lists import assert_sorted_as_written

pytestmark = pytest.mark.django_db


def at(day, hour=8):
    return timezone.make_aware(dt.datetime(2026, 5, day, hour), timezone.get_current_timezone())


def test_inbox_orders(client_for, users):
    # (title, event, link_label, created, read): created in this order, so N4 has the largest id
    for title, event, label, created, read in (
            ("N1", "alert", "C项目", at(2), None), ("N2", "rectification_issued", "", at(4), at(5, 10)),
            ("N3", "alert", "A项目", at(1), at(3, 9)), ("N4", "rectification_issued", "B项目", at(3), None)):
        note = Notification.objects.create(user=users["street_tashan"], event=event, key=title, title=title,
                                           body=f"{title}正文", mode="none", link_label=label, read_at=read)
        Notification.objects.filter(pk=note.pk).update(created_at=created)
    Notification.objects.create(user=users["district_yuecheng"], event="alert", key="N0", title="N0", body="",
                                mode="none")  # someone else's
    # unread (read_at NULL) sorts first ascending on SQLite, last on PostgreSQL; ties: newest id first
    by_read = (["N4", "N1", "N3", "N2"], ["N2", "N3", "N4", "N1"]) if connection.vendor == "sqlite" else (
        ["N3", "N2", "N4", "N1"], ["N4", "N1", "N2", "N3"])
    assert_sorted_as_written(client_for("street_tashan"), "/inbox/", views.INBOX, {
        "": ["N2", "N4", "N1", "N3"],  # newest first
        "created": ["N3", "N1", "N4", "N2"], "-created": ["N2", "N4", "N1", "N3"],
        "event": ["N3", "N1", "N4", "N2"], "-event": ["N4", "N2", "N3", "N1"],
        "title": ["N1", "N2", "N3", "N4"], "-title": ["N4", "N3", "N2", "N1"],
        "project": ["N2", "N3", "N4", "N1"], "-project": ["N1", "N4", "N3", "N2"],
        "read": by_read[0], "-read": by_read[1],
    }, label=lambda n: n.title)
