"""The citizen's front door end to end, in Chromium at a phone's width (390 px).

A citizen finds "akta kelahiran" by typing "akte lahir", applies online with two uploads and an
e-mail address; an officer (another browser, at desktop width) receives the file and returns it
for a missing document; the message is delivered by sigap's real sender (`sender.drain`, run
here as `sigap notify send` runs it, through Django's in-memory mail backend) and the citizen
opens the link it carries, reads the reason and uploads the document; the officer sees the new
file, attaches the product (a PDF) and completes the steps; the citizen opens the link of the
"completed" message, downloads the PDF and fills in the SKM. axe-core (WCAG 2.1 A/AA) at desktop
and 390 px, with no sideways scroll, on every citizen page of the applicant's own link.

The correction is also sent from a browser with JavaScript off, and the "send me my link again"
form delivers a link that opens the page.

The live server runs in another thread with its own database connection (PostgreSQL leg): what
the tests need beyond the demo is committed in `browser_demo_setup`, and everything the citizen
and the officer do goes through the browser. The sender runs in the test's thread: it reads the
messages the server committed and writes only the outbox rows it sends.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test.utils import override_settings
from django.urls import reverse

from tests.browser.conftest import (
    DESKTOP,
    MOBILE,
    SITE_LANGUAGE,
    AxeLog,
    Site,
    _note_csp_violation,
)
from tests.browser.test_journeys import DEMO_PASSWORD, check_public, log_in
from tests.browser.test_public_forms import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The journeys need a few units and services, not a year of history.
BROWSER_DEMO_REQUESTS = 300

SERVICE = "dukcapil-akta-lahir"
# An officer of the civil registration counter, given a log-in (the demo's officer works at the
# population registration counter).
OFFICER = "demo.petugas.capil"
BIRTH = "Surat keterangan kelahiran dari rumah sakit/puskesmas/bidan"
PARENTS_KK = "KK orang tua"
MARRIAGE = "Buku nikah/akta perkawinan orang tua"
# Two documents to upload, and the parents' marriage book, optional online: the officer asks for
# it when the file is checked.
REQUIREMENTS: list[object] = [BIRTH, PARENTS_KK, {"name": MARRIAGE, "optional": True}]
REASON = "Buku nikah orang tua belum dilampirkan: unggah fotonya."

# Filled by browser_demo_setup: a request already returned for correction (the no-JavaScript
# correction and the "send me my link again" form use it).
RETURNED: dict[str, str] = {}
RETURNED_EMAIL = "rina.kartika@example.id"


def _key(name: str) -> str:
    from sigap.catalogue.requirements import parse_requirements

    return next(r.key for r in parse_requirements(REQUIREMENTS) if r.name == name)


def browser_demo_setup() -> None:
    """The akta kelahiran standard in force asks for two documents (and an optional third),
    its steps open to any officer of its unit, and one officer of that unit gets a log-in (the
    demo's officer works at another counter); one request of it is already returned for
    correction. Committed by the `site`
    fixture before the server starts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from sigap.accounts.models import Role
    from sigap.accounts.services import seed_role_assignment
    from sigap.applications.services import Application, Upload, application_submit
    from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
    from sigap.organisation.models import Employee
    from sigap.service_requests.services import service_request_receive, service_request_return
    from tests.documents import files

    service = Service.objects.get(code=SERVICE)
    standard = service.standard_on(timezone.localdate())
    assert standard is not None, f"{SERVICE} has no standard in force"
    ServiceStandard.objects.filter(pk=standard.pk).update(requirements=REQUIREMENTS)
    # The demo's four eyes and the head's signature would need three people in the browser.
    ProcedureStep.objects.filter(standard=standard).update(
        done_by_role="", done_by_position="", other_officer_than=None
    )
    today = timezone.localdate()
    officer = next(
        e
        for e in Employee.objects.filter(unit=service.unit, user__isnull=True).order_by("pk")
        if e.is_active_on(today)
    )
    user = get_user_model().objects.create(
        username=OFFICER, password=make_password(DEMO_PASSWORD), first_name="Petugas loket Capil"
    )
    seed_role_assignment(user=user, role=Role.OFFICER, unit=service.unit)
    Employee.objects.filter(pk=officer.pk).update(user=user)
    officer.refresh_from_db()

    with transaction.atomic():
        sr, _new = application_submit(
            service=service,
            application=Application(
                name="Rina Kartika",
                nik="3204015508920002",
                phone="",
                email=RETURNED_EMAIL,
                kecamatan="Sukamaju",
                uploads={
                    _key(BIRTH): Upload("lahir.pdf", files.pdf("Surat keterangan lahir")),
                    _key(PARENTS_KK): Upload("kk.jpg", files.jpeg_with_gps()),
                },
                consent=True,
            ),
            idempotency_key=secrets.token_urlsafe(24),
            consent_text="Persetujuan penggunaan data (uji peramban).",
        )
    with transaction.atomic():
        sr = service_request_receive(request=sr, officer=officer)
    with transaction.atomic():
        sr = service_request_return(request=sr, officer=officer, reason=REASON)
    RETURNED.update(receipt=sr.receipt_code)


# --- helpers ------------------------------------------------------------------------------------


@contextmanager
def tab(
    browser: Any, site: Site, *, viewport: dict[str, int], javascript: bool = True
) -> Iterator[Any]:
    """A tab of its own browser context (no shared cookies), in Bahasa Indonesia, failing the
    test on any Content-Security-Policy violation, like the `page` fixture's."""
    context = browser.new_context(
        viewport=viewport, locale="id-ID", java_script_enabled=javascript, accept_downloads=True
    )
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": SITE_LANGUAGE, "url": site.url}]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: _note_csp_violation(refused, page.url, message.text))
    try:
        yield page
    finally:
        context.close()
    assert not refused, "Content-Security-Policy violation(s):\n" + "\n".join(refused[:10])


@pytest.fixture
def public_url(site: Site) -> Iterator[str]:
    """Messages carry links to the live server (SIGAP_PUBLIC_URL), so the test follows the very
    link a citizen would tap. Settings are process-wide: the server's thread writes the texts."""
    with override_settings(SIGAP={**getattr(settings, "SIGAP", {}), "PUBLIC_URL": site.url}):
        yield site.url


def deliver(recipient: str) -> list[str]:
    """Send what is due with sigap's sender (as `sigap notify send` does); the texts e-mailed
    to `recipient` by this run (Django's in-memory backend under the tests)."""
    from sigap.notifications.sender import drain

    before = len(mail.outbox)
    counts = drain()
    assert not counts["given_up"] and not counts["retrying"], counts
    return [m.body for m in mail.outbox[before:] if recipient in m.to]


def own_link(text: str, site: Site) -> str:
    """The applicant's link in a message, on the live server (a message queued before the
    server started names the default SIGAP_PUBLIC_URL: its path is the same)."""
    found = re.search(r"https?://[^/\s]+(/permohonan-saya/[^/\s]+/)", text)
    assert found is not None, f"no link to the applicant's page in: {text}"
    return site(found.group(1))


def officer_acts(page: Any, code: str, action: str, text: str = "") -> None:
    """Submit one of the request page's action forms; the page comes back with a success."""
    form = page.locator(f"form[action='{reverse('request_act', args=[code, action])}']")
    if text:
        form.locator("textarea").fill(text)
    submit(page, form.locator("button[type=submit]"))
    page.wait_for_url(f"**{reverse('request_detail', args=[code])}")
    assert page.locator("main .messages .message.success").count() == 1, page.locator(
        "main .messages"
    ).inner_text()


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"{page.url}: {width} px wide at {MOBILE['width']} px"


# --- the journey --------------------------------------------------------------------------------


def test_a_citizen_applies_fixes_the_returned_file_and_gets_the_product(
    browser: Any, site: Site, axe_log: AxeLog, public_url: str
) -> None:
    from sigap.documents.models import Document, Purpose
    from sigap.notifications.survey_links import invitation_path, survey_token
    from sigap.service_requests.models import ServiceRequest, Status
    from sigap.surveys.models import SurveyResponse
    from tests.documents import files

    email = "dewi.lestari@example.id"
    with (
        tab(browser, site, viewport=MOBILE) as citizen,
        tab(browser, site, viewport=DESKTOP) as officer,
    ):
        # 1. The catalogue finds the service under its everyday name.
        citizen.goto(site(reverse("frontdoor:catalogue")))
        citizen.fill("main form[role=search] input[name=q]", "akte lahir")
        submit(citizen, citizen.locator("main form[role=search] button[type=submit]"))
        first = citizen.locator("main .service-list li a").first
        assert first.get_attribute("href") == reverse("frontdoor:service", args=[SERVICE])
        no_sideways_scroll(citizen)
        first.click()
        citizen.wait_for_url(f"**{reverse('frontdoor:service', args=[SERVICE])}")
        citizen.get_by_test_id("apply-online").click()
        citizen.wait_for_url(f"**{reverse('application_form', args=[SERVICE])}")
        check_public(citizen, axe_log, "journey-application-form", shot=False)

        # 2. The application: two documents uploaded, the optional third left out.
        citizen.fill("input[name=name]", "Dewi Lestari")
        citizen.fill("input[name=nik]", "3204011508900001")
        citizen.fill("input[name=email]", email)
        citizen.fill("input[name=kecamatan]", "Sukamaju")
        assert citizen.locator("main form input[type=file]").count() == 3
        citizen.set_input_files(
            f"input[name=req_{_key(BIRTH)}]",
            files=[{"name": "surat-lahir.jpg", "mimeType": "image/jpeg",
                    "buffer": files.jpeg_with_gps()}],
        )  # fmt: skip
        citizen.set_input_files(
            f"input[name=req_{_key(PARENTS_KK)}]",
            files=[{"name": "kk-orang-tua.pdf", "mimeType": "application/pdf",
                    "buffer": files.pdf("Kartu Keluarga")}],
        )  # fmt: skip
        citizen.check("input[name=consent]")
        submit(citizen, citizen.locator("main form button[type=submit]"))
        citizen.wait_for_url(re.compile(r".*/ajukan/tanda-terima/\?t=.+"))
        code = citizen.get_by_test_id("receipt-code").inner_text().strip()
        sr = ServiceRequest.objects.get(receipt_code=code)
        assert sr.applicant_contact == email and sr.status == Status.SUBMITTED
        assert Document.objects.filter(request=sr, purpose=Purpose.REQUIREMENT).count() == 2
        check_public(citizen, axe_log, "journey-application-receipt", shot=False)
        # The "registered" message, with the link.
        (registered,) = deliver(email)
        assert code in registered
        own_link(registered, site)

        # The receipt's button opens the same page: registered, nothing to send yet.
        citizen.get_by_test_id("own-page").click()
        citizen.wait_for_url(re.compile(r".*/permohonan-saya/[^/]+/$"))
        assert citizen.locator("main form input[type=file]").count() == 0
        check_public(citizen, axe_log, "applicant-submitted", shot=False)

        # 3. The officer receives the file and returns it: the marriage book is missing.
        log_in(officer, site, axe_log, OFFICER, check=False)
        officer.goto(site(reverse("request_detail", args=[code])))
        officer_acts(officer, code, "receive")
        officer_acts(officer, code, "return", REASON)
        sr.refresh_from_db()
        assert sr.status == Status.RETURNED

        # 4. The message, as sent, carries the reason and the link; the citizen taps it.
        (returned,) = deliver(email)
        assert code in returned and REASON in returned
        link = own_link(returned, site)
        assert link in returned  # the very address in the message (SIGAP_PUBLIC_URL)
        citizen.goto(link)
        assert REASON in citizen.get_by_test_id("officer-note").inner_text()
        fix = citizen.locator("main form[enctype='multipart/form-data']")
        assert fix.locator("input[type=file]").count() == 3
        check_public(citizen, axe_log, "applicant-returned", shot=False)
        citizen.set_input_files(
            f"input[name=req_{_key(MARRIAGE)}]",
            files=[{"name": "buku-nikah.pdf", "mimeType": "application/pdf",
                    "buffer": files.pdf("Buku Nikah")}],
        )  # fmt: skip
        posted = submit(citizen, fix.locator("button[type=submit]"))
        assert posted.request.method == "POST"
        assert citizen.locator("main .message.success").count() == 1
        assert citizen.locator("main form input[type=file]").count() == 0
        check_public(citizen, axe_log, "applicant-fixed", shot=False)
        sr.refresh_from_db()
        assert sr.status == Status.IN_PROGRESS

        # 5. The officer sees the new file, attaches the product and completes every step.
        officer.goto(site(reverse("request_detail", args=[code])))
        received = officer.locator("main section[aria-labelledby=requirements-heading]")
        assert received.locator("a", has_text="buku-nikah.pdf").count() == 1
        attach = officer.locator(
            f"form[action='{reverse('document_attach_product', args=[code])}']"
        )
        attach.locator("input[type=file]").set_input_files(
            files=[{"name": "akta-kelahiran.pdf", "mimeType": "application/pdf",
                    "buffer": files.pdf("Kutipan Akta Kelahiran")}],
        )  # fmt: skip
        submit(officer, attach.locator("button[type=submit]"))
        assert officer.locator("main .messages .message.success").count() == 1
        steps = sr.standard.steps.count()
        for _step in range(steps):
            officer_acts(officer, code, "complete", "Selesai.")
        sr.refresh_from_db()
        assert sr.status == Status.COMPLETED

        # 6. The "completed" message; its link shows the product to download, and the SKM.
        (completed,) = deliver(email)
        assert code in completed
        citizen.goto(own_link(completed, site))
        product = citizen.get_by_test_id("product-link")
        assert product.count() == 1
        check_public(citizen, axe_log, "applicant-completed", shot=False)
        with citizen.expect_download() as downloading:
            product.click()
        download = downloading.value
        assert download.suggested_filename == "akta-kelahiran.pdf"
        assert Path(download.path()).read_bytes().startswith(b"%PDF-")

        # The own page's link carries the survey token: no contact to type.
        survey_link = invitation_path(code)
        citizen.locator(f"main a[href='{survey_link}']").click()
        citizen.wait_for_url(f"**{reverse('survey_form', args=[sr.service.code])}?**")
        assert citizen.input_value("input[name=t]") == survey_token(code)
        check_public(citizen, axe_log, "journey-survey", shot=False)
        questions = citizen.locator("fieldset.question")
        assert questions.count() > 0
        for i in range(questions.count()):
            questions.nth(i).locator("input[type=radio]").nth(3).check()
        submit(citizen, citizen.locator("main form button[type=submit]"))
        citizen.wait_for_url(f"**{reverse('survey_thanks')}")
        no_sideways_scroll(citizen)
        assert SurveyResponse.objects.filter(service_request=sr).count() == 1

        # 7. Rated once: the own page thanks in place of the button, and the message's SKM link
        # (sent with the "completed" message) no longer opens a second questionnaire.
        citizen.goto(own_link(completed, site))
        assert citizen.get_by_test_id("skm-thanks").count() == 1
        rate_again = f"main a[href^='{reverse('survey_for_receipt', args=[code])}']"
        assert citizen.locator(rate_again).count() == 0
        check_public(citizen, axe_log, "applicant-rated", shot=False)
        in_message = re.search(r"https?://[^/\s]+(/skm/kode/\S+)", completed)
        assert in_message is not None and in_message.group(1) == survey_link, completed
        citizen.goto(site(in_message.group(1)))
        assert citizen.get_by_test_id("skm-done").count() == 1
        assert citizen.locator("fieldset.question").count() == 0


# --- the link again, and the correction without JavaScript --------------------------------------


def test_the_link_again_and_a_correction_without_javascript(
    browser: Any, site: Site, axe_log: AxeLog, public_url: str
) -> None:
    """The applicant of a returned request lost the message: the resend form sends a new link to
    the request's own e-mail; opened in a browser with JavaScript off, the page takes the
    missing document (first sent without it: the page says what is missing)."""
    from sigap.documents.models import Document
    from sigap.service_requests.models import ServiceRequest, Status
    from tests.documents import files

    code = RETURNED["receipt"]
    earlier = deliver(RETURNED_EMAIL)  # "registered" and "returned", the messages now lost
    assert len(earlier) == 2 and any(REASON in text for text in earlier), earlier
    with tab(browser, site, viewport=MOBILE) as citizen:
        # A link cut short in the message: "not valid", with the form that sends a new one.
        cut = own_link(earlier[-1], site)[:-12] + "/"
        response = citizen.goto(cut)
        assert response is not None and response.status == 404
        assert citizen.locator(f"main form[action='{reverse('applicant_link_resend')}']").count()
        check_public(citizen, axe_log, "applicant-link-invalid", shot=False)
        citizen.goto(site(reverse("applicant_link_resend")))
        check_public(citizen, axe_log, "applicant-link-resend", shot=False)
        citizen.fill("input[name=receipt]", code.lower())
        citizen.fill("input[name=contact]", RETURNED_EMAIL.upper())
        submit(citizen, citizen.locator("main form button[type=submit]"))
        check_public(citizen, axe_log, "applicant-link-sent", shot=False)
    (sent,) = deliver(RETURNED_EMAIL)
    assert code in sent and sent not in earlier
    link = own_link(sent, site)

    with tab(browser, site, viewport=MOBILE, javascript=False) as citizen:
        citizen.goto(link)
        assert REASON in citizen.get_by_test_id("officer-note").inner_text()
        fix = citizen.locator("main form[enctype='multipart/form-data']")
        # Sent with nothing new: refused, with the reason on the page and nothing stored.
        with citizen.expect_response(lambda r: r.request.is_navigation_request()) as refused:
            fix.locator("button[type=submit]").click()
        citizen.wait_for_load_state()
        assert refused.value.status == 400
        assert citizen.locator("main form [role=alert]").count() >= 1
        assert ServiceRequest.objects.get(receipt_code=code).status == Status.RETURNED

        citizen.set_input_files(
            f"input[name=req_{_key(MARRIAGE)}]",
            files=[{"name": "buku-nikah.jpg", "mimeType": "image/jpeg",
                    "buffer": files.jpeg_with_gps()}],
        )  # fmt: skip
        submit(citizen, citizen.locator("main form[enctype='multipart/form-data'] button"))
        assert citizen.locator("main .message.success").count() == 1
        assert citizen.locator("main form input[type=file]").count() == 0
        no_sideways_scroll(citizen)
    sr = ServiceRequest.objects.get(receipt_code=code)
    assert sr.status == Status.IN_PROGRESS
    assert Document.objects.filter(request=sr, requirement=MARRIAGE).count() == 1
