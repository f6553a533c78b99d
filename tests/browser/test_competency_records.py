"""HR keeps the competency records in Chromium: a training with its PDF certificate through the
form, then the assessment centre's file through the import (refused with its errors named,
then imported with its summary)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in
from tests.documents import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Enough of a demo for an HR account and the employees of its agency.
BROWSER_DEMO_REQUESTS = 300
COMPETENCY = "verifikasi-dokumen-browser"


def browser_demo_setup() -> None:
    """A technical competency of the demo agency to import assessments of (committed before
    the server starts)."""
    from sigap.competency.models import Competency
    from sigap.organisation.models import Agency

    Competency.objects.get_or_create(
        code=COMPETENCY,
        defaults={
            "name": "Verifikasi dokumen kependudukan (uji peramban)",
            "group": Competency.Group.TEKNIS,
            "agency": Agency.objects.order_by("pk").first(),
        },
    )


def _employee() -> Any:
    """An employee of the demo agency that is not a log-in persona."""
    from sigap.organisation.models import Employee

    return Employee.objects.filter(user__isnull=True).order_by("pk").first()


def _submit(page: Any, form: Any) -> Any:
    with page.expect_response(lambda r: r.request.is_navigation_request()) as sent:
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return sent.value


def test_hr_records_a_training_with_its_certificate_and_imports_assessments(
    page: Any, site: Site, axe_log: AxeLog, tmp_path: Any
) -> None:
    from sigap.competency.models import Assessment, TrainingRecord

    employee = _employee()
    assessments = Assessment.objects.filter(employee=employee).count()  # the demo's own
    log_in(page, site, axe_log, "demo.bkpsdm", check=False)

    # A training through the form, with its certificate as a real PDF.
    page.goto(site(reverse("competency_training_add", args=[employee.pk])))
    check_internal(page, axe_log, "competency-training-form")
    form = page.get_by_test_id("training-form")
    form.locator("input[name=title]").fill("Diklat teknis verifikasi berkas")
    form.locator("select[name=route]").select_option("teknis")
    form.locator("input[name=starts_on]").fill("2025-02-03")
    form.locator("input[name=ends_on]").fill("2025-02-05")
    form.locator("input[name=hours]").fill("18")
    form.locator("input[name=certificate_number]").fill("DT-07/2025")
    certificate = tmp_path / "sertifikat.pdf"
    body = files.pdf("Sertifikat Diklat Teknis")
    certificate.write_bytes(body)
    form.locator("input[name=certificate]").set_input_files(str(certificate))
    _submit(page, form)
    assert page.url.endswith(reverse("competency_employee_records", args=[employee.pk]))
    check_internal(page, axe_log, "competency-employee-records")
    trainings = page.get_by_test_id("training-list")
    row = trainings.locator("tr", has_text="Diklat teknis verifikasi berkas")
    assert row.locator("td").nth(4).inner_text() == "24"  # 18 clock hours = 24 JP
    saved = TrainingRecord.objects.get(employee=employee, certificate_number="DT-07/2025")
    assert saved.certificate
    # The certificate link hands the PDF back.
    with page.expect_download() as download:
        row.get_by_role("link").click()
    assert download.value.path().read_bytes() == body

    # The assessment centre's file: one wrong row refuses it all, with the row named.
    page.goto(site(reverse("competency_assessment_import")))
    check_internal(page, axe_log, "competency-assessment-import")
    bad = tmp_path / "hasil-ac.csv"
    bad.write_text(
        "NIP,Kode kompetensi,Level,Tanggal,Metode\n"
        f"{employee.nip},{COMPETENCY},3,15-01-2025,Assessment Center\n"
        f"{employee.nip},{COMPETENCY},7,15-01-2025,Assessment Center\n",
        encoding="utf-8",
    )
    form = page.get_by_test_id("import-form")
    form.locator("input[name=file]").set_input_files(str(bad))
    _submit(page, form)
    problems = page.get_by_test_id("import-problems")
    cells = problems.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[:3] == ["hasil-ac.csv", "3", "Level"]
    check_internal(page, axe_log, "competency-assessment-import-refused")
    assert Assessment.objects.filter(employee=employee).count() == assessments

    good = tmp_path / "hasil-ac-benar.csv"
    good.write_text(
        "NIP,Kode kompetensi,Level,Tanggal,Metode\n"
        f"{employee.nip},{COMPETENCY},3,15-01-2025,Assessment Center\n",
        encoding="utf-8",
    )
    form = page.get_by_test_id("import-form")
    form.locator("input[name=file]").set_input_files(str(good))
    _submit(page, form)
    assert page.get_by_test_id("import-created").inner_text() == "1"
    assert page.get_by_test_id("import-skipped").inner_text() == "0"
    assert Assessment.objects.filter(employee=employee).count() == assessments + 1
    assert Assessment.objects.filter(
        employee=employee, level=3, source="imported", assessed_on=date(2025, 1, 15)
    ).exists()
