"""The main journeys in a real browser, with axe-core (WCAG 2.1 A/AA) on every page they visit.

Public pages must have no violation; the pages behind a login are checked too and their
violations reported (SIGAP_AXE_REPORT=file.json keeps them) without failing the journey.
Screenshots: SIGAP_SCREENSHOTS=docs/screenshots (see conftest.py).

The tests find elements by URL, form action, role and `data-testid`, never by wording, so they
hold in both languages.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import (
    MOBILE,
    AxeLog,
    Site,
    axe_violations,
    format_violations,
    settle,
    shoot,
)

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "sukamaju-demo"


def check_public(page: Any, axe_log: AxeLog, name: str) -> None:
    """A public page: zero WCAG 2.1 AA violations, at desktop and at mobile width."""
    settle(page)
    violations = axe_violations(page)
    axe_log.pages[name] = violations
    assert not violations, format_violations(page.url, violations)
    desktop = page.viewport_size
    page.set_viewport_size(MOBILE)
    settle(page)
    narrow = axe_violations(page)
    page.set_viewport_size(desktop)
    assert not narrow, format_violations(f"{page.url} (mobile width)", narrow)
    shoot(page, name, mobile=True)


def check_internal(page: Any, axe_log: AxeLog, name: str) -> None:
    """A page behind a login: violations are reported, not failed (see the module doc)."""
    settle(page)
    violations = axe_violations(page)
    axe_log.pages[name] = violations
    if violations:
        warnings.warn(format_violations(page.url, violations), stacklevel=2)
    shoot(page, name)


def log_in(page: Any, site: Site, axe_log: AxeLog, username: str, *, check: bool) -> None:
    page.goto(site(reverse("login")))
    if check:
        check_public(page, axe_log, "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/masuk/" not in page.url, f"{username} could not log in"


# --- (a) a citizen tracks a request and fills in the survey ------------------------------------


def test_citizen_tracks_a_request_and_fills_the_survey(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    from sigap.service_requests.models import ServiceRequest, Status
    from sigap.surveys.models import SurveyResponse

    answered = SurveyResponse.objects.exclude(service_request=None).values("service_request")
    sr = (
        ServiceRequest.objects.filter(status=Status.COMPLETED)
        .exclude(pk__in=answered)
        .select_related("service")
        .order_by("-finished_at")
        .first()
    )
    assert sr is not None, "the demo has no finished request without a survey"

    page.goto(site("/"))
    check_public(page, axe_log, "home")

    # From the navigation to the tracking form; the code typed as a citizen would (lower case).
    page.locator(f"header nav a[href='{reverse('track')}']").click()
    page.wait_for_url(re.compile(re.escape(reverse("track")) + "$"))
    check_public(page, axe_log, "track-form")
    page.fill("input[name=kode]", sr.receipt_code.lower())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('track_code', args=[sr.receipt_code])}")
    assert sr.receipt_code in page.locator("main").inner_text()
    check_public(page, axe_log, "tracking")

    # The tracking page links to the survey of that request's service, the code filled in.
    page.locator(f"a[href='{reverse('survey_for_receipt', args=[sr.receipt_code])}']").click()
    page.wait_for_url(f"**{reverse('survey_form', args=[sr.service.code])}?**")
    assert page.input_value("input[name=kode]") == sr.receipt_code

    # Sending it empty names every unanswered question (no JavaScript validation involved).
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    questions = page.locator("fieldset.question")
    assert questions.count() == 9
    assert page.locator("fieldset.question.has-error").count() == 9
    check_public(page, axe_log, "survey-errors")

    for i in range(questions.count()):
        # The fourth answer of each question: the best ("Sangat baik").
        questions.nth(i).locator("input[type=radio]").nth(3).check()
    page.fill("textarea[name=comment]", "Petugas ramah dan cepat.")
    shoot(page, "survey")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('survey_thanks')}")
    check_public(page, axe_log, "survey-thanks")

    response = SurveyResponse.objects.get(service_request=sr)
    assert response.unit_id == sr.unit_id
    assert response.comment == "Petugas ramah dan cepat."


def test_public_complaint_form(page: Any, site: Site, axe_log: AxeLog) -> None:
    """The complaint form a citizen reaches from the navigation, also with its errors shown."""
    page.goto(site("/"))
    page.locator(f"header nav a[href='{reverse('complaint_new')}']").click()
    page.wait_for_url(f"**{reverse('complaint_new')}")
    check_public(page, axe_log, "complaint-form")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("main [role=alert], main .field-error, main .errorlist").count() > 0
    check_public(page, axe_log, "complaint-form-errors")


# --- (b) an officer processes a step from the work queue --------------------------------------


def test_officer_processes_a_step_from_the_queue(page: Any, site: Site, axe_log: AxeLog) -> None:
    from sigap.service_requests.models import ServiceRequest

    log_in(page, site, axe_log, "demo.petugas", check=True)
    page.locator(f"header nav a[href='{reverse('queue')}']").click()
    page.wait_for_url(f"**{reverse('queue')}")
    check_internal(page, axe_log, "queue")

    page.select_option("select[name=status]", "in_progress")
    page.locator("main form.filters button[type=submit]").click()
    page.wait_for_url("**status=in_progress**")
    first = page.locator("main table tbody tr td:first-child a").first
    code = first.inner_text().strip()
    before = ServiceRequest.objects.select_related("current_step").get(receipt_code=code)
    assert before.status == "in_progress"
    first.click()
    page.wait_for_url(f"**{reverse('request_detail', args=[code])}")
    check_internal(page, axe_log, "request-detail")

    complete = page.locator(f"form[action='{reverse('request_act', args=[code, 'complete'])}']")
    complete.locator("textarea[name=note]").fill("Berkas lengkap.")
    complete.locator("button[type=submit]").click()
    page.wait_for_url(f"**{reverse('request_detail', args=[code])}")
    assert page.locator("main .messages .message.success").count() == 1

    after = ServiceRequest.objects.get(receipt_code=code)
    assert after.event_count == before.event_count + 1
    assert after.current_step_id != before.current_step_id or after.status == "completed"
    officer_events = after.events.order_by("-seq").first()
    assert officer_events is not None
    assert officer_events.officer is not None
    assert officer_events.officer.user is not None
    assert officer_events.officer.user.username == "demo.petugas"
    assert officer_events.note == "Berkas lengkap."


# --- (c) a unit head reads the scorecard and drills down to a case ----------------------------


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.fail(f"URL name {name} does not exist (yet): the leadership/transparency pages")


# --- (d) a member of the public opens the transparency pages ----------------------------------


def test_axe_reports_violations(page: Any, site: Site) -> None:
    """The check itself: on a page with known faults axe-core names them (so zero means zero)."""
    page.goto(site("/"))
    page.set_content(
        "<html><body><img src='/static/sigap/none.png'>"
        "<p style='color:#777;background:#888'>faint</p><input type=text></body></html>"
    )
    found = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "color-contrast", "label", "html-has-lang"} <= found
