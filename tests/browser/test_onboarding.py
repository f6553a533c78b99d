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
from tests.onboarding.test_wording import not_indonesian

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


def test_admin_checks_a_unit_file_with_errors_then_with_warnings_in_indonesian(
    page: Any, site: Site, axe_log: AxeLog, tmp_path: Any
) -> None:
    """The real unit import, in Indonesian: a file with an error (named by file, row and
    column) and warnings, no Terapkan; the corrected file's warnings, Terapkan, the unit."""
    from sigap.organisation.models import Unit

    root = Unit.objects.filter(parent__isnull=True).select_related("agency").first()
    assert root is not None
    log_in(page, site, axe_log, "demo.admin", check=False)
    page.goto(site(reverse("onboarding_home")))
    main = page.locator("main")
    assert not_indonesian(main.inner_text(), root.agency.name) == []
    assert page.locator("[data-kind='units']").count() == 1

    bad = tmp_path / "unit-kerja.csv"
    bad.write_text(
        "kode,induk,nama,jenis\n"
        f"bidang-uji,{root.code},Bidang Uji Coba,bidang\n"
        f"bidang-salah,{root.code},Bidang Salah,planet\n",
        "utf-8",
    )
    form = page.get_by_test_id("onboarding-upload")
    form.locator("select[name=kind]").select_option("units")
    form.locator("input[name=file]").set_input_files(str(bad))
    _submit(page, form)
    check_internal(page, axe_log, "onboarding-units-errors", shot=False)
    rows = page.get_by_test_id("onboarding-problems").locator("tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    errors = [c for c in cells if c[5] == "kesalahan"]
    assert [c[:4] for c in errors] == [["unit-kerja.csv", "—", "3", "jenis"]]
    assert errors[0][4].startswith("Jenis “planet” tidak dikenal")
    assert page.get_by_test_id("onboarding-apply").count() == 0
    names = ", ".join(Unit.objects.filter(agency=root.agency).values_list("name", flat=True))
    assert not_indonesian(main.inner_text(), "unit-kerja.csv", names, root.agency.name) == []

    good = tmp_path / "unit-kerja-benar.csv"
    good.write_text(
        f"kode,induk,nama,jenis\nbidang-uji,{root.code},Bidang Uji Coba,bidang\n", "utf-8"
    )
    page.goto(site(reverse("onboarding_home")))
    form = page.get_by_test_id("onboarding-upload")
    form.locator("select[name=kind]").select_option("units")
    form.locator("input[name=file]").set_input_files(str(good))
    _submit(page, form)
    check_internal(page, axe_log, "onboarding-units-warnings", shot=False)
    counts = page.get_by_test_id("onboarding-counts")
    assert counts.locator("[data-count=create]").inner_text() == "1"
    assert counts.locator("[data-count=errors]").inner_text() == "0"
    assert int(counts.locator("[data-count=warnings]").inner_text()) >= 1
    assert not_indonesian(main.inner_text(), "unit-kerja-benar.csv", names, root.agency.name) == []
    assert not Unit.objects.filter(agency=root.agency, code="bidang-uji").exists()

    _submit(page, page.get_by_test_id("onboarding-apply"))
    check_internal(page, axe_log, "onboarding-units-applied", shot=False)
    assert page.get_by_test_id("onboarding-applied").is_visible()
    made = Unit.objects.get(agency=root.agency, code="bidang-uji")
    assert (made.parent_id, made.kind, made.name) == (root.pk, "bidang", "Bidang Uji Coba")
    assert not_indonesian(main.inner_text(), "unit-kerja-benar.csv", root.agency.name) == []
