"""The evidence job against hand-counted service data on the small world."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from sigap.appraisals.evidence import evidence_refresh
from sigap.appraisals.models import EvidenceSnapshot
from sigap.service_requests import services as sr
from tests import factories
from tests.conftest import local


def _finish(world, request, officer, day: int, *, returned: bool = False) -> None:
    """Receive and complete every step on 2025-04-`day`, 1 hour apart (returning once if asked)."""
    sr.service_request_receive(request=request, officer=officer, at=local(2025, 4, day, 9))
    if returned:
        sr.service_request_return(
            request=request,
            officer=officer,
            reason="Fotokopi KK kurang",
            at=local(2025, 4, day, 9, 30),
        )
        sr.service_request_resume(request=request, officer=officer, at=local(2025, 4, day, 9, 45))
    for hour in range(10, 14):
        sr.service_request_complete_step(
            request=request, officer=officer, at=local(2025, 4, day, hour)
        )


@pytest.fixture
def served(world):
    """Officer A finishes 2 KTP requests within the SLA, one of them after a return; officer B
    does nothing. Head A only registers requests at the counter."""
    first = factories.submit(world, at=local(2025, 4, 1, 8), officer=world.officer_a)
    second = factories.submit(world, at=local(2025, 4, 2, 8), officer=world.officer_a)
    _finish(world, first, world.officer_a, 2)
    _finish(world, second, world.officer_a, 3, returned=True)
    return world


def test_officer_evidence_is_counted_from_the_events(served):
    assert evidence_refresh(year=2025) == 1
    ev = EvidenceSnapshot.objects.get(employee=served.officer_a, year=2025)
    assert ev.requests_handled == 2
    assert ev.throughput == 8  # 4 steps done on each request
    assert (ev.completed, ev.sla_share) == (2, 1.0)
    assert (ev.returns, ev.rework_rate) == (1, 0.5)
    assert ev.median_hours == pytest.approx(1.0)
    assert ev.complaints == 0 and ev.ikm is None  # no survey answers in the world
    assert ev.composite == pytest.approx(0.5)  # alone in the agency: the middle


def test_refresh_is_rerunnable_and_years_are_separate(served):
    evidence_refresh(year=2025)
    evidence_refresh(year=2025)
    assert EvidenceSnapshot.objects.filter(year=2025).count() == 1
    assert evidence_refresh(year=2024) == 0


def test_the_command_runs(served, capsys):
    call_command("refresh-evidence", year=2025)
    assert "Evidence 2025: 1 officers" in capsys.readouterr().out


def test_ikm_and_complaints_about_the_officer_are_included(served):
    from sigap.complaints.models import Complaint
    from sigap.complaints.services import Reporter, complaint_submit
    from sigap.rules.ikm import ELEMENT_CODES
    from sigap.service_requests.models import ServiceRequest
    from sigap.surveys.models import SurveyResponse

    first, second = ServiceRequest.objects.order_by("submitted_at")
    # one respondent answers 4 everywhere, the other 3 everywhere: NRR 3.5 → IKM 87.50
    for request, answer in ((first, 4), (second, 3)):
        SurveyResponse.objects.create(
            service=request.service,
            unit=request.unit,
            service_request=request,
            submitted_at=local(2025, 4, 10),
            channel="receipt",
            **dict.fromkeys(ELEMENT_CODES, answer),
        )
    complaint = complaint_submit(
        category="lambat",
        description="Petugas tidak ramah",
        reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
        receipt_code=first.receipt_code,
        submitted_at=local(2025, 4, 11),
    )
    Complaint.objects.filter(pk=complaint.pk).update(reported_employee=served.officer_a)
    evidence_refresh(year=2025)
    ev = EvidenceSnapshot.objects.get(employee=served.officer_a, year=2025)
    assert (ev.ikm, ev.ikm_respondents, ev.complaints) == (87.5, 2, 1)
