"""HR keeps the competency standards in a real browser: adds a technical competency, starts a
new version of the standar kompetensi jabatan from the latest, edits a required level, imports
a version from an XLSX file and links a procedure step to the competency. Elements are found by
URL, name and `data-testid`, never by wording; every page is checked with axe-core."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sigap.demo.content import AGENCY_CODE
from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in
from tests.browser.test_public_forms import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The pages need the demo's units, positions and services, not many requests.
BROWSER_DEMO_REQUESTS = 300


def browser_demo_setup() -> None:
    """The dictionary the migration wrote (an earlier module's flush empties it) and a first
    version of the agency's standard, in force since last year."""
    from sigap.competency import dictionary
    from sigap.competency.models import (
        Competency,
        CompetencyLevel,
        PositionRequirement,
        StandardVersion,
    )
    from sigap.organisation.models import Agency, Employee

    dictionary.install(Competency, CompetencyLevel)
    agency = Agency.objects.get(code=AGENCY_CODE)
    first = StandardVersion.objects.create(
        agency=agency, valid_from=timezone.localdate() - timedelta(days=365)
    )
    officer = Employee.objects.get(user__username="demo.petugas")
    PositionRequirement.objects.create(
        version=first,
        position=officer.position,
        competency=Competency.objects.get(code=dictionary.PELAYANAN_PUBLIK),
        level=2,
    )


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Jabatan", "Kode kompetensi", "Level"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_hr_keeps_the_competency_standards(page: Any, site: Site, axe_log: AxeLog) -> None:
    from sigap.catalogue.models import Service
    from sigap.competency import dictionary
    from sigap.competency.models import Competency, StandardVersion, StepCompetency
    from sigap.organisation.models import Employee

    today = timezone.localdate()
    officer = Employee.objects.select_related("position").get(user__username="demo.petugas")
    log_in(page, site, axe_log, "demo.bkpsdm", check=False)

    # The dictionary: add a technical competency with its five levels.
    page.goto(site(reverse("competency_dictionary")))
    check_internal(page, axe_log, "competency-dictionary")
    page.get_by_test_id("technical-new").click()
    page.wait_for_url(f"**{reverse('competency_technical_new')}")
    check_internal(page, axe_log, "competency-technical-new")
    form = page.get_by_test_id("technical-form")
    form.locator("input[name=name]").fill("Verifikasi dokumen kependudukan")
    for level in range(1, 6):
        form.locator(f"textarea[name=level_{level}]").fill(f"Memeriksa berkas, tingkat {level}")
    submit(page, form.locator("button[type=submit]"))
    technical = Competency.objects.get(code="verifikasi-dokumen-kependudukan")
    assert technical.levels.count() == 5

    # A new version from the latest, taking effect next week; then one level changed.
    page.goto(site(reverse("competency_standards")))
    check_internal(page, axe_log, "competency-standards")
    new = page.get_by_test_id("version-new")
    new.locator("input[name=valid_from]").fill((today + timedelta(days=7)).isoformat())
    submit(page, new.locator("button[type=submit]"))
    version = StandardVersion.objects.get(valid_from=today + timedelta(days=7))
    page.wait_for_url(f"**{reverse('competency_standard_edit', args=[version.pk])}")
    check_internal(page, axe_log, "competency-standard-edit")
    # The grid shows a page of positions at a time: find the officer's.
    search = page.locator("main form[role=search]")
    search.locator("input[name=q]").fill(officer.position.name)
    submit(page, search.locator("button[type=submit]"))
    service_level = Competency.objects.get(code=dictionary.PELAYANAN_PUBLIK)
    cell = f"input[name=l-{officer.position_id}-{service_level.pk}]"
    assert page.locator(cell).input_value() == "2"  # copied from the version in force
    page.locator(cell).fill("3")
    page.locator(f"input[name=l-{officer.position_id}-{technical.pk}]").fill("2")
    submit(page, page.get_by_test_id("levels-save"))
    page.wait_for_url(f"**{reverse('competency_standard', args=[version.pk])}")
    check_internal(page, axe_log, "competency-standard")
    levels = dict(version.requirements.values_list("competency__code", "level"))
    assert levels[dictionary.PELAYANAN_PUBLIK] == 3 and levels[technical.code] == 2

    # An import: one file, a new version a month later.
    page.goto(site(reverse("competency_standard_import")))
    check_internal(page, axe_log, "competency-standard-import")
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "skj-2027.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _xlsx([[officer.position.name, dictionary.KOMUNIKASI, 3]]),
            }
        ],
    )
    page.fill("input[name=valid_from]", (today + timedelta(days=30)).isoformat())
    submit(page, page.locator("main form button[type=submit]"))
    imported = StandardVersion.objects.get(valid_from=today + timedelta(days=30))
    page.wait_for_url(f"**{reverse('competency_standard', args=[imported.pk])}")
    assert imported.requirements.get().level == 3

    # A procedure step of a service in force needs the technical competency.
    service = next(
        s
        for s in Service.objects.filter(unit__agency__code=AGENCY_CODE).order_by("code")
        if s.standard_on(today) is not None
    )
    page.goto(site(reverse("competency_step_edit", args=[service.code])))
    check_internal(page, axe_log, "competency-step-edit")
    step = page.get_by_test_id("step-0")
    step_name = step.locator("legend").inner_text()
    step.locator(f"input[type=checkbox][value='{technical.pk}']").check()
    submit(page, page.get_by_test_id("step-links-save"))
    page.wait_for_url(f"**{reverse('competency_steps')}")
    check_internal(page, axe_log, "competency-steps")
    link = StepCompetency.objects.get(service=service, competency=technical)  # the demo has more
    assert (link.step, link.competency_id) == (step_name.strip(), technical.pk)
