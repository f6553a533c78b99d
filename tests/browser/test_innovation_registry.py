"""The innovation registry and ideas in Chromium, in Indonesian.

(a) The head of the Dukcapil counter registers an innovation, moves it to trial, is refused an
application date before the trial (the refusal read in Indonesian), then records it.
(b) An officer proposes an idea from a roadmap action, a colleague endorses it, the head accepts
it and it appears in the registry.
(c) The head edits an innovation's profile, records a replication (refused first) and declines
an idea with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.conftest import SITE_LANGUAGE, AxeLog, Site
from tests.browser.test_journeys import check_internal, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Enough of a demo for the counter's people and its services.
BROWSER_DEMO_REQUESTS = 300
COLLEAGUE = "demo.rekan"
ACTION_TITLE = "Percepat verifikasi berkas (uji peramban)"


def _counter() -> Any:
    from sigap.accounts.models import RoleAssignment

    return RoleAssignment.objects.select_related("unit").get(user__username="demo.kepala").unit


def browser_demo_setup() -> None:
    """A colleague of the demo officer with a log-in, and a roadmap action of their counter
    (committed before the server starts)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from sigap.accounts.models import Role
    from sigap.accounts.services import seed_role_assignment
    from sigap.demo.build import DEMO_PASSWORD
    from sigap.leadership.models import RoadmapAction
    from sigap.organisation.models import Employee

    unit = _counter()
    user = get_user_model().objects.create(
        username=COLLEAGUE, password=make_password(DEMO_PASSWORD), first_name="Rekan loket"
    )
    seed_role_assignment(user=user, role=Role.OFFICER, unit=unit)
    employee = Employee.objects.filter(unit=unit, user__isnull=True).order_by("pk").first()
    assert employee is not None, "the demo counter has no employee without a log-in"
    employee.user = user
    employee.save(update_fields=["user"])
    RoadmapAction.objects.create(
        unit=unit,
        direction="digitalisation",
        gap_key="complaints_on_time_share",
        metric_key="complaints_on_time_share",
        title=ACTION_TITLE,
        evidence="Waktu penyelesaian melampaui standar.",
        baseline_value=0.6,
        baseline_period_kind="quarter",
        baseline_period="2025-Q1",
        target_value=0.9,
        gap=0.3,
        citizens=900,
        priority=270.0,
        created_at=timezone.now(),
    )
    _edit_subjects(unit)


EDITED = "Pengingat jadwal pengambilan KTP-el (uji peramban)"
DECLINED = "Loket khusus lansia (uji peramban)"


def _edit_subjects(unit: Any) -> None:
    """(c)'s innovation in application and an open idea, through the write functions (their
    row locks and writes end with the setup's own transaction, before the server starts: a lock
    held by the test's transaction would stall the server's log-in on PostgreSQL)."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from sigap.innovation import services

    head = get_user_model().objects.get(username="demo.kepala")
    officer = get_user_model().objects.get(username="demo.petugas")
    made = services.innovation_create(
        actor=head,
        name=EDITED,
        initiator="unit",
        form="public_service",
        kind="digital",
        urusan="civil_registration",
        initiated_on=date(2025, 1, 6),
        units=[unit],
    )
    services.innovation_set_stage(actor=head, innovation=made, stage="trial", on=date(2025, 2, 3))
    services.innovation_set_stage(actor=head, innovation=made, stage="applied", on=date(2025, 3, 3))
    services.idea_propose(
        actor=officer,
        unit=unit,
        title=DECLINED,
        problem="Lansia mengantre lama.",
        proposal="Satu loket khusus lansia setiap pagi.",
    )


@pytest.fixture
def second_tab(browser: Any, site: Site) -> Iterator[Any]:
    """Another person's browser (its own cookies), in Indonesian."""
    opened: list[Any] = []

    def open_tab() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": SITE_LANGUAGE, "url": site.url}]
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        return context.new_page()

    yield open_tab
    for context in opened:
        context.close()


def _submit(page: Any, form: Any) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_unit_head_registers_an_innovation_and_moves_it_to_application(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    from sigap.innovation.models import Innovation

    unit = _counter()
    service = unit.services.order_by("pk").first()
    log_in(page, site, axe_log, "demo.kepala", check=False)
    page.goto(site(reverse("innovation_list")))
    check_internal(page, axe_log, "innovation-registry")
    page.get_by_test_id("innovation-new-link").click()
    page.wait_for_load_state()
    check_internal(page, axe_log, "innovation-form")
    form = page.get_by_test_id("innovation-form")
    form.locator("input[name=name]").fill("Antrean daring perekaman KTP-el")
    form.locator("select[name=initiator]").select_option("unit")
    form.locator("select[name=form]").select_option("public_service")
    form.locator("select[name=kind]").select_option("digital")
    form.locator("select[name=urusan]").select_option("civil_registration")
    # The indicator it aims to improve: its primary outcome when its effect is measured.
    target = form.locator("select[name=target_kpi]")
    assert target.input_value() == ""  # none declared unless chosen
    target.select_option(label="Waktu penyelesaian (hari kerja)")
    form.locator("input[name=initiated_on]").fill("2025-01-06")
    form.locator(f"input[name=units][value='{unit.pk}']").check()
    form.locator(f"input[name=services][value='{service.pk}']").check()
    form.locator("textarea[name=design]").fill("Pemohon mengambil nomor antrean dari rumah.")
    _submit(page, form)
    made = Innovation.objects.get(name="Antrean daring perekaman KTP-el")
    assert page.url.endswith(reverse("innovation_detail", args=[made.pk]))
    assert "Inisiatif" in page.get_by_test_id("innovation-stage").inner_text()
    assert made.target_kpi == "lead_time"
    assert page.get_by_test_id("innovation-target").inner_text() == (
        "Waktu penyelesaian (hari kerja)"
    )
    check_internal(page, axe_log, "innovation-detail")

    # To trial.
    page.get_by_test_id("stage-link").click()
    page.wait_for_load_state()
    check_internal(page, axe_log, "innovation-stage-form")
    form = page.get_by_test_id("stage-form")
    form.locator("select[name=stage]").select_option("trial")
    form.locator("input[name=on]").fill("2025-02-03")
    _submit(page, form)
    assert "Uji coba" in page.get_by_test_id("innovation-stage").inner_text()

    # An application before the trial: refused, said in Indonesian, nothing written.
    page.get_by_test_id("stage-link").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("stage-form")
    form.locator("select[name=stage]").select_option("applied")
    form.locator("input[name=on]").fill("2025-02-01")
    _submit(page, form)
    refusal = page.get_by_test_id("stage-form").inner_text()
    assert "Penerapan tidak dapat dimulai sebelum uji coba" in refusal, refusal
    check_internal(page, axe_log, "innovation-stage-refused")
    made.refresh_from_db()
    assert made.stage == "trial" and made.applied_on is None

    form = page.get_by_test_id("stage-form")
    form.locator("select[name=stage]").select_option("applied")
    form.locator("input[name=on]").fill("2025-03-03")
    _submit(page, form)
    assert "Penerapan" in page.get_by_test_id("innovation-stage").inner_text()
    made.refresh_from_db()
    assert made.stage == "applied" and str(made.applied_on) == "2025-03-03"
    history = page.get_by_test_id("stage-history").inner_text()
    assert "Inisiatif" in history and "Uji coba" in history and "Penerapan" in history


def test_an_idea_from_a_roadmap_action_is_endorsed_accepted_and_registered(
    page: Any, site: Site, axe_log: AxeLog, second_tab: Any
) -> None:
    from sigap.innovation.models import Idea
    from sigap.leadership.models import RoadmapAction

    action = RoadmapAction.objects.get(title=ACTION_TITLE)
    title = "Unggah berkas sebelum datang ke loket"

    # The officer proposes it from the roadmap action (the prefilled link).
    log_in(page, site, axe_log, "demo.petugas", check=False)
    page.goto(site(f"{reverse('idea_new')}?sumber=roadmap&aksi={action.pk}"))
    check_internal(page, axe_log, "idea-form")
    form = page.get_by_test_id("idea-form")
    assert form.locator("select[name=roadmap_action]").input_value() == str(action.pk)
    assert form.locator("select[name=source]").input_value() == "roadmap"
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=problem]").fill("Banyak pemohon kembali karena berkas kurang.")
    form.locator("textarea[name=proposal]").fill("Pemohon mengunggah berkas untuk diperiksa.")
    _submit(page, form)
    idea = Idea.objects.get(title=title)
    assert page.url.endswith(reverse("idea_detail", args=[idea.pk]))
    assert ACTION_TITLE in page.get_by_test_id("idea-source").inner_text()
    assert page.get_by_test_id("endorse-form").count() == 0  # not one's own idea
    check_internal(page, axe_log, "idea-detail")

    # A colleague endorses it.
    colleague = second_tab()
    log_in(colleague, site, axe_log, COLLEAGUE, check=False)
    colleague.goto(site(reverse("idea_list")))
    check_internal(colleague, axe_log, "idea-list")
    colleague.get_by_role("link", name=title).click()
    colleague.wait_for_load_state()
    _submit(colleague, colleague.get_by_test_id("endorse-form"))
    assert idea.endorsements.count() == 1
    assert "Belum ada dukungan" not in colleague.get_by_test_id("endorsements").inner_text()

    # The head accepts it into the registry.
    head = second_tab()
    log_in(head, site, axe_log, "demo.kepala", check=False)
    head.goto(site(reverse("idea_detail", args=[idea.pk])))
    form = head.get_by_test_id("accept-form")
    form.locator("select[name=form]").select_option("public_service")
    form.locator("select[name=kind]").select_option("digital")
    form.locator("select[name=urusan]").select_option("civil_registration")
    _submit(head, form)
    idea.refresh_from_db()
    assert idea.status == "accepted" and idea.innovation is not None
    assert head.url.endswith(reverse("innovation_detail", args=[idea.innovation.pk]))
    head.goto(site(reverse("innovation_list")))
    rows = head.get_by_test_id("innovation-list").inner_text()
    assert title in rows


def test_the_head_edits_an_innovation_records_a_replication_and_declines_an_idea(
    page: Any, site: Site, axe_log: AxeLog
) -> None:
    """(c) The forms (a) and (b) do not submit: the profile edit, the replication and the
    decline, each through Chromium in Indonesian."""
    from datetime import date

    from sigap.innovation.models import Idea, Innovation, Replication

    made = Innovation.objects.get(name=EDITED)
    idea = Idea.objects.get(title=DECLINED)

    log_in(page, site, axe_log, "demo.kepala", check=False)
    # The profile.
    page.goto(site(reverse("innovation_detail", args=[made.pk])))
    page.get_by_test_id("edit-link").click()
    page.wait_for_load_state()
    check_internal(page, axe_log, "innovation-edit-form")
    form = page.get_by_test_id("innovation-form")
    assert form.locator("select[name=urusan]").input_value() == "civil_registration"
    form.locator("textarea[name=results]").fill("Pemohon yang lupa jadwal turun separuh.")
    _submit(page, form)
    assert page.url.endswith(reverse("innovation_detail", args=[made.pk]))
    assert "Pemohon yang lupa jadwal turun separuh." in page.locator("main").inner_text()
    made.refresh_from_db()
    assert made.results == "Pemohon yang lupa jadwal turun separuh."

    # A replication by another region, first dated before the application: refused in
    # Indonesian, nothing written; then recorded.
    page.get_by_test_id("replicate-link").click()
    page.wait_for_load_state()
    check_internal(page, axe_log, "innovation-replication-form")
    form = page.get_by_test_id("replication-form")
    form.locator("input[name=adopter_region]").fill("Kabupaten Sebelah")
    form.locator("input[name=adopted_on]").fill("2025-03-01")
    _submit(page, form)
    refusal = page.get_by_test_id("replication-form").inner_text()
    assert "Adopsi tidak dapat mendahului penerapan inovasi asalnya" in refusal, refusal
    assert not Replication.objects.filter(original=made).exists()
    form = page.get_by_test_id("replication-form")
    form.locator("input[name=adopted_on]").fill("2025-06-02")
    _submit(page, form)
    assert "Kabupaten Sebelah" in page.get_by_test_id("adoptions").inner_text()
    assert Replication.objects.get(original=made).adopted_on == date(2025, 6, 2)

    # The idea, declined with the reason, which the page then shows.
    page.goto(site(reverse("idea_detail", args=[idea.pk])))
    form = page.get_by_test_id("decline-form")
    form.locator("textarea[name=decision_note]").fill("Sudah ada loket prioritas.")
    _submit(page, form)
    check_internal(page, axe_log, "idea-declined")
    status = page.get_by_test_id("idea-status").inner_text()
    assert "Tidak ditindaklanjuti" in status and "Sudah ada loket prioritas." in status, status
    idea.refresh_from_db()
    assert idea.status == "declined"
    assert Innovation.objects.filter(name=idea.title).count() == 0
