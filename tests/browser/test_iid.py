"""HR fills the IID in Chromium: one regional (SPD) answer, then an innovation's answer with its
PDF supporting document, and sees the index change after each."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in
from tests.documents import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Enough of a demo for the HR account of its agency.
BROWSER_DEMO_REQUESTS = 300
NAME = "Antrean daring (uji peramban)"


def browser_demo_setup() -> None:
    """One innovation in application inside the 2026 window, without answers, and no IID
    answer of the agency (committed before the server starts)."""
    from django.utils import timezone

    from sigap.innovation.models import IndicatorAnswer, Innovation, SpdAnswer
    from sigap.organisation.models import Agency, Unit

    agency = Agency.objects.order_by("pk").first()
    SpdAnswer.objects.filter(agency=agency, frame=2026).delete()
    IndicatorAnswer.objects.filter(innovation__agency=agency, frame=2026).delete()
    Innovation.objects.filter(agency=agency).exclude(name=NAME).update(stage="initiative")
    now = timezone.now()
    inn = Innovation.objects.create(
        agency=agency, name=NAME, initiator="unit", form="public_service", kind="digital",
        urusan="civil_registration", stage="applied", initiated_on=date(2024, 2, 1),
        applied_on=date(2024, 8, 1), created_at=now, updated_at=now,
    )  # fmt: skip
    inn.units.set([Unit.objects.filter(agency=agency, parent__isnull=False).order_by("pk")[0]])


def _submit(page: Any, form: Any) -> None:
    with page.expect_response(lambda r: r.request.is_navigation_request()):
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_hr_fills_an_spd_answer_and_an_innovation_answer_with_a_pdf(
    page: Any, site: Site, axe_log: AxeLog, tmp_path: Any
) -> None:
    from sigap.innovation.models import IndicatorAnswer, Innovation

    innovation = Innovation.objects.get(name=NAME)
    log_in(page, site, axe_log, "demo.bkpsdm", check=False)
    workbench = reverse("iid_workbench", args=[2026])
    page.goto(site(workbench))
    check_internal(page, axe_log, "iid-workbench")
    # Nothing answered: 0 (the page is in Indonesian: decimal comma)
    assert page.get_by_test_id("iid-value").inner_text() == "0,00"
    assert page.get_by_test_id("iid-n").inner_text() == "1"

    # SPD "visi_misi": weight 2, parameter 3 → SPD 6 → IID 6 / 250 × 100 = 2.40
    page.get_by_test_id("spd-visi_misi").click()
    page.wait_for_load_state()
    check_internal(page, axe_log, "iid-spd-form")
    form = page.get_by_test_id("spd-form")
    form.locator("input[name=weight]").fill("2")
    form.locator("select[name=parameter]").select_option("3")
    _submit(page, form)
    assert page.url.endswith(workbench)
    assert page.get_by_test_id("iid-value").inner_text() == "2,40"

    # The innovation's Regulasi at 3 with its decree as a PDF: + 9 rows / max(12, 1) = 0.75
    # → (6 + 0.75) / 250 × 100 = 2.70
    page.get_by_test_id(f"answer-{innovation.pk}").click()
    page.wait_for_load_state()
    check_internal(page, axe_log, "iid-innovation-form")
    form = page.get_by_test_id("answers-form")
    form.locator("select[name=p_regulasi]").select_option("3")
    decree = tmp_path / "sk-inovasi.pdf"
    decree.write_bytes(files.pdf("Keputusan Bupati tentang inovasi"))
    form.locator("input[name=evidence_regulasi]").set_input_files(str(decree))
    _submit(page, form)
    assert page.url.endswith(workbench)
    assert page.get_by_test_id("iid-value").inner_text() == "2,70"
    saved = IndicatorAnswer.objects.get(innovation=innovation, frame=2026, indicator="regulasi")
    assert (saved.parameter, saved.evidence_name) == (3, "sk-inovasi.pdf")
