"""The SKM at the right moment (issue #14 point 6): the invitation appears only once the
request is completed, once per request; the thank-you replaces it; the write refuses the rest."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from sigap.notifications.links import applicant_path
from sigap.notifications.survey_links import survey_token
from sigap.rules.ikm import ELEMENT_CODES
from sigap.service_requests import services as requests
from sigap.surveys.models import SurveyResponse
from sigap.surveys.services import survey_submit
from tests import factories

ALL_FOUR = {code: "4" for code in ELEMENT_CODES}


def get(client, url, lang="en"):
    """The page in this UI language (the language cookie, as the language switch sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url)


def answer(sr):
    return survey_submit(
        service=sr.service,
        answers=ALL_FOUR,
        receipt_code=sr.receipt_code,
        receipt_token=survey_token(sr.receipt_code),
    )


@pytest.fixture
def completed(world, ktp_request):
    return factories.complete(world, ktp_request)


@pytest.fixture
def rejected(world, ktp_request):
    sr = requests.service_request_receive(request=ktp_request, officer=world.officer_a)
    return requests.service_request_reject(
        request=sr, officer=world.officer_a, reason="Berkas bukan milik pemohon"
    )


# --- The write -------------------------------------------------------------------------------


def test_a_completed_request_is_rated_once(world, completed):
    assert answer(completed).service_request == completed
    with pytest.raises(ValidationError) as refused:
        answer(completed)
    assert "receipt_code" in refused.value.message_dict
    assert SurveyResponse.objects.count() == 1


def test_an_open_request_is_not_rated_yet_and_nothing_is_stored(world, ktp_request):
    with pytest.raises(ValidationError) as refused:
        answer(ktp_request)
    assert "not complete yet" in refused.value.message_dict["receipt_code"][0]
    assert SurveyResponse.objects.count() == 0


def test_a_rejected_request_is_not_rated_the_complaint_is_its_path(world, rejected):
    with pytest.raises(ValidationError) as refused:
        answer(rejected)
    assert "complaint" in refused.value.message_dict["receipt_code"][0]
    assert SurveyResponse.objects.count() == 0


def test_an_anonymous_answer_needs_no_request(world):
    survey_submit(service=world.ktp, answers=ALL_FOUR)
    assert SurveyResponse.objects.get().service_request is None


def test_the_form_names_the_refusal_next_to_the_code_in_indonesian(client, world, ktp_request):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post(
        "/skm/ktp-el/?via=receipt", {**ALL_FOUR, "t": survey_token(ktp_request.receipt_code)}
    )
    assert response.status_code == 400
    assert "belum selesai" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


# --- The receipt's survey link (/skm/kode/<receipt>/) and the form opened with a code ----------


def test_the_receipt_link_of_an_open_request_says_the_survey_opens_later(
    client, world, ktp_request
):
    url = f"/skm/kode/{ktp_request.receipt_code}/"
    page = get(client, url, "id")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert 'name="persyaratan"' not in html  # no questionnaire
    assert "Survei dibuka setelah permohonan Anda selesai" in html
    assert (
        "The survey opens when your request is complete" in get(client, url, "en").content.decode()
    )
    # The slip printed at submission opens the form with its token: the same answer there;
    # a slip printed before the token (`?kode=`) goes through the receipt link.
    token = survey_token(ktp_request.receipt_code)
    direct = get(client, f"/skm/ktp-el/?via=receipt&t={token}", "id")
    assert "Survei dibuka setelah permohonan Anda selesai" in direct.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    direct = client.get(f"/skm/ktp-el/?via=receipt&kode={ktp_request.receipt_code}", follow=True)
    assert "Survei dibuka setelah permohonan Anda selesai" in direct.content.decode()


def test_the_receipt_link_of_a_rated_request_thanks_instead_of_a_second_form(
    client, world, completed
):
    url = f"/skm/kode/{completed.receipt_code}/"
    token = survey_token(completed.receipt_code)
    assert client.get(f"{url}?t={token}").status_code == 302  # not yet rated: the questionnaire
    answer(completed)
    html = get(client, url, "id").content.decode()
    assert 'name="persyaratan"' not in html
    assert "Anda sudah menilai layanan ini" in html
    assert "You already rated this service" in get(client, url, "en").content.decode()
    direct = get(client, f"/skm/ktp-el/?via=receipt&t={token}", "id")
    assert "Anda sudah menilai layanan ini" in direct.content.decode()


def test_the_receipt_link_of_a_rejected_request_points_to_the_complaint(client, world, rejected):
    html = get(client, f"/skm/kode/{rejected.receipt_code}/", "id").content.decode()
    assert 'name="persyaratan"' not in html
    assert "/pengaduan/baru/" in html and "ditolak" in html


def test_the_form_with_a_code_of_another_service_or_none_is_the_plain_form(
    client, world, completed
):
    other = factories.submit(world, at=completed.submitted_at, service=world.rujukan)
    for kode in (other.receipt_code, "ZZZZZZZZZZ", ""):
        html = client.get(f"/skm/ktp-el/?via=receipt&kode={kode}").content.decode()
        assert 'name="persyaratan"' in html, kode


# --- The pages that invite: tracking and the applicant's own page ----------------------------


def _invitation(html: str, code: str) -> bool:
    return f'href="/skm/kode/{code}/' in html


def test_the_tracking_page_invites_only_when_completed_then_thanks(client, world, ktp_request):
    url = f"/lacak/{ktp_request.receipt_code}/"
    assert not _invitation(client.get(url).content.decode(), ktp_request.receipt_code)
    sr = factories.complete(world, ktp_request)
    html = get(client, url, "id").content.decode()
    assert _invitation(html, sr.receipt_code) and "Isi survei kepuasan" in html
    answer(sr)
    html = get(client, url, "id").content.decode()
    assert not _invitation(html, sr.receipt_code)
    assert "Anda sudah menilai layanan ini, terima kasih." in html
    en = get(client, url, "en").content.decode()
    assert "You already rated this service, thank you." in en


def test_the_tracking_page_of_a_rejected_request_does_not_invite(client, world, rejected):
    html = client.get(f"/lacak/{rejected.receipt_code}/").content.decode()
    assert not _invitation(html, rejected.receipt_code)
    assert 'data-testid="skm-thanks"' not in html


def test_the_applicant_page_invites_when_completed_then_thanks(client, world, ktp_request):
    path = applicant_path(ktp_request.receipt_code)
    assert not _invitation(client.get(path).content.decode(), ktp_request.receipt_code)
    sr = factories.complete(world, ktp_request)
    html = client.get(path).content.decode()
    # The applicant's own page carries the survey token: no contact to type.
    assert f'href="/skm/kode/{sr.receipt_code}/?t={survey_token(sr.receipt_code)}"' in html
    answer(sr)
    html = get(client, path, "id").content.decode()
    assert not _invitation(html, sr.receipt_code)
    assert "Anda sudah menilai layanan ini, terima kasih." in html


def test_the_applicant_page_of_a_rejected_request_offers_the_complaint_not_the_survey(
    client, world, rejected
):
    html = client.get(applicant_path(rejected.receipt_code)).content.decode()
    assert not _invitation(html, rejected.receipt_code)
    assert "/pengaduan/baru/" in html
