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
        sr = factories.submit(world, at=local(2025, 3, day), officer=world.officer_a)
        if amount:
            factories.pay(world, sr, amount)


def test_rows_carry_the_tariff_in_force_and_the_intake_officer(world):
    _paid(world, [50_000])
    (row,) = request_rows(date(2025, 3, 1), date(2025, 3, 31))
    assert (row.paid, row.tariff, row.statements) == (50_000, 0, ())
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


def _statements(world):
    """Officer A: one request paid above the tariff (a reconciled payment), one the citizen
    says cost money (an SKM comment), one with a pungli complaint; one quiet request."""
    from sigap.complaints.services import Reporter, complaint_submit
    from sigap.notifications.survey_links import survey_token
    from sigap.rules.ikm import ELEMENT_CODES
    from sigap.surveys.services import survey_submit

    paid, said, complained, quiet = (
        factories.submit(world, at=local(2025, 3, day), officer=world.officer_a)
        for day in (3, 4, 5, 6)
    )
    factories.pay(world, paid, 50_000)
    for rated in (said, quiet):  # the SKM is for a completed request
        factories.complete(world, rated, at=local(2025, 3, 7))
    response = survey_submit(
        service=world.ktp,
        answers=dict.fromkeys(ELEMENT_CODES, 2),
        comment="Katanya gratis tapi tetap bayar.",
        receipt_code=said.receipt_code,
        receipt_token=survey_token(said.receipt_code),
        submitted_at=local(2025, 3, 10),
    )
    survey_submit(
        service=world.ktp,
        answers=dict.fromkeys(ELEMENT_CODES, 4),
        comment="Ruang tunggu bersih, tidak dipungut biaya.",
        receipt_code=quiet.receipt_code,
        receipt_token=survey_token(quiet.receipt_code),
        submitted_at=local(2025, 3, 10),
    )
    complaint = complaint_submit(
        category="pungli",
        description="Berkas saya ditahan.",  # no word of paying: the category says it
        reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
        receipt_code=complained.receipt_code,
    )
    return paid, said, complained, quiet, response, complaint


def test_citizen_statements_that_mention_paying_are_read_per_request(world):
    paid, said, complained, quiet, response, complaint = _statements(world)
    rows = {r.receipt: r for r in request_rows(date(2025, 3, 1), date(2025, 3, 31))}
    assert (rows[paid.receipt_code].paid, rows[paid.receipt_code].statements) == (50_000, ())
    assert rows[said.receipt_code].statements == (f"skm:{response.pk}",)
    assert rows[complained.receipt_code].statements == (f"complaint:{complaint.receipt_code}",)
    assert rows[quiet.receipt_code].statements == ()  # denies paying: not a statement


def test_an_overcharge_flag_says_it_rests_on_payments_and_statements(world):
    paid, said, complained, _quiet, _response, _complaint = _statements(world)
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    signal = IntegritySignal.objects.get(kind="overcharge")
    assert signal.flagged and signal.summary["evidence"] == "both"
    assert signal.evidence == [paid.receipt_code, said.receipt_code, complained.receipt_code]
    assert signal.summary["case_evidence"] == {
        paid.receipt_code: "payments",
        said.receipt_code: "statements",
        complained.receipt_code: "statements",
    }
    assert signal.summary["excess_rupiah"] == 50_000


def test_an_amount_typed_at_intake_is_not_evidence(world):
    """Migration 0002 keeps typed amounts as payments of source "intake": never counted."""
    from django.utils import timezone

    from sigap.payments.models import Payment

    sr = factories.submit(world, at=local(2025, 3, 3), officer=world.officer_a)
    Payment.objects.create(
        source="intake",
        reference=f"ENTRI-{sr.receipt_code}",
        amount=50_000,
        paid_at=sr.submitted_at,
        unit=sr.unit,
        request=sr,
        recorded_at=timezone.now(),
    )
    (row,) = request_rows(date(2025, 3, 1), date(2025, 3, 31))
    assert row.paid == 0
