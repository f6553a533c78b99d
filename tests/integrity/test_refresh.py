"""`sigap integrity refresh`: operational rows in, narrow result rows out, audited."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command

from sigap.audit.models import AuditEntry
from sigap.integrity.models import IntegrityRun, IntegritySignal
from sigap.integrity.services import integrity_refresh, request_rows, thresholds
from sigap.service_requests import services
from tests import factories
from tests.conftest import local


def _paid(world, amounts):
    for day, amount in enumerate(amounts, start=3):
        factories.submit(world, at=local(2025, 3, day), amount_paid=amount, officer=world.officer_a)


def test_rows_carry_the_tariff_in_force_and_the_intake_officer(world):
    _paid(world, [50_000])
    (row,) = request_rows(date(2025, 3, 1), date(2025, 3, 31))
    assert (row.amount_paid, row.tariff) == (50_000, 0)
    assert row.counter_officer == world.officer_a.pk
    assert row.gender == "L" and row.region == "Sukamaju"


def test_returns_and_pauses_are_read_from_the_event_log(world):
    sr = factories.submit(world, at=local(2025, 3, 3))
    services.service_request_receive(request=sr, officer=world.officer_a, at=local(2025, 3, 3, 10))
    services.service_request_return(
        request=sr, officer=world.officer_a, reason="KK kurang", at=local(2025, 3, 3, 11)
    )
    (row,) = request_rows(date(2025, 3, 1), date(2025, 3, 31))
    assert row.returns == 1 and row.paused and row.officer == world.officer_a.pk


def test_refresh_stores_overcharges_with_their_evidence_and_is_audited(world):
    _paid(world, [50_000, 0, 25_000])
    run = integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    signal = IntegritySignal.objects.get(kind="overcharge")
    assert signal.officer == world.officer_a and signal.unit == world.counter_a
    assert signal.flagged and len(signal.evidence) == 2
    risk = IntegritySignal.objects.get(kind="officer_risk")
    assert risk.flagged and risk.evidence == [f"overcharge:{c}" for c in signal.evidence]
    entry = AuditEntry.objects.get(action="integrity.refresh")
    assert entry.data["flagged"] == run.flagged == 2


def test_refresh_replaces_the_previous_results(world):
    _paid(world, [50_000, 50_000])
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    assert IntegrityRun.objects.count() == 1
    assert IntegritySignal.objects.filter(kind="overcharge").count() == 1


def test_thresholds_come_from_settings(settings):
    settings.SIGAP = {
        **settings.SIGAP,
        "INTEGRITY_THRESHOLDS": {"overcharge_min_cases": 1, "jump_tolerance": 30},
    }
    t = thresholds()
    assert t.overcharge_min_cases == 1 and t.jump_tolerance.total_seconds() == 1800


def test_the_command_reports_what_it_found(world):
    _paid(world, [50_000, 50_000])
    out = StringIO()
    call_command("integrity", "refresh", stdout=out)
    assert "2 flagged." in out.getvalue()
