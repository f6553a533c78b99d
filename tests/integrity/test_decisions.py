"""The Inspektorat confirms or dismisses a signal about an officer: `signal_decide`."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.integrity.models import SignalDecision
from sigap.integrity.services import signal_decide
from tests import factories
from tests.appraisals.conftest import overcharge_signal

REASON = "Kuitansi dan keterangan warga cocok: pungutan terbukti."


def test_a_confirmed_finding_keeps_the_cases_period_and_reason_and_is_audited(world):
    signal = overcharge_signal(world, 3)
    decision = signal_decide(
        signal=signal, outcome="confirmed", reason=REASON, actor=world.users["inspector"]
    )
    assert (decision.officer, decision.kind, decision.outcome) == (
        world.officer_a,
        "overcharge",
        "confirmed",
    )
    assert decision.cases == signal.evidence and len(decision.cases) == 3
    # the period of the cases (3, 4 and 5 March), not the run's whole month
    assert (decision.period_start.isoformat(), decision.period_end.isoformat()) == (
        "2025-03-03",
        "2025-03-05",
    )
    assert decision.reason == REASON and decision.decided_by == world.users["inspector"]
    entry = AuditEntry.objects.get(action="integrity.confirmed")
    assert entry.object_id == str(decision.pk)
    assert entry.data == {"signal": signal.pk, "kind": "overcharge", "officer": world.officer_a.pk,
                          "cases": 3}  # fmt: skip
    assert REASON not in str(entry.data)  # free text stays on the decision row


def test_the_decision_outlives_the_next_refresh_and_new_cases_are_open_again(world):
    signal = overcharge_signal(world, 2)
    signal_decide(signal=signal, outcome="dismissed", reason=REASON, actor=world.users["inspector"])
    again = overcharge_signal(world, 2)  # a refresh replaces the signal rows: 4 cases now
    assert SignalDecision.objects.count() == 1 and again.pk != signal.pk
    second = signal_decide(
        signal=again, outcome="confirmed", reason=REASON, actor=world.users["inspector"]
    )
    assert set(second.cases) == set(again.evidence) - set(signal.evidence)
    with pytest.raises(ValidationError) as exc:
        signal_decide(signal=again, outcome="confirmed", reason=REASON,
                      actor=world.users["inspector"])  # fmt: skip
    assert "signal" in exc.value.message_dict


@pytest.mark.parametrize(
    ("outcome", "reason", "field"),
    [("upheld", REASON, "outcome"), ("confirmed", "ok", "reason"), ("confirmed", "  ", "reason")],
)
def test_bad_input_names_the_field_and_writes_nothing(world, outcome, reason, field):
    signal = overcharge_signal(world, 2)
    with pytest.raises(ValidationError) as exc:
        signal_decide(signal=signal, outcome=outcome, reason=reason,
                      actor=world.users["inspector"])  # fmt: skip
    assert field in exc.value.message_dict
    assert not SignalDecision.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="integrity.c").exists()


@pytest.mark.parametrize("persona", ["hr", "head_a", "ombudsman", "leadership", "admin"])
def test_only_the_inspektorat_decides_even_when_called_directly(world, persona):
    signal = overcharge_signal(world, 2)
    with pytest.raises(PermissionDenied):
        signal_decide(signal=signal, outcome="confirmed", reason=REASON,
                      actor=world.users[persona])  # fmt: skip
    assert not SignalDecision.objects.exists()


def test_an_inspector_of_another_opd_may_not_decide(world):
    signal = overcharge_signal(world, 2)
    other = factories.user("insp_dinkes", Role.INSPECTOR, world.dinkes)
    with pytest.raises(PermissionDenied):
        signal_decide(signal=signal, outcome="confirmed", reason=REASON, actor=other)


def test_the_signal_page_offers_the_decision_to_the_inspector_only(client, world):
    signal = overcharge_signal(world, 2)
    client.force_login(world.users["inspector"])
    url = f"/inspektorat/sinyal/{signal.pk}/"
    assert f"{url}keputusan/" in client.get(url).content.decode()
    response = client.post(f"{url}keputusan/", {"outcome": "confirmed", "reason": REASON})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert REASON in page and "Confirmed finding" in page
    client.force_login(world.users["ombudsman"])
    page = client.get(url).content.decode()
    assert REASON in page and f"{url}keputusan/" not in page  # read-only for the Ombudsman
    assert (
        client.post(f"{url}keputusan/", {"outcome": "dismissed", "reason": REASON}).status_code
        == 403
    )


def test_a_missing_reason_is_named_in_indonesian_on_the_page(client, world, settings):
    settings.LANGUAGE_CODE = "id"  # as the site opens
    signal = overcharge_signal(world, 2)
    client.force_login(world.users["inspector"])
    url = f"/inspektorat/sinyal/{signal.pk}/"
    client.post(f"{url}keputusan/", {"outcome": "confirmed", "reason": "ok"})
    page = client.get(url).content.decode()
    assert "Alasan: Tuliskan alasan keputusan" in page
    assert not SignalDecision.objects.exists()
