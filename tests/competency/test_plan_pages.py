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
    assert b'data-testid="units-pending"' in page.content
    assert b'data-testid="approve-hr"' not in page.content
    agency = DevelopmentPlan.objects.get(unit__isnull=True, year=YEAR)
    # While a unit's plan is not approved, the agency's is refused with a message.
    hr.post(reverse("competency_plan_approve", args=[agency.pk]), {"step": "hr"})
    agency.refresh_from_db()
    assert agency.status == "draft"
    unit_plan.status = "approved"
    unit_plan.save(update_fields=["status"])
    hr.post(reverse("competency_plan_approve", args=[agency.pk]), {"step": "hr"})
    agency.refresh_from_db()
    assert agency.status == "approved"
    export = hr.get(reverse("competency_plan_export", args=[agency.pk]))
    assert export.status_code == 200
    assert "spreadsheetml" in export["Content-Type"]
    assert "no-store" in export["Cache-Control"]


def test_the_agency_total_is_the_sum_of_the_units(planned: GapWorld) -> None:
    w = planned.world
    hr = client_for("hr")
    unit_plan = DevelopmentPlan.objects.get(unit=w.counter_a, year=YEAR)
    item = unit_plan.items.get(rank=1)
    hr.post(
        reverse("competency_plan_item_edit", args=[item.pk]),
        {"route": "workshop", "provider": "BPSDM", "month": "4", "jp": "12",
         "budget": "2345000"},
    )  # fmt: skip
    page = hr.get(reverse("competency_plan_agency", args=[YEAR]))
    units_total = sum(p.budget for p in page.context["unit_plans"])
    assert page.context["total_budget"] == units_total
    assert units_total >= 2_345_000


def test_hr_over_several_agencies_chooses_one(planned: GapWorld) -> None:
    from sigap.accounts.roles import Role
    from sigap.organisation.models import Agency, Unit
    from tests.factories import seed_role_assignment

    w = planned.world
    second = Agency.objects.create(code="kedua", name="Kota Kedua", kind="kota")
    root = Unit.objects.create(agency=second, code="pemkot", name="Pemerintah Kota", kind="pemda")
    seed_role_assignment(user=w.users["hr"], role=Role.HR, unit=root)
    hr = client_for("hr")
    url = reverse("competency_plan_agency", args=[YEAR])
    first = hr.get(url)
    agencies = first.context["agencies"]
    assert {a.pk for a in agencies} == {w.agency.pk, second.pk}
    assert first.context["agency"] == agencies[0]
    assert b'name="instansi"' in first.content
    chosen = hr.get(url, {"instansi": second.pk})
    assert chosen.context["agency"] == second
    assert chosen.context["plan"] is None
    # An agency outside HR's scope is never chosen.
    assert hr.get(url, {"instansi": 999_999}).context["agency"] == agencies[0]
