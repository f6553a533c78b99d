"""The demo citizen-voice generator: deterministic, and the planted patterns are findable."""

from __future__ import annotations

from datetime import date, timedelta

from sigap.complaints.models import Complaint, ComplaintEvent
from sigap.demo.citizen_voice import build_citizen_voice, wipe_citizen_voice
from sigap.service_requests.models import ServiceRequest
from sigap.surveys import selectors
from sigap.surveys.models import SurveyResponse
from tests import factories
from tests.conftest import local


def _requests(world, n=120):
    for i in range(n):
        at = local(2025, 2, 3) + timedelta(days=i % 60, hours=i % 5)
        sr = factories.submit(world, at=at)
        if i % 10 == 0:  # overcharged: the cashier's receipt shows Rp50.000 on a free service
            factories.pay(world, sr, 50_000)
        late = i % 3 == 0
        ServiceRequest.objects.filter(pk=sr.pk).update(
            status="completed",
            finished_at=at + timedelta(days=9 if late else 1),
            assigned_officer=world.officer_a if i % 10 == 0 else world.head_a,
        )


def _snapshot():
    return (
        list(
            SurveyResponse.objects.order_by("submitted_at", "waktu").values_list("waktu", "biaya")
        ),
        sorted(Complaint.objects.values_list("category", "status")),
    )


def test_the_demo_is_deterministic_and_plants_its_patterns(world):
    _requests(world)
    summary = build_citizen_voice(seed=7, until=date(2025, 6, 1), response_rate=1.0)
    assert summary.surveys == SurveyResponse.objects.count() > 100
    assert summary.complaints == Complaint.objects.count() > 5
    assert summary.complaint_events == ComplaintEvent.objects.count()
    first = _snapshot()

    # Waktu is the weakest unsur of the planted unit (here the busiest, Loket A).
    result = selectors.overall(SurveyResponse.objects.filter(unit=world.counter_a))
    assert result.weakest == ("waktu",) or "biaya" in result.weakest
    # Pungli complaints name the overcharging officer.
    pungli = Complaint.objects.filter(category="pungli")
    assert pungli.exists()
    assert set(pungli.values_list("reported_employee", flat=True)) == {world.officer_a.pk}
    kinds = {k for k, _, _ in summary.patterns}
    assert kinds == {"ikm_weakest_unsur", "slow_complaint_follow_up", "pungli_complaints"}
    # Event sequences are complete and ordered.
    for c in Complaint.objects.all()[:20]:
        seqs = list(c.events.values_list("seq", flat=True))
        assert seqs == list(range(1, c.event_count + 1))

    wipe_citizen_voice(agency_ids=[world.agency.pk])
    assert SurveyResponse.objects.count() == Complaint.objects.count() == 0
    build_citizen_voice(seed=7, until=date(2025, 6, 1), response_rate=1.0)
    assert _snapshot() == first


def test_the_command_rebuilds_citizen_voice_on_the_existing_requests(world, capsys):
    from django.core.management import call_command

    _requests(world, n=30)
    call_command("demo_citizen_voice", seed=3, until=date(2025, 6, 1))
    first = SurveyResponse.objects.count()
    call_command("demo_citizen_voice", seed=3, until=date(2025, 6, 1))
    assert SurveyResponse.objects.count() == first > 0  # replaced, not added
    assert "planted ikm_weakest_unsur" in capsys.readouterr().out
