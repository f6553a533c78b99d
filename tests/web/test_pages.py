"""The pages as a person uses them: tracking, the work queue, the request page and its actions."""

from __future__ import annotations

from unittest import mock

from sigap.notifications.links import applicant_path
from sigap.service_requests import services
from sigap.service_requests.models import ServiceRequest, Status
from tests import factories
from tests.conftest import local


def test_public_tracking_shows_progress_but_no_personal_data(client, world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    services.service_request_complete_step(request=sr, officer=o, at=local(2025, 3, 27, 11))
    page = client.get(f"/lacak/{sr.receipt_code}/").content.decode()
    assert "Penerbitan KTP-el" in page
    assert "Penerimaan berkas" in page  # the step done
    assert "Verifikasi" in page  # the current step
    assert "10 April 2025" in page  # the promised date
    for private in ("Ahmad Fauzi", "0812-3456-7890", "320101", "Siti Rahmawati", "Cibeureum"):
        assert private not in page


def test_the_applicants_page_shows_the_officers_reason_when_the_file_is_returned(
    client, world, ktp_request
):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    services.service_request_return(
        request=sr, officer=o, reason="Fotokopi KK buram", at=local(2025, 3, 27, 11)
    )
    assert "Fotokopi KK buram" in client.get(applicant_path(sr.receipt_code)).content.decode()
    # Not on the public tracking page: a receipt code can be known to strangers.
    assert "Fotokopi KK buram" not in client.get(f"/lacak/{sr.receipt_code}/").content.decode()


def test_an_unknown_receipt_code_gets_a_friendly_404(client, world):
    response = client.get("/lacak/ZZZZZZZZZZ/")
    assert response.status_code == 404
    assert "ZZZZZZZZZZ" in response.content.decode()
    assert 'name="kode"' in response.content.decode()  # a form to try again


def test_a_typed_code_is_normalised_and_redirected(client, world, ktp_request):
    code = ktp_request.receipt_code
    messy = f" {code[:4].lower()}-{code[4:]} "
    response = client.get("/lacak/", {"kode": messy})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{code}/"


def test_script_in_a_note_is_shown_as_text(client, world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    services.service_request_return(
        request=sr, officer=o, reason="<script>alert(1)</script>", at=local(2025, 3, 27, 11)
    )
    page = client.get(applicant_path(sr.receipt_code)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_work_queue_lists_open_requests_of_the_officers_unit_only(client, world, ktp_request):
    other = factories.submit(world, at=local(2025, 3, 27), service=world.rujukan)
    client.force_login(world.users["officer_a"])
    page = client.get("/antrian/").content.decode()
    assert ktp_request.receipt_code in page
    assert other.receipt_code not in page


def test_an_officer_processes_a_request_through_the_pages(client, world, ktp_request):
    client.force_login(world.users["officer_a"])
    url = f"/permohonan/{ktp_request.receipt_code}/"
    assert client.post(url + "receive/").status_code == 302
    for _ in range(4):
        client.post(url + "complete/", {"note": "ok"})
    ktp_request.refresh_from_db()
    assert ktp_request.status == Status.COMPLETED
    assert ktp_request.events.count() == 6
    page = client.get(url).content.decode()
    assert "Penyerahan" in page


def test_a_return_without_a_reason_shows_the_error_and_changes_nothing(client, world, ktp_request):
    client.force_login(world.users["officer_a"])
    url = f"/permohonan/{ktp_request.receipt_code}/"
    client.post(url + "receive/")
    response = client.post(url + "return/", {"reason": ""}, follow=True)
    ktp_request.refresh_from_db()
    assert ktp_request.status == Status.IN_PROGRESS
    assert "reason" in response.content.decode()


def test_an_unknown_action_is_a_404(client, world, ktp_request):
    client.force_login(world.users["officer_a"])
    assert client.post(f"/permohonan/{ktp_request.receipt_code}/delete/").status_code == 404


def test_the_site_speaks_indonesian_by_default_and_english_on_request(client, world, settings):
    settings.LANGUAGE_CODE = "id"  # the product default (the suite itself runs in English)
    assert "Lacak permohonan" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Track a request" in client.get("/").content.decode()


def test_an_officer_registers_a_walk_in_request_and_gets_a_receipt(client, world):
    client.force_login(world.users["officer_a"])
    form = client.get("/permohonan/baru/").content.decode()
    assert "Penerbitan KTP-el" in form and "Surat Rujukan" not in form  # own unit's services only
    response = client.post(
        "/permohonan/baru/",
        {
            "service": world.ktp.pk,
            "applicant_name": "Ahmad Fauzi",
            "applicant_contact": "081234567890",
            "applicant_nik": "3201011703850001",
            "region_kecamatan": "Sukamaju",
            "applicant_disability": "unknown",
        },
    )
    assert response.status_code == 302
    created = ServiceRequest.objects.get()
    assert response["Location"] == f"/permohonan/{created.receipt_code}/tanda-terima/"
    assert (created.channel, created.applicant_nik_masked) == ("counter", "320101******0001")
    assert created.events.get().officer == world.officer_a
    receipt = client.get(response["Location"]).content.decode()
    assert created.receipt_code in receipt and f"/lacak/{created.receipt_code}/" in receipt


def test_intake_errors_name_the_field_and_store_nothing(client, world):
    client.force_login(world.users["officer_a"])
    response = client.post(
        "/permohonan/baru/",
        {
            "service": world.ktp.pk,
            "applicant_name": "Ahmad",
            "applicant_contact": "0812",
            "applicant_nik": "1234",
            "region_kecamatan": "Sukamaju",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "applicant_nik" in form.errors
    assert ServiceRequest.objects.count() == 0


def test_intake_cannot_target_another_units_service(client, world):
    client.force_login(world.users["officer_a"])
    response = client.post(
        "/permohonan/baru/",
        {
            "service": world.rujukan.pk,
            "applicant_name": "A",
            "applicant_contact": "1",
            "region_kecamatan": "S",
        },
    )
    assert "service" in response.context["form"].errors
    assert ServiceRequest.objects.count() == 0


def test_oversight_searches_requests_across_its_scope(client, world, ktp_request):
    other = factories.submit(world, at=local(2025, 3, 27), service=world.rujukan)
    client.force_login(world.users["inspector"])
    page = client.get("/permohonan/").content.decode()
    assert ktp_request.receipt_code in page and other.receipt_code in page
    found = client.get("/permohonan/", {"kode": other.receipt_code.lower()}).content.decode()
    assert other.receipt_code in found and ktp_request.receipt_code not in found
    overdue = client.get("/permohonan/", {"overdue": "on"}).content.decode()
    assert ktp_request.receipt_code in overdue  # due 10 April 2025, still open


def test_an_officer_searches_only_their_own_unit(client, world, ktp_request):
    other = factories.submit(world, at=local(2025, 3, 27), service=world.rujukan)
    client.force_login(world.users["officer_a"])
    page = client.get("/permohonan/").content.decode()
    assert ktp_request.receipt_code in page and other.receipt_code not in page


def test_the_employee_directory_shows_the_printed_nip_within_scope(client, world):
    client.force_login(world.users["head_a"])
    page = client.get("/pegawai/").content.decode()
    assert "Siti Rahmawati" in page and "Dewi Lestari" not in page  # Puskesmas B is not theirs
    nip = world.officer_a.nip
    assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in page
    client.force_login(world.users["hr"])
    assert "Dewi Lestari" in client.get("/pegawai/", {"q": "dewi"}).content.decode()


def test_indonesian_comes_first_even_for_an_english_browser(client, world, settings):
    settings.LANGUAGE_CODE = "id"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Lacak permohonan" in page.content.decode()
    assert page["Content-Language"] == "id"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Track a request" in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_the_submission_event_is_named_the_same_in_every_ui_language(client, world, settings):
    settings.LANGUAGE_CODE = "id"
    client.force_login(world.users["officer_a"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(
        "/permohonan/baru/",
        {
            "service": world.ktp.pk,
            "applicant_name": "A",
            "applicant_contact": "1",
            "region_kecamatan": "S",
        },
    )
    assert ServiceRequest.objects.get().events.get().activity == "Pengajuan"


def test_a_file_with_the_applicant_is_not_overdue_and_its_date_moves_on(world, ktp_request):
    from datetime import date

    from sigap.service_requests.selectors import tracking

    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 4, 8, 9))
    services.service_request_return(request=sr, officer=o, reason="KK buram", at=local(2025, 4, 8))
    # Due 10 April; on Tuesday 22 April the file has been back with the applicant for 9
    # working days (9-17 and 21-22 April; Good Friday 18 April is a holiday), so the
    # promise moves 9 working days on: 24 April.
    t = tracking(sr.receipt_code, today=date(2025, 4, 22))
    assert t is not None and t.paused and not t.overdue
    assert t.due_date == date(2025, 4, 24)


def test_pagination_keeps_the_filters(client, world):
    for day in range(1, 29):
        factories.submit(world, at=local(2025, 2, day))
    for day in range(3, 28):
        factories.submit(world, at=local(2025, 3, day))
    client.force_login(world.users["inspector"])
    page = client.get("/permohonan/", {"status": "submitted"}).content.decode()
    assert 'href="?status=submitted&amp;page=2"' in page
    second = client.get("/permohonan/", {"status": "submitted", "page": "2"}).content.decode()
    assert 'href="?status=submitted&amp;page=1"' in second


def test_a_late_request_is_marked_by_words_not_only_colour(client, world, ktp_request):
    """WCAG 1.4.1: the queue says "past due" next to the date; the red is only a second cue."""
    client.force_login(world.users["officer_a"])
    client.cookies["django_language"] = "id"
    with mock.patch("django.utils.timezone.now", return_value=local(2025, 6, 2, 9)):
        page = client.get("/antrian/").content.decode()
    assert ktp_request.receipt_code in page and "⚠ lewat tenggat" in page
