"""The AKPK pages with real plans: who sees which plan, edits and approvals through the forms,
the export, and the pages in Indonesian."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sigap.analytics.engine import Engine
from sigap.competency.akpk import plans_generate
from sigap.competency.gaps import gaps_refresh
from sigap.competency.models import DevelopmentPlan
from tests.factories import PASSWORD

from .conftest import AS_OF, GapWorld

YEAR = 2027


@pytest.fixture
def planned(gap_world: GapWorld, engine: Engine) -> GapWorld:
    gaps_refresh(AS_OF, engine=engine)
    plans_generate(YEAR)
    return gap_world


def client_for(username: str, language: str = "en") -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    c.cookies["django_language"] = language
    return c


def test_the_unit_head_sees_edits_and_approves_the_units_plan(planned: GapWorld) -> None:
    w = planned.world
    plan = DevelopmentPlan.objects.get(unit=w.counter_a, year=YEAR)
    page = reverse("competency_plan_unit", args=[YEAR, w.counter_a.pk])
    head = client_for("head_a")
    got = head.get(page)
    assert got.status_code == 200
    assert got.content.count(b'data-testid="plan-item"') == 3
    assert b'data-testid="approve-unit"' in got.content
    assert b'data-testid="approve-hr"' not in got.content
    item = plan.items.get(rank=1)
    edit = reverse("competency_plan_item_edit", args=[item.pk])
    bad = head.post(edit, {"route": "nonsense", "month": "13", "jp": "-1", "budget": "x"})
    assert bad.status_code == 302
    item.refresh_from_db()
    assert item.edited_at is None
    head.post(edit, {"route": "workshop", "provider": "BPSDM", "month": "4", "jp": "12,5",
                     "budget": "2000000"})  # fmt: skip
    item.refresh_from_db()
    assert (item.route, item.month, str(item.jp), int(item.budget)) == (
        "workshop",
        4,
        "12.50",
        2_000_000,
    )
    head.post(reverse("competency_plan_approve", args=[plan.pk]), {"step": "unit"})
    plan.refresh_from_db()
    assert plan.status == "unit_approved"
    # Another unit's plan page: not found for this head.
    other = reverse("competency_plan_unit", args=[YEAR, w.puskesmas_b.pk])
    assert head.get(other).status_code == 404


def test_hr_approves_and_exports_from_the_agency_page(planned: GapWorld) -> None:
    w = planned.world
    hr = client_for("hr")
    unit_plan = DevelopmentPlan.objects.get(unit=w.counter_a, year=YEAR)
    # Before the unit head: refused with a message, nothing changes.
    hr.post(reverse("competency_plan_approve", args=[unit_plan.pk]), {"step": "hr"})
    unit_plan.refresh_from_db()
    assert unit_plan.status == "draft"
    page = hr.get(reverse("competency_plan_agency", args=[YEAR]))
    assert page.status_code == 200
    assert page.content.count(b'data-testid="unit-plan"') == 1
    agency = DevelopmentPlan.objects.get(unit__isnull=True, year=YEAR)
    hr.post(reverse("competency_plan_approve", args=[agency.pk]), {"step": "hr"})
    agency.refresh_from_db()
    assert agency.status == "approved"
    export = hr.get(reverse("competency_plan_export", args=[agency.pk]))
    assert export.status_code == 200
    assert "spreadsheetml" in export["Content-Type"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_pages_read_in_the_readers_language(planned: GapWorld, language: str) -> None:
    w = planned.world
    hr = client_for("hr", language)
    unit_page = hr.get(reverse("competency_plan_unit", args=[YEAR, w.counter_a.pk]))
    agency_page = hr.get(reverse("competency_plan_agency", args=[YEAR]))
    text = unit_page.content.decode() + agency_page.content.decode()
    words: dict[str, tuple[str, ...]] = {
        "id": ("Rencana pengembangan kompetensi (AKPK) 2027", "Bimbingan teknis", "Kesenjangan"),
        "en": ("Development plan (AKPK) 2027", "Technical guidance", "Gap × requests affected"),
    }
    for word in words[language]:
        assert word in text, word
    for code in ("bimbingan_di_tempat_kerja", "unit_approved", "verifikasi-dokumen"):
        assert f">{code}<" not in text
