"""The AKPK in a real browser (axe-core on every page): the unit head changes a draft item and
approves the unit's plan; HR then approves it, approves the agency plan and downloads the
export. Elements are found by URL, form action, name and `data-testid`, never by wording."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROWSER_DEMO_REQUESTS = 300
YEAR = 2027
UNIT = "dukcapil-loket-dafduk"  # demo.kepala's unit


def browser_demo_setup() -> None:
    """Gaps of three employees of demo.kepala's unit on one technical competency, and the plan
    drafted from them (the demo's own competency data is not needed for the journey)."""
    from django.utils import timezone

    from sigap.competency.akpk import plans_generate
    from sigap.competency.models import Competency, CompetencyGap
    from sigap.organisation.models import Employee, Unit

    unit = Unit.objects.get(code=UNIT)
    competency, _ = Competency.objects.get_or_create(
        code="browser-verifikasi",
        defaults={"name": "Verifikasi dokumen kependudukan", "group": "teknis"},
    )
    employees = list(Employee.objects.filter(unit=unit).order_by("pk")[:3])
    assert len(employees) == 3
    CompetencyGap.objects.bulk_create(
        CompetencyGap(
            employee=e,
            competency=competency,
            kind=CompetencyGap.Kind.PERFORMANCE,
            size=0.2 + n / 10,
            step="Verifikasi berkas",
            citizens_affected=100,
            computed_at=timezone.now(),
        )
        for n, e in enumerate(employees)
    )
    plans_generate(YEAR)


def test_the_unit_head_then_hr_approve_the_akpk(page: Any, site: Site, axe_log: AxeLog) -> None:
    from sigap.competency.models import DevelopmentPlan
    from sigap.organisation.models import Unit

    unit = Unit.objects.get(code=UNIT)
    plan = DevelopmentPlan.objects.get(unit=unit, year=YEAR)
    item = plan.items.get(competency__code="browser-verifikasi")
    unit_page = reverse("competency_plan_unit", args=[YEAR, unit.pk])

    log_in(page, site, axe_log, "demo.kepala", check=False)
    page.goto(site(unit_page))
    check_internal(page, axe_log, "akpk-unit", shot=True)
    assert page.locator("[data-testid=plan-item]").count() >= 1
    form = page.locator(f"form[action='{reverse('competency_plan_item_edit', args=[item.pk])}']")
    page.locator("details", has=form).locator("summary").click()
    form.locator("select[name=route]").select_option("workshop")
    form.locator("select[name=month]").select_option("6")
    form.locator("input[name=budget]").fill("4500000")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert (item.route, item.month, int(item.budget)) == ("workshop", 6, 4_500_000)
    page.locator("[data-testid=approve-unit]").click()
    page.wait_for_load_state()
    assert (
        page.locator("[data-testid=plan-status] dd[data-status]").get_attribute("data-status")
        == "unit_approved"
    )
    # Approved: no more edits, no second approval by the head.
    assert page.locator("[data-testid=item-edit]").count() == 0
    assert page.locator("[data-testid=approve-unit]").count() == 0

    hr = page.context.browser.new_context().new_page()
    log_in(hr, site, axe_log, "demo.bkpsdm", check=False)
    hr.goto(site(unit_page))
    hr.locator("[data-testid=approve-hr]").click()
    hr.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.status == "approved"
    hr.goto(site(reverse("competency_plan_agency", args=[YEAR])))
    check_internal(hr, axe_log, "akpk-agency", shot=True)
    assert hr.locator("[data-testid=unit-plan]").count() >= 1
    hr.locator("[data-testid=approve-hr]").click()
    hr.wait_for_load_state()
    assert DevelopmentPlan.objects.get(unit__isnull=True, year=YEAR).status == "approved"
    with hr.expect_download() as download:
        hr.locator("[data-testid=plan-export]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
