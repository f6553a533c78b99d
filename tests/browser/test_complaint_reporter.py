"""A complaint's reporter in a real browser: the link given once, staff answer, only the link acts.

Chromium against the live server (see conftest.py): a citizen files a complaint and gets the
reporter link; the unit head verifies, forwards and answers it; someone who knows only the
public code cannot act; the reporter opens the link in another browser and accepts the answer.
Elements are found by URL, form action and `data-testid`, never by wording.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.conftest import DESKTOP, SITE_LANGUAGE, AxeLog, Site
from tests.browser.test_journeys import check_internal, check_public, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _tab(browser: Any, site: Site) -> Any:
    """Another browser (its own cookies), reading the site in Bahasa Indonesia."""
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": SITE_LANGUAGE, "url": site.url}]
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _submit(page: Any, action: str) -> int:
    """Press the submit button of the main form posting to `.../<action>/`; the HTTP status."""
    with page.expect_navigation() as navigation:
        page.locator(f"main form[action$='/{action}/'] button[type=submit]").click()
    response = navigation.value
    return int(response.status) if response is not None else 0


def test_only_the_reporter_link_acts_on_a_complaint(
    page: Any, browser: Any, site: Site, axe_log: AxeLog
) -> None:
    from sigap.catalogue.models import Service
    from sigap.complaints.models import Complaint, Status

    service = Service.objects.filter(is_active=True, unit__code="dukcapil-loket-dafduk").order_by(
        "pk"
    )[0]
    page.goto(site(reverse("complaint_new")))
    page.select_option("#id_category", "lambat")
    page.select_option("#id_service", str(service.pk))
    page.fill("#id_description", "Sudah tiga minggu KTP-el belum jadi.")
    page.fill("#id_reporter_name", "Ahmad Fauzi")
    page.fill("#id_reporter_contact", "0812-3456-7890")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    link = page.get_by_test_id("reporter-link").get_attribute("href")
    assert link and "?t=" in link and "?t=" not in page.url
    check_public(page, axe_log, "complaint-filed-reporter-link")
    complaint = Complaint.objects.get(description="Sudah tiga minggu KTP-el belum jadi.")
    code = complaint.receipt_code
    assert link.split("?t=")[0].endswith(f"/pengaduan/status/{code}/")
    page.reload()
    assert page.get_by_test_id("reporter-link").count() == 0  # shown once

    staff = _tab(browser, site)
    log_in(staff, site, axe_log, "demo.kepala", check=False)
    staff.goto(site(reverse("complaint_detail", args=[code])))
    for action in ("verify", "forward"):
        with staff.expect_navigation():
            staff.locator(f"main button[formaction$='/{action}/']").click()
    staff.fill("#act-note", "KTP-el sudah dicetak; silakan ambil di loket 2.")
    with staff.expect_navigation():
        staff.locator("main button[formaction$='/follow_up/']").click()
    check_internal(staff, axe_log, "complaint-detail-reporter-link", shot=False)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.DITINDAKLANJUTI

    stranger = _tab(browser, site)  # knows the public code only
    stranger.goto(site(reverse("complaint_status", args=[code])))
    assert stranger.locator("main form[action$='/accept/']").count() == 0
    stranger.fill("#reporter-key", "tebakan-" + "x" * 24)
    assert _submit(stranger, "key") == 403
    assert stranger.locator("main .message.error[role=alert]").count() == 1
    check_public(stranger, axe_log, "complaint-status-wrong-key", shot=False)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.DITINDAKLANJUTI

    reporter = _tab(browser, site)  # the reporter, later, on another device
    reporter.goto(link)
    assert reporter.url == site(reverse("complaint_status", args=[code]))  # secret out of the bar
    check_public(reporter, axe_log, "complaint-status-reporter")

    # Not satisfied: the reporter's reply goes back to the unit, stored with the complaint.
    reporter.fill("#reply-message", "KTP-el belum ada di loket 2 saat saya datang.")
    assert _submit(reporter, "reply") == 200
    assert reporter.locator("main .message.success").count() == 1
    assert Complaint.objects.get(pk=complaint.pk).status == Status.DIDISPOSISIKAN
    reply = complaint.events.filter(action="reply").get()
    assert reply.note == "KTP-el belum ada di loket 2 saat saya datang."
    assert reply.actor == "reporter"
    staff.goto(site(reverse("complaint_detail", args=[code])))
    staff.fill("#act-note", "Maaf, KTP-el kini di loket 3.")
    with staff.expect_navigation():
        staff.locator("main button[formaction$='/follow_up/']").click()

    reporter.reload()
    assert _submit(reporter, "accept") == 200  # redirected back to the status page
    assert Complaint.objects.get(pk=complaint.pk).status == Status.SELESAI

    # Closed, and the problem comes back: the reporter reopens it with a reason.
    reporter.fill("#reopen-message", "Data di KTP-el salah cetak.")
    assert _submit(reporter, "reopen") == 200
    assert reporter.locator("main .message.success").count() == 1
    assert Complaint.objects.get(pk=complaint.pk).status == Status.DIDISPOSISIKAN
    assert complaint.events.filter(action="reopen", note="Data di KTP-el salah cetak.").exists()
    for tab in (staff, stranger, reporter):
        tab.context.close()
