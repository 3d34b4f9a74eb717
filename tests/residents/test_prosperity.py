"""共富指数 (嘉兴 二(五)13 “定期填报‘共富指数’”): the document defines no indicators, so an
administrator sets them — none by default — and the page says so."""

import datetime as dt

import pytest
from django.urls import reverse

from portal.errors import Conflict, Forbidden, InvalidInput
from residents import prosperity
from residents.models import ProsperityFiling, ProsperityIndicator
from tests.residents.conftest import ago

pytestmark = pytest.mark.django_db


def test_no_indicator_by_default_and_the_page_says_the_document_defines_none(jiaxing_listed, client_for, users):
    assert not ProsperityIndicator.objects.exists()
    page = client_for("street_jianshe").get(reverse("residents:project_surveys", args=[jiaxing_listed.pk]))
    html = page.content.decode()
    assert "未规定其指标" in html and "目前尚未设定任何指标" in html
    with pytest.raises(InvalidInput, match="尚未设定共富指数指标"):
        prosperity.file_index(users["street_jianshe"], jiaxing_listed, period="2026-05-01", data={})


def test_street_files_the_indicators_an_administrator_set_once_per_quarter(jiaxing_listed, users):
    income = ProsperityIndicator.objects.create(name="居民人均可支配收入", unit="元")
    street = users["street_jianshe"]
    filing = prosperity.file_index(street, jiaxing_listed, period="2026-05-20",
                                   data={f"indicator_{income.pk}": "52000.5"})
    assert (filing.period, filing.values) == (dt.date(2026, 4, 1), {"居民人均可支配收入": "52000.5"})
    with pytest.raises(Conflict, match="2026年第2季度已填报"):
        prosperity.file_index(street, jiaxing_listed, period="2026-06-30", data={f"indicator_{income.pk}": "1"})
    for bad in ("５２０００", "1e400", "abc", ""):
        with pytest.raises(InvalidInput, match="居民人均可支配收入"):
            prosperity.file_index(street, jiaxing_listed, period="2026-08-01", data={f"indicator_{income.pk}": bad})
    with pytest.raises(Forbidden):
        prosperity.file_index(users["district_nanhu"], jiaxing_listed, period="2026-08-01",
                              data={f"indicator_{income.pk}": "1"})
    assert ProsperityFiling.objects.count() == 1


def test_quarter_start():
    assert prosperity.quarter_start(dt.date(2026, 12, 31)) == dt.date(2026, 10, 1)
    assert prosperity.quarter_start(ago(0)).day == 1
