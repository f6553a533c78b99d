"""The public page "Inovasi pelayanan" in Chromium: it renders with its measured effects, has
no WCAG 2.1 AA violation and is not wider than a 390 px phone screen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, check_public, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The page needs a unit and a service to exist, not a large log.
BROWSER_DEMO_REQUESTS = 300

LONG_NAME = (
    "Pemeriksaan kelengkapan berkas permohonan secara daring sebelum warga datang ke loket "
    "pelayanan administrasi kependudukan"
)


def browser_demo_setup() -> None:
    """An innovation in application on a demo service, with a long name and description and
    three measured effects, committed before the server starts."""
    from sigap.catalogue.models import Service
    from sigap.innovation.models import Innovation, InterventionEffect

    service = Service.objects.filter(is_active=True).select_related("unit").order_by("pk").first()
    assert service is not None
    now = timezone.now()
    innovation = Innovation.objects.create(
        agency=service.unit.agency,
        name=LONG_NAME,
        initiator="asn",
        initiator_name="Nama Pegawai Yang Tidak Boleh Tampil",
        form="public_service",
        kind="digital",
        urusan="administrasi_kependudukan",
        stage="applied",
        initiated_on=date(2024, 10, 1),
        trial_on=date(2025, 1, 6),
        applied_on=date(2025, 3, 3),
        goals="Warga cukup datang sekali: berkas diperiksa petugas sebelum jadwal kedatangan. " * 4,
        benefits="Permohonan yang dikembalikan untuk perbaikan berkurang.",
        created_at=now,
        updated_at=now,
    )
    innovation.units.set([service.unit])
    innovation.services.set([service])
    rows = [
        ("first_time_right", "improved", 0.12, 0.07, 0.17),
        ("lead_time", "no_effect", -0.3, -0.9, 0.3),
        ("ikm", "no_conclusion", None, None, None),
    ]
    # A roadmap action of the demo, marked done, with its measured effect.
    from sigap.leadership.models import RoadmapAction

    action = RoadmapAction.objects.order_by("-priority").first()
    assert action is not None
    RoadmapAction.objects.filter(pk=action.pk).update(status="done")
    InterventionEffect.objects.create(
        subject="roadmap_action",
        action=action,
        kpi="sla_share",
        starts_on=date(2025, 6, 2),
        treated=5,
        comparison=12,
        estimate=0.085,
        ci_low=0.031,
        ci_high=0.139,
        conclusion="improved",
        explanation=[],
        computed_at=now,
    )
    for kpi, conclusion, estimate, low, high in rows:
        InterventionEffect.objects.create(
            subject="innovation",
            innovation=innovation,
            kpi=kpi,
            starts_on=date(2025, 3, 3),
            treated=6,
            comparison=9,
            estimate=estimate,
            ci_low=low,
            ci_high=high,
            conclusion=conclusion,
            explanation=[],
            computed_at=now,
        )


def test_the_public_innovation_page_fits_a_phone(page: Any, site: Site, axe_log: AxeLog) -> None:
    response = page.goto(site(reverse("transparency:innovations")))
    assert response is not None and response.status == 200
    cards = page.locator("[data-testid=public-innovation]")
    assert cards.count() >= 1
    headlines = page.locator("[data-testid=effect-headline]").all_inner_texts()
    assert any("naik 12,0 persen poin" in h for h in headlines), headlines
    assert "Nama Pegawai Yang Tidak Boleh Tampil" not in page.content()
    check_public(page, axe_log, "transparency-innovations")


def test_leadership_reads_what_worked(page: Any, site: Site, axe_log: AxeLog) -> None:
    log_in(page, site, axe_log, "demo.pimpinan", check=False)
    page.goto(site(reverse("leadership:scorecard")))
    section = page.locator("[data-testid=what-worked]")
    assert section.locator("[data-testid=outcome]").count() >= 2
    assert (
        section.locator("[data-testid=outcome]").first.get_attribute("data-verdict") == "improved"
    )
    check_internal(page, axe_log, "leadership-what-worked")
    page.goto(site(reverse("leadership:roadmap")))
    assert page.locator("[data-testid=action-effect]").count() == 1
    check_internal(page, axe_log, "leadership-roadmap-effect")
