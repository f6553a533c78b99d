"""The officer's last step of a service whose product is signed, in Chromium, against the local
fake BSrE esign server (tests/integrations/fake_bsre.py).

The live server runs in this process (a thread), so the signing settings set here with
`override_settings` are the ones it reads, and it reaches the fake server on 127.0.0.1. A wrong
passphrase is refused with the server's words and changes nothing; the right one signs the PDF,
attaches it and completes the request. axe-core (WCAG 2.1 A/AA) on the page with the form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test.utils import override_settings
from django.urls import reverse

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in
from tests.integrations import fake_bsre
from tests.integrations.fake_bsre import FakeBsre

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROWSER_DEMO_REQUESTS = 300

SERVICE = "dukcapil-akta-lahir"
OFFICER = "demo.petugas.ttd"
NIK = "3201011703850009"
REQUEST: dict[str, str] = {}


def browser_demo_setup() -> None:
    """The akta kelahiran standard in force says its product is signed, its steps are open to
    any officer of its unit, one officer there gets a log-in, and one request is at its last
    step. Committed by the `site` fixture before the server starts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from sigap.accounts.models import Role
    from sigap.accounts.services import seed_role_assignment
    from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
    from sigap.organisation.models import Employee
    from sigap.service_requests import services
    from tests.browser.test_journeys import DEMO_PASSWORD

    service = Service.objects.get(code=SERVICE)
    standard = service.standard_on(timezone.localdate())
    assert standard is not None, f"{SERVICE} has no standard in force"
    ServiceStandard.objects.filter(pk=standard.pk).update(product_signed=True)
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
        username=OFFICER, password=make_password(DEMO_PASSWORD), first_name="Petugas TTE"
    )
    seed_role_assignment(user=user, role=Role.OFFICER, unit=service.unit)
    Employee.objects.filter(pk=officer.pk).update(user=user)
    officer.refresh_from_db()
    with transaction.atomic():
        sr = services.service_request_submit(
            service=service,
            applicant=services.Applicant(
                name="Dewi Anggraini", contact="dewi@example.id", region_kecamatan="Sukamaju"
            ),
            channel="counter",
            officer=officer,
        )
        sr = services.service_request_receive(request=sr, officer=officer)
        while standard.steps.filter(order__gt=sr.current_step.order).exists():
            sr = services.service_request_complete_step(request=sr, officer=officer)
    REQUEST.update(code=sr.receipt_code, step=sr.current_step.name)


@pytest.fixture
def esign() -> Iterator[FakeBsre]:
    with FakeBsre() as fake:
        values = {
            "SIGNING_ENABLED": "true",
            "SIGNING_URL": fake.url,
            "SIGNING_USER": fake_bsre.USER,
            "SIGNING_PASSWORD": fake_bsre.PASSWORD,
            "SIGNING_API": "v2",
            "SIGNING_IDENTITY": "nik",
        }
        with override_settings(SIGAP={**settings.SIGAP, **values}):
            yield fake


def test_officer_signs_the_product_at_the_last_step(
    page: Any, site: Site, axe_log: AxeLog, esign: FakeBsre
) -> None:
    from sigap.documents.models import Document, Purpose
    from sigap.integrations.models import Exchange
    from sigap.service_requests.models import ServiceRequest, Status
    from tests.documents import files

    code = REQUEST["code"]
    log_in(page, site, axe_log, OFFICER, check=False)
    page.goto(site(reverse("request_detail", args=[code])))
    form = page.locator("form[data-testid=signing-form]")
    assert form.count() == 1
    assert (
        page.locator(f"form[action='{reverse('request_act', args=[code, 'complete'])}']").count()
        == 0
    )
    check_internal(page, axe_log, "request-signing-form", shot=False)
    pdf = files.pdf("Kutipan akta kelahiran")

    def send(passphrase: str) -> None:
        page.set_input_files(
            "#signing-file",
            files=[{"name": "akta.pdf", "mimeType": "application/pdf", "buffer": pdf}],
        )
        page.fill("#signing-nik", NIK)
        page.fill("#signing-passphrase", passphrase)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    send("bukan-passphrase")
    assert "Passphrase anda salah" in page.locator("main").inner_text()
    assert ServiceRequest.objects.get(receipt_code=code).status == Status.IN_PROGRESS
    assert not Document.objects.filter(request__receipt_code=code).exists()
    assert page.locator("form[data-testid=signing-form]").count() == 1  # still there to retry

    send(fake_bsre.PASSPHRASE)
    sr = ServiceRequest.objects.get(receipt_code=code)
    assert sr.status == Status.COMPLETED
    doc = Document.objects.get(request=sr, purpose=Purpose.PRODUCT)
    assert doc.sha256 and doc.original_name == "akta.pdf"
    assert (
        page.locator(f"a[href='{reverse('document_download', args=[code, doc.pk])}']").count() == 1
    )
    assert list(
        Exchange.objects.filter(object_ref=f"request:{code}")
        .values_list("ok", flat=True)
        .order_by("at")
    ) == [False, True]
    assert [r.path for r in esign.requests] == ["/api/v2/sign/pdf", "/api/v2/sign/pdf"]
