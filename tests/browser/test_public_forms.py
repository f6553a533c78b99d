"""Every public form submitted from Chromium, not only from Django's test client.

The test client sends neither `Origin` nor `Referer`, so it cannot see what a browser's CSRF
headers do to a form: the whistleblowing form once answered every real browser with Django's
CSRF 403 page (its `Referrer-Policy: no-referrer` made Chromium send `Origin: null`). Each test
here submits a form as a citizen would and checks it landed on the success page, with axe-core
(WCAG 2.1 A/AA) on the pages it passes. Elements are found by URL, form action and CSS class,
never by wording.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.conftest import SITE_LANGUAGE, AxeLog, Site
from tests.browser.test_journeys import check_public

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The forms only need a few units, services and finished requests to exist.
BROWSER_DEMO_REQUESTS = 300

PDF = b"%PDF-1.4\n% bukti\n"


def submit(page: Any, button: Any) -> Any:
    """Click a form's submit button; the response to the form's own request (POST or GET).

    Django's CSRF failure page is a 403: a status below 400 is what a form that was accepted
    (re-rendered, or redirected to its result) answers.
    """
    with page.expect_response(lambda r: r.request.is_navigation_request()) as sent:
        button.click()
    page.wait_for_load_state()
    response = sent.value
    assert response.status < 400, f"{response.request.method} {response.url}: {response.status}"
    return response


def browser_headers(response: Any) -> dict[str, str]:
    """The request headers Chromium really sent (Origin, Referer, ...)."""
    headers: dict[str, str] = response.request.all_headers()
    return headers


def session_cookies_only(page: Any) -> None:
    """No cookie on the device outlives the browser session (Playwright: expires -1)."""
    lasting = [c for c in page.context.cookies() if c["expires"] != -1]
    assert not lasting, f"persistent cookies: {[(c['name'], c['expires']) for c in lasting]}"


def pick_first_option(page: Any, selector: str) -> None:
    value = page.locator(f"{selector} option:not([value=''])").first.get_attribute("value")
    page.select_option(selector, value)


# --- whistleblowing -----------------------------------------------------------------------------


def test_whistleblower_files_a_report_and_follows_it_up(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    """File a report with evidence, read the receipt, reopen the report with it and add to it."""
    from sigap.whistleblowing.models import Message, Report

    page.goto(site(reverse("wbs_report")))
    check_public(page, axe_log, "wbs-report-form", shot=False)
    form = page.locator("main form[enctype='multipart/form-data']")
    pick_first_option(page, "select[name=unit]")
    page.fill("textarea[name=what]", "Pungutan liar di loket pada pagi hari.")
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "bukti.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    posted = submit(page, form.locator("button[type=submit]"))
    headers = browser_headers(posted)
    # A same-origin POST: Chromium names this site as its origin (with `no-referrer` it sent
    # "null", which Django's CSRF check refuses), and the Referer is at most this site.
    assert headers.get("origin") == site.url, headers.get("origin")
    assert headers.get("referer", site.url).startswith(site.url + "/")
    receipt = page.locator(".wbs-receipt strong").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt), receipt
    check_public(page, axe_log, "wbs-receipt", shot=False)
    assert Report.objects.count() == 1

    page.locator(f"main a[href='{reverse('wbs_followup')}']").click()
    page.wait_for_url(f"**{reverse('wbs_followup')}")
    check_public(page, axe_log, "wbs-followup-form", shot=False)
    page.fill("input[name=receipt]", receipt)
    submit(page, page.locator("main form button[type=submit]"))
    assert "Pungutan liar di loket" in page.locator("main .wbs-report").inner_text()
    assert "bukti.pdf" in page.locator("main .wbs-report .wbs-files").inner_text()
    check_public(page, axe_log, "wbs-followup", shot=False)

    page.fill("textarea[name=text]", "Kejadian berulang setiap Senin.")
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "foto.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    submit(page, page.locator("main form[enctype='multipart/form-data'] button[type=submit]"))
    assert page.locator("main .message.success").count() == 1
    added = page.locator("main .wbs-message.wbs-reporter")
    assert added.count() == 1
    assert "Kejadian berulang setiap Senin." in added.inner_text()
    assert "foto.pdf" in added.inner_text()
    assert Message.objects.filter(author=Message.Author.REPORTER).count() == 1
    check_public(page, axe_log, "wbs-followup-added", shot=False)
    session_cookies_only(page)


def test_a_reporter_gets_in_after_a_strangers_wrong_receipts(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    """After five wrong receipts for a report, the right one is asked to wait or to bring a
    proof of work; the page's script (a static file, under the CSP) finds the proof and sends
    the form itself, and the reporter reads the report: slowed down, never locked out."""
    page.goto(site(reverse("wbs_report")))
    pick_first_option(page, "select[name=unit]")
    page.fill("textarea[name=what]", "Antrean diserobot oleh kenalan petugas.")
    submit(page, page.locator("main form[enctype='multipart/form-data'] button[type=submit]"))
    receipt = page.locator(".wbs-receipt strong").inner_text().strip().replace(" ", "")
    locator, secret = receipt[:6], receipt[6:]
    wrong = [f"{locator}{(int(secret) + n) % 10**10:010d}" for n in range(1, 6)]

    for guess in wrong:  # a stranger who knows the locator, in another browser
        page.goto(site(reverse("wbs_followup")))
        page.fill("input[name=receipt]", guess)
        submit(page, page.locator("main form button[type=submit]"))
        assert page.locator("main .wbs-report").count() == 0

    posted: list[str] = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data or "") if r.method == "POST" else None,
    )

    def open_with_the_right_receipt() -> None:
        with page.expect_response(lambda r: r.request.is_navigation_request()) as sent:
            page.locator("main form button[type=submit]").click()
        assert sent.value.status == 429  # the right receipt, but it must wait or prove work
        assert page.locator("form[data-wait-seconds][data-pow-bits]").count() == 1

    # First as without JavaScript (the script is held back), so axe reads a page that stays.
    page.route("**/whistleblowing/wait.js", lambda route: route.abort())
    page.goto(site(reverse("wbs_followup")))
    page.fill("input[name=receipt]", receipt)
    open_with_the_right_receipt()
    check_public(page, axe_log, "wbs-followup-wait", shot=False)
    page.unroute("**/whistleblowing/wait.js")
    # "Buka" again before the wait is over: the same ticket, now with the script on the page.
    with page.expect_response(lambda r: r.request.is_navigation_request()) as again:
        page.locator("main form button[type=submit]").click()
    assert again.value.status == 429
    # The script sends the form when it has the proof (or when the wait is over).
    page.locator("main .wbs-report").wait_for(timeout=120_000)
    assert "Antrean diserobot" in page.locator("main .wbs-report").inner_text()
    # Sent with the ticket and a proof the script found (the 10 s wait had not run out).
    assert any(re.search(r"ticket=.+&proof=\d+", body) for body in posted[1:]), posted


# --- the other public forms -----------------------------------------------------------------


def _finished_request() -> Any:
    from sigap.service_requests.models import ServiceRequest, Status

    sr = ServiceRequest.objects.filter(status=Status.COMPLETED).select_related("service").first()
    assert sr is not None, "the demo has no finished request"
    return sr


def test_tracking_look_up(page: Any, site: Site, axe_log: AxeLog) -> None:
    from sigap.service_requests.models import TrackingLookup

    sr = _finished_request()
    before = sum(TrackingLookup.objects.filter(request=sr).values_list("lookups", flat=True))
    page.goto(site(reverse("track")))
    page.fill("input[name=kode]", sr.receipt_code.lower())
    submit(page, page.locator("main form button[type=submit]"))
    page.wait_for_url(f"**{reverse('track_code', args=[sr.receipt_code])}")
    assert sr.receipt_code in page.locator("main").inner_text()
    # The look-up is counted for the transparency figure "tracking use" (no trace of who).
    after = sum(TrackingLookup.objects.filter(request=sr).values_list("lookups", flat=True))
    assert after == before + 1
    check_public(page, axe_log, "track-result", shot=False)


def test_catalogue_search_and_service_page(page: Any, site: Site, axe_log: AxeLog) -> None:
    """A citizen types "akte lahir" (old spelling, everyday word) and opens the service found."""
    page.goto(site(reverse("frontdoor:catalogue")))
    check_public(page, axe_log, "catalogue", shot=False)
    page.fill("main form[role=search] input[name=q]", "akte lahir")
    posted = submit(page, page.locator("main form[role=search] button[type=submit]"))
    assert posted.request.method == "GET"
    first = page.locator("main .service-list li a").first
    assert first.get_attribute("href") == reverse("frontdoor:service", args=["dukcapil-akta-lahir"])
    check_public(page, axe_log, "catalogue-results", shot=False)
    first.click()
    page.wait_for_load_state()
    assert page.locator("main .standard dl.facts dt").count() == 14
    check_public(page, axe_log, "catalogue-service", shot=False)


def test_skm_survey(page: Any, site: Site, axe_log: AxeLog) -> None:
    from sigap.surveys.models import SurveyResponse

    sr = _finished_request()
    before = SurveyResponse.objects.count()
    page.goto(site(reverse("survey_form", args=[sr.service.code])))
    check_public(page, axe_log, "survey-form", shot=False)
    questions = page.locator("fieldset.question")
    assert questions.count() > 0
    for i in range(questions.count()):
        questions.nth(i).locator("input[type=radio]").nth(2).check()
    posted = submit(page, page.locator("main form button[type=submit]"))
    assert posted.request.method == "POST"
    page.wait_for_url(f"**{reverse('survey_thanks')}")
    assert SurveyResponse.objects.count() == before + 1


def test_complaint_form_and_status_look_up(page: Any, site: Site, axe_log: AxeLog) -> None:
    from sigap.complaints.models import Complaint

    page.goto(site(reverse("complaint_new")))
    pick_first_option(page, "select[name=category]")
    pick_first_option(page, "select[name=unit]")
    page.fill("textarea[name=description]", "Antrean tidak bergerak selama dua jam.")
    page.fill("input[name=reporter_name]", "Siti Aminah")
    page.fill("input[name=reporter_contact]", "081200000000")
    posted = submit(page, page.locator("main form button[type=submit]").last)
    assert posted.request.method == "POST"
    complaint = Complaint.objects.order_by("-pk").first()
    assert complaint is not None and complaint.description.startswith("Antrean tidak bergerak")
    # The complaint's status page: its code shown, no error.
    page.wait_for_url(re.compile(re.escape(reverse("complaint_status_lookup")) + ".+"))
    assert complaint.receipt_code in page.locator("main").inner_text()
    assert page.locator("main .message.error, main [role=alert]").count() == 0
    check_public(page, axe_log, "complaint-status", shot=False)

    # A fresh look-up by the public code, as the complainant would later.
    page.goto(site(reverse("complaint_status_lookup")))
    check_public(page, axe_log, "complaint-lookup", shot=False)
    page.fill("input[name=kode]", complaint.receipt_code)
    submit(page, page.locator("main form button[type=submit]"))
    page.wait_for_url(re.compile(re.escape(reverse("complaint_status_lookup")) + ".+"))
    assert complaint.receipt_code in page.locator("main").inner_text()


def test_a_refused_form_shows_sigaps_own_page(page: Any, site: Site, axe_log: AxeLog) -> None:
    """A form whose CSRF token no longer matches (the cookie was cleared, e.g. the browser was
    closed in between) gets sigap's page that says what to do, in Indonesian, not Django's."""
    page.goto(site(reverse("wbs_followup")))
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": SITE_LANGUAGE, "url": site.url}]
    )
    page.fill("input[name=receipt]", "0000 0000 0000 0000")
    with page.expect_response(lambda r: r.request.is_navigation_request()) as sent:
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert sent.value.status == 403
    assert page.locator("main [data-testid=csrf-failure]").count() == 1
    assert page.locator("html").get_attribute("lang") == "id"
    # The way back: the form it came from, opened afresh.
    assert page.locator(f"main a[href='{reverse('wbs_followup')}']").count() >= 1
    check_public(page, axe_log, "csrf-failure", shot=False)
    with page.expect_response(lambda r: r.request.is_navigation_request()) as again:
        page.locator(f"main a[href='{reverse('wbs_followup')}']").first.click()
    assert again.value.status == 200


# --- online application -------------------------------------------------------------------------


def test_a_citizen_applies_online_with_two_uploads(page: Any, site: Site, axe_log: AxeLog) -> None:
    """The form of the KK service, filled and sent from Chromium with a photo and PDFs for its
    documents; the signed receipt lists them and the request is in the officers' queue."""
    from sigap.documents.models import Document
    from sigap.service_requests.models import ServiceRequest
    from tests.documents import files

    page.goto(site(reverse("application_form", args=["dukcapil-kk"])))
    check_public(page, axe_log, "application-form", shot=False)
    page.fill("input[name=name]", "Dewi Lestari")
    page.fill("input[name=nik]", "3204011508900001")
    page.fill("input[name=phone]", "0812 3456 7890")
    page.fill("input[name=kecamatan]", "Sukamaju")
    uploads = page.locator("main form input[type=file]")
    n = uploads.count()
    assert n >= 2
    uploads.nth(0).set_input_files(
        files=[{"name": "ktp.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg_with_gps()}]
    )
    for i in range(1, n):
        uploads.nth(i).set_input_files(
            files=[{"name": f"kk-{i}.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}]
        )
    page.check("input[name=consent]")
    posted = submit(page, page.locator("main form button[type=submit]"))
    assert posted.request.method == "POST"
    page.wait_for_url(re.compile(r".*/ajukan/tanda-terima/\?t=.+"))
    sr = ServiceRequest.objects.filter(channel="online").order_by("-pk").first()
    assert sr is not None and sr.applicant_name == "Dewi Lestari"
    text = page.locator("main").inner_text()
    assert sr.receipt_code in text and "ktp.jpg" in text and "kk-1.pdf" in text
    assert Document.objects.filter(request=sr).count() == n
    check_public(page, axe_log, "application-receipt", shot=False)


# --- counter slot booking (sigap.booking) ---------------------------------------------------


BOOKABLE: dict[str, Any] = {}


def browser_demo_setup() -> None:
    """The small demo of this module may hold no open request of a service that needs the
    applicant in person: the latest open request's standard is flagged, and its unit given a
    free time (called by the `site` fixture, committed before the server starts)."""
    from datetime import time, timedelta

    from django.db.models import F
    from django.utils import timezone

    from sigap.booking.models import BookingStatus, Slot
    from sigap.catalogue.models import ServiceStandard
    from sigap.service_requests.models import OPEN_STATUSES, ServiceRequest

    sr = (
        ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
        .exclude(bookings__status=BookingStatus.BOOKED)
        .exclude(applicant_contact="")
        .order_by("-standard__needs_presence", "-submitted_at")
        .first()
    )
    assert sr is not None, "the demo has no open request"
    ServiceStandard.objects.filter(pk=sr.standard_id).update(needs_presence=True)
    slot = (
        Slot.objects.filter(unit=sr.unit, day__gt=timezone.localdate(), booked__lt=F("capacity"))
        .order_by("day", "start")
        .first()
    ) or Slot.objects.create(
        unit=sr.unit, day=timezone.localdate() + timedelta(days=2), start=time(9), capacity=3
    )
    BOOKABLE.update(receipt=sr.receipt_code, slot=slot.pk)


def test_counter_booking_book_and_cancel(page: Any, site: Site, axe_log: AxeLog) -> None:
    """An applicant of a service that needs presence books a free time with the receipt code and
    contact, then cancels it; the seat is taken and freed in the database."""
    from sigap.booking.models import Booking, BookingStatus, Slot
    from sigap.service_requests.models import ServiceRequest

    sr = ServiceRequest.objects.get(receipt_code=BOOKABLE["receipt"])
    slot = Slot.objects.get(pk=BOOKABLE["slot"])
    page.goto(site(reverse("booking_applicant")))
    check_public(page, axe_log, "booking-form", shot=False)
    page.fill("input[name=receipt]", sr.receipt_code.lower())
    page.fill("input[name=contact]", sr.applicant_contact)
    submit(page, page.locator("main form button[value=find]"))
    check_public(page, axe_log, "booking-times", shot=False)
    page.check(f"input[name=slot][value='{slot.pk}']")
    posted = submit(page, page.locator("main form button[value=book]"))
    assert posted.request.method == "POST"
    assert page.locator("main [data-testid=booking-result]").count() == 1
    check_public(page, axe_log, "booking-done", shot=False)
    booking = Booking.objects.get(request=sr, status=BookingStatus.BOOKED)
    assert booking.slot_id == slot.pk

    page.locator(f"main a[href='{reverse('booking_applicant')}']").click()
    page.wait_for_url(f"**{reverse('booking_applicant')}")
    page.fill("input[name=receipt]", sr.receipt_code)
    page.fill("input[name=contact]", sr.applicant_contact)
    submit(page, page.locator("main form button[value=find]"))
    assert page.locator("main [data-testid=current-booking]").count() == 1
    submit(page, page.locator("main form button[value=cancel]"))
    assert page.locator("main [data-testid=booking-result]").count() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    session_cookies_only(page)


def test_a_citizen_comments_on_a_draft_standard(page: Any, site: Site, axe_log: AxeLog) -> None:
    """The demo's draft of Penerbitan KIA is under public consultation: read it, comment."""
    from sigap.catalogue.models import ConsultationComment

    before = ConsultationComment.objects.count()
    page.goto(site(reverse("frontdoor:service", args=["dukcapil-kia"])))
    consultation = page.locator("main [data-testid=consultation]")
    # The draft's 14 components (the other <details> is the form's privacy notice).
    consultation.locator("details:has(dl.facts) > summary").click()
    assert consultation.locator("details dl.facts dt").count() == 14
    check_public(page, axe_log, "consultation-draft", shot=False)
    form = page.locator("main form[data-testid=comment-form]")
    form.locator("textarea[name=text]").fill("Mohon loket KIA juga buka hari Sabtu.")
    form.locator("input[name=contact]").fill("081211112222")
    posted = submit(page, form.locator("button[type=submit]"))
    assert posted.request.method == "POST"
    assert page.locator("main [data-testid=comment-thanks]").count() == 1
    check_public(page, axe_log, "consultation-thanks", shot=False)
    comment = ConsultationComment.objects.order_by("-pk").first()
    assert ConsultationComment.objects.count() == before + 1
    assert comment is not None and comment.status == ConsultationComment.Status.NEW
