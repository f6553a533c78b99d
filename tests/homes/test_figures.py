"""One definition per figure: each figure of a work home equals the figure of the page it
links to (the list behind the link, with the filter the link carries)."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from sigap.booking.models import Booking, Slot
from sigap.complaints import services as complaints
from sigap.complaints.models import Complaint
from sigap.service_requests import services as requests
from tests import factories
from tests.conftest import local


def figures(client, user, role):  # type: ignore[no-untyped-def]
    client.force_login(user)
    page = client.get(reverse("work_home"))
    (section,) = [s for s in page.context["sections"] if s.role == role]
    return {f.key: f for f in section.figures}, section


def listed(client, url: str) -> int:  # type: ignore[no-untyped-def]
    """The number of rows the linked list counts (every page of it)."""
    return client.get(url).context["page"].paginator.count


@pytest.fixture
def work(world):  # type: ignore[no-untyped-def]
    """At counter A: a request long past its due date, one returned to its applicant, one
    fresh; a complaint past its deadline and one due tomorrow."""
    factories.submit(world, at=local(2025, 3, 3))  # never received: overdue for months
    returned = factories.submit(world, at=timezone.now())
    returned = requests.service_request_receive(request=returned, officer=world.officer_a)
    requests.service_request_return(
        request=returned, officer=world.officer_a, reason="Fotokopi KK tidak terbaca"
    )
    factories.submit(world, at=timezone.now())
    reporter = complaints.Reporter(name="Ahmad Fauzi", contact="0812-3456-7890")
    complaints.complaint_submit(category="lambat", description="Lama sekali", service=world.ktp,
                                reporter=reporter, submitted_at=local(2025, 3, 27))  # fmt: skip
    soon = complaints.complaint_submit(category="lambat", description="Belum selesai",
                                       service=world.ktp, reporter=reporter)  # fmt: skip
    # Due tomorrow whatever the weekday today (the deadline counts working days).
    Complaint.objects.filter(pk=soon.pk).update(
        verify_due=timezone.localdate() + timezone.timedelta(days=1)
    )
    return world


def test_the_unit_head_s_figures_equal_the_lists_they_link_to(client, work):
    got, _section = figures(client, work.users["head_a"], "unit_head")
    assert got["overdue"].value == 1 == listed(client, got["overdue"].url)
    assert got["returned"].value == 1 == listed(client, got["returned"].url)
    assert "days" in got["returned"].detail
    assert got["complaints_overdue"].value == 1 == listed(client, got["complaints_overdue"].url)
    assert got["complaints_due_soon"].value == 1 == listed(client, got["complaints_due_soon"].url)


def test_the_officer_s_queue_and_counter_equal_their_pages(client, work):
    today = timezone.localdate()
    slot = Slot.objects.create(unit=work.counter_a, day=today, start=time(9), capacity=4)
    sr = factories.submit(work, at=timezone.now())
    now = timezone.now()
    Booking.objects.create(slot=slot, request=sr, unit=work.counter_a, created_at=now,
                           changed_at=now)  # fmt: skip
    got, section = figures(client, work.users["officer_a"], "officer")
    assert got["queue"].value == 4 == listed(client, got["queue"].url)
    assert [r.receipt_code for r in section.queue][:1]
    assert got["counter_today"].value == "1 / 4"
    rows = client.get(got["counter_today"].url).context["rows"]
    assert sum(len(bookings) for _slot, _past, bookings in rows) == 1


def test_an_officer_elsewhere_sees_none_of_it(client, work):
    got, section = figures(client, work.users["officer_b"], "officer")
    assert got["queue"].value == 0 and section.queue == []
    assert "counter_today" not in got


def test_leadership_gets_a_short_list_each_with_its_evidence(client, work):
    got, section = figures(client, work.users["leadership"], "leadership")
    assert len(section.figures) <= 5
    assert got["overdue"].value == 1 == listed(client, got["overdue"].url)
    assert got["complaints_overdue"].value == 1 == listed(client, got["complaints_overdue"].url)


def test_hr_s_appraisal_counts_add_up_to_the_overview(client, world):
    got, section = figures(client, world.users["hr"], "hr")
    total = listed(client, got["appraisals_rated"].url)
    assert got["appraisals_pending"].value + got["appraisals_rated"].value == total
    assert total == 3  # the three employees of the test kabupaten
    assert [state for *_n, state in section.calendar].count("current") == 1


def test_hr_s_final_count_is_the_overview_s_year_status(client, world):
    """One employee's yearly appraisal made final: rated 1, not yet final the other 2."""
    from django.utils import timezone

    from sigap.appraisals.models import Appraisal, PerformancePlan

    year = timezone.localdate().year
    plan = PerformancePlan.objects.create(
        employee=world.officer_a, unit=world.officer_a.unit, year=year, period_kind="triwulanan"
    )
    now = timezone.now()
    Appraisal.objects.create(
        plan=plan, unit=plan.unit, period=0, hasil_kerja="sesuai", perilaku_kerja="sesuai",
        predikat="baik", rated_at=now, status=Appraisal.Status.FINAL, finalised_at=now,
    )  # fmt: skip
    got, _section = figures(client, world.users["hr"], "hr")
    assert (got["appraisals_rated"].value, got["appraisals_pending"].value) == (1, 2)


def test_the_cashier_counts_the_payments_waiting_for_their_request(client, world):
    from sigap.payments.services import payment_record

    payment_record(user=world.users["cashier"], unit=world.dukcapil, source="bank",
                   reference="TRF-0001", amount=25_000, paid_at=timezone.now(),
                   receipt_code="", description="transfer tanpa kode")  # fmt: skip
    got, _section = figures(client, world.users["cashier"], "cashier")
    assert got["unreconciled"].value == 1
    page = client.get(got["unreconciled"].url)
    assert got["unreconciled"].value == page.context["unreconciled_count"]


def test_every_figure_links_to_a_page_its_reader_may_open(client, work):
    for persona in ("officer_a", "head_a", "hr", "inspector", "ombudsman", "leadership",
                    "cashier", "admin"):  # fmt: skip
        client.force_login(work.users[persona])
        for section in client.get(reverse("work_home")).context["sections"]:
            for item in [*section.figures, *section.links]:
                status = client.get(item.url).status_code
                assert status == 200, (persona, item.url, status)


def _scorecard(world, **values):  # type: ignore[no-untyped-def]
    """A stored scorecard row of counter A for 2025-Q1 (what `sigap leadership refresh` writes)."""
    from datetime import date

    from sigap.leadership.models import ScorecardRefresh, UnitScorecard

    refresh = ScorecardRefresh.objects.create(finished_at=timezone.now(), as_of=date(2025, 4, 30))
    return UnitScorecard.objects.create(
        refresh=refresh, unit=world.counter_a, peer_group="unit_layanan", period_kind="quarter",
        period_label="2025-Q1", period_start=date(2025, 1, 1), period_end=date(2025, 3, 31),
        **values,
    )  # fmt: skip


def test_the_lowest_unsur_and_the_on_time_drop_are_those_of_the_scorecard(client, world):
    _scorecard(world, weakest_element="persyaratan", weakest_nrr=2.71, skm_responses=40,
               sla_cases=50, sla_met=30, sla_share=0.6, trends={"sla_share": -0.125})  # fmt: skip
    got, _section = figures(client, world.users["head_a"], "unit_head")
    unit_page = client.get(got["weakest_unsur"].url)
    row = unit_page.context["row"]
    assert row.weakest_nrr == 2.71 and unit_page.context["weakest"] == "Persyaratan"
    assert got["weakest_unsur"].value == "Persyaratan (NRR 2.71)"
    lead, _section = figures(client, world.users["leadership"], "leadership")
    assert lead["sla_drop"].value == "−12.5 pp"
    assert lead["sla_drop"].url == got["weakest_unsur"].url  # the unit's page, same period
    assert lead["weakest_unsur"].value == got["weakest_unsur"].value


def test_an_unsur_rated_well_or_on_a_small_sample_needs_no_attention(client, world):
    _scorecard(world, weakest_element="persyaratan", weakest_nrr=2.71, skm_responses=4)
    got, _section = figures(client, world.users["head_a"], "unit_head")
    assert "weakest_unsur" not in got


def test_the_akpk_is_reached_from_the_homes_and_the_competency_pages(client, world):
    """The unit head reaches their unit's plan of the year being planned, HR the agency's."""
    year = timezone.localdate().year + 1
    unit_plan = reverse("competency_plan_unit", args=[year, world.counter_a.pk])
    agency_plan = reverse("competency_plan_agency", args=[year])
    _, head = figures(client, world.users["head_a"], "unit_head")
    assert unit_plan in [link.url for link in head.links]
    _, hr = figures(client, world.users["hr"], "hr")
    assert agency_plan in [link.url for link in hr.links]
    client.force_login(world.users["head_a"])
    team = client.get(reverse("competency_team")).content.decode()
    assert f'href="{unit_plan}"' in team
    client.force_login(world.users["hr"])
    agency = client.get(reverse("competency_agency")).content.decode()
    assert f'href="{agency_plan}?instansi={world.agency.pk}"' in agency
