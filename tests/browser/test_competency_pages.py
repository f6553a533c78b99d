"""The competency pages in Chromium: the officer's own page and the unit head's team view, with
axe-core (WCAG 2.1 AA) and no sideways scroll at a phone's width (390 px)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import MOBILE, AxeLog, Site
from tests.browser.test_journeys import WIDTH_JS, check_internal, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROWSER_DEMO_REQUESTS = 300


def browser_demo_setup() -> None:
    """A standard for the demo officer's position, an assessment, a training this year and a
    gap with a long competency name (what could push a phone's screen sideways)."""
    from sigap.competency.models import (
        Assessment,
        Competency,
        CompetencyGap,
        PositionRequirement,
        StandardVersion,
        TrainingRecord,
    )
    from sigap.organisation.models import Employee

    officer = Employee.objects.select_related("unit").get(user__username="demo.petugas")
    today = timezone.localdate()
    service = Competency.objects.create(
        code="uji-pelayanan-publik", name="Pelayanan Publik", group="manajerial"
    )
    long = Competency.objects.create(
        code="uji-verifikasi",
        name="Verifikasi dan validasi dokumen kependudukan dan pencatatan sipil",
        group="teknis",
    )
    version = StandardVersion.objects.create(
        agency_id=officer.unit.agency_id, valid_from=date(today.year, 1, 1) - timedelta(days=400)
    )
    for competency, level in ((service, 2), (long, 3)):
        PositionRequirement.objects.create(
            version=version, position=officer.position, competency=competency, level=level
        )
    Assessment.objects.create(
        employee=officer, competency=service, level=2, assessed_on=today - timedelta(days=30),
        method="assessment_centre", source="entered",
    )  # fmt: skip
    TrainingRecord.objects.create(
        employee=officer, title="Bimbingan teknis verifikasi berkas kependudukan",
        route="bimbingan_teknis", starts_on=today, ends_on=today, hours=Decimal(6),
        jp=Decimal(8), certificate_number="BPSDM/UJI/0001", source="entered",
    )  # fmt: skip
    CompetencyGap.objects.create(
        employee=officer, competency=long, kind="current", required_level=3, size=3,
        computed_at=timezone.now(),
    )  # fmt: skip


def _fits_a_phone(page: Any) -> None:
    desktop = page.viewport_size
    page.set_viewport_size(MOBILE)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    width = int(page.evaluate(WIDTH_JS))
    page.set_viewport_size(desktop)
    assert width <= MOBILE["width"], f"{page.url}: {width} px wide at {MOBILE['width']} px"


def test_officer_opens_the_own_competency_page(page: Any, site: Site, axe_log: AxeLog) -> None:
    log_in(page, site, axe_log, "demo.petugas", check=False)
    page.goto(site(reverse("work_home")))
    page.locator(f"main a[href='{reverse('competency_mine')}']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("competency_mine"))
    assert page.get_by_test_id("jp-this-year").is_visible()
    assert page.get_by_test_id("jpm-current").is_visible()
    # The demo's own records are there too: find the ones this test wrote.
    trainings = page.get_by_test_id("trainings")
    assert trainings.get_by_text("Bimbingan teknis verifikasi berkas kependudukan").is_visible()
    gaps = page.get_by_test_id("gaps")
    assert gaps.get_by_text("Verifikasi dan validasi dokumen kependudukan").first.is_visible()
    check_internal(page, axe_log, "competency-mine")
    _fits_a_phone(page)


def test_unit_head_opens_the_team_view_and_an_officer(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    log_in(page, site, axe_log, "demo.kepala", check=False)
    page.goto(site(reverse("work_home")))
    page.locator(f"main a[href='{reverse('competency_team')}']").first.click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("team").locator("tbody tr")
    assert rows.count() >= 2
    check_internal(page, axe_log, "competency-team")
    _fits_a_phone(page)
    # Sorted by JP short (most first), then open the first officer's page as the head sees it.
    page.locator("[data-testid=team] thead a[href*='urut=short']").click()
    page.wait_for_load_state()
    assert "urut=short" in page.url
    page.get_by_test_id("team").locator("tbody tr th a").first.click()
    page.wait_for_load_state()
    assert "/kompetensi/pegawai/" in page.url
    assert page.get_by_test_id("back-link").is_visible()
    check_internal(page, axe_log, "competency-employee", shot=False)
    _fits_a_phone(page)
