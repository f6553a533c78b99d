"""The administrator onboards a file in Chromium: upload, the dry run with its problem named by
row and column, a corrected file, the plan, Terapkan, the result.

The live server runs in this process (tests/browser/conftest.py), so the test importer of
tests/onboarding/probe_importer.py, registered here, is the one the server's page lists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in
from tests.onboarding.probe_importer import ORGANISATION, register_probes, restore

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROWSER_DEMO_REQUESTS = 300


def _submit(page: Any, form: Any) -> None:
    with page.expect_response(lambda r: r.request.is_navigation_request()):
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_admin_uploads_checks_and_applies_a_file(
    page: Any, site: Site, axe_log: AxeLog, tmp_path: Any
) -> None:
    from sigap.onboarding.models import ImportRun
    from sigap.organisation.models import AgencySpecialDay

    saved = register_probes()
    try:
        log_in(page, site, axe_log, "demo.admin", check=False)
        page.goto(site(reverse("onboarding_home")))
        check_internal(page, axe_log, "onboarding-home")
        assert page.locator(f"[data-kind='{ORGANISATION}']").count() == 1

        bad = tmp_path / "hari-libur.csv"
        bad.write_text("date,name\n2031-08-17,Kemerdekaan\n2031-02-30,Salah\n", "utf-8")
        form = page.get_by_test_id("onboarding-upload")
        form.locator("select[name=kind]").select_option(ORGANISATION)
        form.locator("input[name=file]").set_input_files(str(bad))
        _submit(page, form)
        check_internal(page, axe_log, "onboarding-plan-errors")
        cells = page.get_by_test_id("onboarding-problems").locator("tbody tr").first
        assert cells.locator("td").all_inner_texts()[:4] == ["hari-libur.csv", "—", "3", "date"]
        assert page.get_by_test_id("onboarding-apply").count() == 0

        good = tmp_path / "hari-libur-benar.csv"
        good.write_text("date,name\n2031-08-17,Kemerdekaan\n2031-10-07,Hari jadi\n", "utf-8")
        page.goto(site(reverse("onboarding_home")))
        form = page.get_by_test_id("onboarding-upload")
        form.locator("select[name=kind]").select_option(ORGANISATION)
        form.locator("input[name=file]").set_input_files(str(good))
        _submit(page, form)
        check_internal(page, axe_log, "onboarding-plan")
        counts = page.get_by_test_id("onboarding-counts")
        assert counts.locator("[data-count=create]").inner_text() == "2"
        assert counts.locator("[data-count=errors]").inner_text() == "0"
        assert page.get_by_test_id("onboarding-changes").locator("tbody tr").count() == 2
        assert not AgencySpecialDay.objects.filter(date__year=2031).exists()

        _submit(page, page.get_by_test_id("onboarding-apply"))
        check_internal(page, axe_log, "onboarding-applied")
        assert page.get_by_test_id("onboarding-applied").is_visible()
        assert dict(
            AgencySpecialDay.objects.filter(date__year=2031).values_list("date", "name")
        ) == {date(2031, 8, 17): "Kemerdekaan", date(2031, 10, 7): "Hari jadi"}
        assert ImportRun.objects.filter(kind=ORGANISATION, applied=True).count() == 1
    finally:
        restore(saved)
