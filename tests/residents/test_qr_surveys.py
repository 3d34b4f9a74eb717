"""QR surveys: one answer per device, a rate limit per address, the privacy line, results."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from residents import services
from residents.models import Response, Survey
from tests.residents.conftest import ago, answer_form

pytestmark = pytest.mark.django_db


def url(survey):
    return reverse("public:survey", args=[survey.token])


def test_resident_answers_on_the_phone_page_without_login(qr_survey):
    phone = Client(REMOTE_ADDR="10.0.0.1")
    page = phone.get(url(qr_survey))
    assert page.status_code == 200 and "未来社区验收前居民满意度调研" in page.content.decode()
    response = phone.post(url(qr_survey), answer_form(qr_survey))
    assert response.status_code == 200 and "提交成功" in response.content.decode()
    assert Response.objects.filter(survey=qr_survey).count() == 1


def test_second_answer_from_the_same_device_is_refused(qr_survey):
    phone = Client(REMOTE_ADDR="10.0.0.2")
    phone.get(url(qr_survey))
    assert phone.post(url(qr_survey), answer_form(qr_survey)).status_code == 200
    again = phone.post(url(qr_survey), answer_form(qr_survey, overall="不满意"))
    assert again.status_code == 409 and "本设备已提交过" in again.content.decode()
    assert list(Response.objects.filter(survey=qr_survey).values_list("answers", flat=True)) == [
        {qr_survey.questions[0]["key"]: "满意"}]


def test_a_forged_device_cookie_does_not_count_as_a_device(qr_survey):
    phone = Client(REMOTE_ADDR="10.0.0.3")
    phone.cookies["rsd_device"] = "forged"  # not signed: a new device id is issued
    assert phone.post(url(qr_survey), answer_form(qr_survey)).status_code == 200
    assert Response.objects.get(survey=qr_survey).device != "forged"


def test_rate_limit_per_address_refuses_answers_beyond_the_limit(qr_survey, settings):
    settings.RESIDENTS_ANSWERS_PER_ADDRESS = 2
    codes = [Client(REMOTE_ADDR="10.0.0.9").post(url(qr_survey), answer_form(qr_survey)).status_code
             for _ in range(3)]  # three devices (fresh cookies) behind one address
    assert codes == [200, 200, 429]
    assert Response.objects.filter(survey=qr_survey).count() == 2
    # another address is not affected
    assert Client(REMOTE_ADDR="10.0.0.10").post(url(qr_survey), answer_form(qr_survey)).status_code == 200


def test_behind_the_trusted_proxy_each_resident_has_their_own_limit(qr_survey, settings):
    """With TRUSTED_PROXY_HOPS = 1 (the documented nginx), REMOTE_ADDR is the proxy for every
    phone: the limit counts the address the proxy forwarded, not the proxy's."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.RESIDENTS_ANSWERS_PER_ADDRESS = 1

    def via_proxy(resident):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=resident)

    assert via_proxy("203.0.113.7").post(url(qr_survey), answer_form(qr_survey)).status_code == 200
    assert via_proxy("203.0.113.8").post(url(qr_survey), answer_form(qr_survey)).status_code == 200
    assert via_proxy("203.0.113.7").post(url(qr_survey), answer_form(qr_survey)).status_code == 429


def test_privacy_line_and_retention_are_shown_with_the_contact_fields(qr_survey, settings):
    settings.RESIDENTS_CONTACT_RETENTION_DAYS = 90
    html = Client().get(url(qr_survey)).content.decode()
    assert "个人信息保护法" in html and "90天后删除" in html and "不留联系方式即为匿名提交" in html


def test_contact_details_need_consent_and_half_width_digits(qr_survey):
    phone = Client(REMOTE_ADDR="10.0.1.1")
    refused = phone.post(url(qr_survey), answer_form(qr_survey, contact_phone="13800000000"))
    assert refused.status_code == 400 and "勾选同意" in refused.content.decode()
    full_width = phone.post(url(qr_survey), answer_form(qr_survey, contact_phone="１３８００", contact_consent="on"))
    assert full_width.status_code == 400 and "半角数字" in full_width.content.decode()
    assert not Response.objects.exists()
    ok = phone.post(url(qr_survey), answer_form(qr_survey, contact_name="王", contact_phone="13800000000",
                                                 contact_consent="on"))
    assert ok.status_code == 200
    saved = Response.objects.get()
    assert (saved.contact_name, saved.contact_phone, saved.contact_consent) == ("王", "13800000000", True)


def test_bad_answers_are_refused_with_the_question_named(qr_survey):
    phone = Client(REMOTE_ADDR="10.0.1.2")
    missing = phone.post(url(qr_survey), {})
    assert missing.status_code == 400 and "请回答：您对本社区未来社区建设的总体评价" in missing.content.decode()
    bogus = phone.post(url(qr_survey), answer_form(qr_survey, overall="满意\x00"))
    assert bogus.status_code == 400
    text_key = qr_survey.questions[2]["key"]
    control = phone.post(url(qr_survey), answer_form(qr_survey, **{text_key: "好\x07"}))
    assert control.status_code == 400 and "控制字符" in control.content.decode()
    assert not Response.objects.exists()


def test_closed_survey_takes_no_answer(qr_survey):
    Survey.objects.filter(pk=qr_survey.pk).update(closes_on=ago(1), opens_on=ago(5))
    assert Client().post(url(qr_survey), answer_form(qr_survey)).status_code == 409
    assert not Response.objects.exists()


def test_results_give_sample_size_satisfied_share_and_answers_per_question(qr_survey):
    for index, overall in enumerate(["非常满意", "满意", "一般", "满意", "不满意", "满意", "非常满意", "一般"]):
        services.submit_answer(qr_survey, answer_form(qr_survey, overall=overall), device=f"d{index}",
                               address_key="")
    from residents.selectors import survey_results

    results = survey_results(qr_survey)
    # by hand: 8 answers, 非常满意 2 + 满意 3 = 5 satisfied → 62.50%
    assert results.sample_size == 8
    assert results.satisfied_share == Decimal("62.50")
    assert results.questions[0].counts == [("非常满意", 2, Decimal("25.00")), ("满意", 3, Decimal("37.50")),
                                           ("一般", 2, Decimal("25.00")), ("不满意", 1, Decimal("12.50"))]


def test_purge_erases_contacts_after_the_retention_period_only(qr_survey, settings):
    settings.RESIDENTS_CONTACT_RETENTION_DAYS = 30
    old = services.submit_answer(qr_survey, answer_form(qr_survey, contact_name="李", contact_phone="13900000000",
                                                        contact_consent="on"), device="old", address_key="k1")
    new = services.submit_answer(qr_survey, answer_form(qr_survey, contact_name="张", contact_phone="13700000000",
                                                        contact_consent="on"), device="new", address_key="k2")
    from django.utils import timezone

    Response.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=31))
    from residents.tasks import purge_expired_contacts

    assert purge_expired_contacts() == 1
    assert purge_expired_contacts() == 0  # idempotent
    old.refresh_from_db(), new.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.address_key) == ("", "", "")
    assert old.answers  # the anonymous answer is kept
    assert (new.contact_name, new.contact_phone) == ("张", "13700000000")


def test_poster_carries_a_locally_generated_qr_code(qr_survey, client_for):
    page = client_for("street_jianshe").get(reverse("residents:poster", args=[qr_survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and qr_survey.token in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")


def test_street_of_another_place_cannot_see_the_survey(qr_survey, client_for):
    assert client_for("street_tashan").get(reverse("residents:survey", args=[qr_survey.pk])).status_code == 404
    assert client_for("district_nanhu").get(reverse("residents:survey", args=[qr_survey.pk])).status_code == 200
