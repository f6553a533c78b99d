"""A new member of staff activates their account in Chromium: the one-time link from the
accounts import, a password of their own, then the ordinary log-in with NIP and password."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AxeLog, Site
from tests.browser.test_journeys import check_public

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The journey needs one employee without an account, not a large log.
BROWSER_DEMO_REQUESTS = 300
PASSWORD = "Kopi-Tubruk-Pagi-42"
MADE: dict[str, str] = {}  # nip, path: the account made by browser_demo_setup


def browser_demo_setup() -> None:
    """An officer account made by the accounts import for a demo employee who has none, with
    its activation link, committed before the server starts."""
    from django.utils import timezone

    from sigap.onboarding import plan as onboarding
    from sigap.onboarding.plan import Plan
    from sigap.organisation.models import Employee

    today = timezone.localdate()
    employee = next(
        e
        for e in Employee.objects.filter(user__isnull=True).select_related("unit__agency")
        if e.is_active_on(today)
    )
    data = f"nip,peran,unit\n{employee.nip},Petugas layanan,{employee.unit.code}\n".encode()
    planned: list[Plan] = []
    onboarding.apply(
        "accounts", data, "akun.csv", agency=employee.unit.agency, on_planned=planned.append
    )
    [link] = planned[0].payload.links
    MADE["nip"] = link.nip
    MADE["path"] = "/" + link.url.split("/", 3)[3]


def test_a_new_officer_activates_the_account_and_logs_in(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    page.goto(site(MADE["path"]))
    check_public(page, axe_log, "account-activate", shot=True)
    assert page.get_by_test_id("activation-username").inner_text() == MADE["nip"]
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/masuk/")
    assert "Kata sandi Anda sudah diatur" in page.locator("main, body").first.inner_text()
    # The link worked once: opened again, it is the page every unusable link gets.
    page.goto(site(MADE["path"]))
    assert page.get_by_test_id("activation-invalid").is_visible()
    # The ordinary log-in, with the NIP and the new password (an officer: no second factor).
    page.goto(site("/masuk/"))
    page.fill("input[name=username]", MADE["nip"])
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/masuk/" not in page.url, page.url
