"""The demo's payments are evidence as a cashier and the bank would record them, and the
planted overcharging stays detectable by the integrity run: through reconciled cash receipts
above the tariff and through what citizens say."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.demo.models import PlantedPattern
from sigap.integrity.models import IntegritySignal
from sigap.integrity.services import integrity_refresh
from sigap.payments.models import Payment
from sigap.service_requests.models import ServiceRequest
from tests.demo.conftest import UNTIL

pytestmark = pytest.mark.django_db


def test_tariffed_requests_are_paid_through_a_reference_and_some_wait_for_the_cashier(
    small_demo: str,
) -> None:
    tariffed = ServiceRequest.objects.filter(standard__tariff_rupiah__gt=0).exclude(
        status="rejected"
    )
    assert tariffed.exists()
    paid = set(Payment.objects.values_list("request_id", flat=True))
    unpaid = tariffed.exclude(pk__in=paid)
    # Only bank transfers whose description lacks the receipt code are not reconciled.
    assert unpaid.count() == Payment.objects.filter(request__isnull=True).count()
    assert set(Payment.objects.values_list("source", flat=True)) == {
        "eretribusi", "qris", "bank", "kuitansi",
    }  # fmt: skip
    assert not Payment.objects.filter(source="intake").exists()


def test_the_planted_overchargers_are_found_and_each_flag_names_its_evidence(
    small_demo: str,
) -> None:
    integrity_refresh(since=date(UNTIL.year - 3, 1, 1), until=UNTIL)
    planted = {
        p.subject: p.detail
        for p in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.OVERCHARGING)
    }
    signals = {
        s.officer.nip: s
        for s in IntegritySignal.objects.filter(kind="overcharge").select_related("officer")
    }
    flagged = {nip for nip, s in signals.items() if s.flagged}
    assert flagged <= set(planted)  # nobody else: no false positive
    assert set(planted) <= set(signals)  # every planted officer has at least one case
    for nip, detail in planted.items():
        signal = signals[nip]
        by_payment = {
            code for code, kind in signal.summary["case_evidence"].items() if kind != "statements"
        }
        # A case by payment is exactly a planted request with the excess on its receipt.
        assert by_payment == set(detail["on_receipt"])
        assert set(signal.evidence) <= set(detail["requests"])
        if len(detail["on_receipt"]) >= 2:
            assert nip in flagged and signal.summary["evidence"] in ("payments", "both")
    # On 2,000 requests the smallest planted officer (3 overcharged requests, one on a receipt,
    # no citizen who spoke) stays below the two cases a flag needs, as it would in life; the
    # others are found, on both kinds of evidence.
    assert len(flagged) >= 2
    assert {signals[nip].summary["evidence"] for nip in flagged} == {"both"}
