"""PDP in a real browser (axe-core on every page): a citizen asks for a copy of their data,
the agency's administrator answers it from the queue, and records a breach with its letters.

Elements are found by URL, form action, name and `data-testid`, never by wording.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, check_public, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_citizen_gets_a_copy_of_their_data_through_the_queue(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    from sigap.service_requests.models import ServiceRequest, Status

    sr = (
        ServiceRequest.objects.filter(status=Status.COMPLETED)
        .exclude(applicant_contact="")
        .order_by("-finished_at")
        .first()
    )
    assert sr is not None

    # The footer leads to the full notice, which leads to the request form.
    page.goto(site("/"))
    page.locator(f"footer a[href='{reverse('privacy_notice')}']").click()
    page.wait_for_url(f"**{reverse('privacy_notice')}")
    assert page.locator("[data-testid=privacy-categories] tbody tr").count() >= 9
    check_public(page, axe_log, "privacy-notice", shot=False)
    page.locator(f"main a[href='{reverse('privacy_request_new')}']").first.click()
    page.wait_for_url(f"**{reverse('privacy_request_new')}")
    check_public(page, axe_log, "privacy-request-form", shot=False)

    page.check("input[name=kind][value=access]")
    page.fill("input[name=receipt]", sr.receipt_code.lower())
    page.fill("input[name=contact]", sr.applicant_contact)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    reference = page.locator("[data-testid=privacy-reference]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", reference)
    check_public(page, axe_log, "privacy-request-done", shot=False)

    # The agency's administrator (the DPO) answers from the queue.
    admin = page.context.browser.new_context().new_page()
    log_in(admin, site, axe_log, "demo.admin", check=False)
    admin.goto(site(reverse("privacy_queue")))
    check_internal(admin, axe_log, "privacy-queue", shot=False)
    from sigap.privacy.models import PrivacyRequest

    pr = PrivacyRequest.objects.get(service_request=sr, kind="access", status="received")
    admin.goto(site(reverse("privacy_request_detail", args=[pr.pk])))
    check_internal(admin, axe_log, "privacy-request-detail", shot=False)
    admin.locator(
        f"form[action='{reverse('privacy_request_act', args=[pr.pk, 'fulfil'])}'] "
        "button[type=submit]"
    ).click()
    admin.wait_for_load_state()
    pr.refresh_from_db()
    assert pr.status == "fulfilled"

    # The citizen reads the copy with the reference.
    page.goto(site(reverse("privacy_request_status")))
    page.fill("input[name=reference]", reference)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert sr.applicant_name in page.locator("main").inner_text()
    check_public(page, axe_log, "privacy-request-status", shot=False)

    # A breach: recorded, its deadline counting down, its letters ready.
    admin.goto(site(reverse("privacy_breach_new")))
    check_internal(admin, axe_log, "privacy-breach-form", shot=False)
    admin.select_option("select[name=unit]", index=1)
    admin.fill("input[name=title]", "Surel salah kirim")
    admin.fill("input[name=discovered_at]", "2026-01-05T08:30")
    admin.fill("textarea[name=how]", "Daftar pemohon terkirim ke alamat di luar instansi.")
    admin.fill("textarea[name=data_categories]", "Nama dan nomor telepon")
    admin.fill("input[name=subjects_count]", "12")
    admin.fill("textarea[name=measures]", "Penerima diminta menghapus surel.")
    admin.locator("main form[method=post] button[type=submit]").click()
    admin.wait_for_load_state()
    assert re.search(r"/privasi/insiden/\d+/$", admin.url), admin.locator("main").inner_text()
    assert admin.locator("[data-testid=breach-countdown]").count() == 1
    check_internal(admin, axe_log, "privacy-breach-detail", shot=False)
    admin.locator("main a[href$='/surat/authority/']").click()
    admin.wait_for_load_state()
    assert "Pasal 46" in admin.locator("[data-testid=breach-letter]").inner_text()
    check_internal(admin, axe_log, "privacy-breach-letter", shot=False)
    admin.context.close()
