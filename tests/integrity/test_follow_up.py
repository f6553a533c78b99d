"""A signal is assigned to an inspector and closed with a note: inspectors only, audited,
and it outlives the refresh that replaces the signal rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.integrity import selectors, services
from sigap.integrity.models import IntegritySignal, SignalFollowUpEvent
from sigap.integrity.services import integrity_refresh
from sigap.web.formatting import money
from tests import factories
from tests.conftest import local


@pytest.fixture
def signal(world):  # type: ignore[no-untyped-def]
    """Officer A (counter A) overcharged twice in March 2025: a flagged signal."""
    for day in (3, 4):
        sr = factories.submit(world, at=local(2025, 3, day), officer=world.officer_a)
        factories.pay(world, sr, 50_000)
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    return IntegritySignal.objects.get(kind="overcharge", officer=world.officer_a)


def test_an_inspector_assigns_then_closes_a_signal_with_a_note(client, world, signal):
    inspector = world.users["inspector"]
    client.force_login(inspector)
    assert signal in selectors.new_signals(inspector)
    r = client.post(reverse("integrity_signal_assign", args=[signal.pk]),
                    {"assignee": inspector.pk})  # fmt: skip
    assert r.status_code == 302
    assert signal not in selectors.new_signals(inspector)
    assert signal in selectors.assigned_to(inspector)
    client.post(reverse("integrity_signal_close", args=[signal.pk]),
                {"note": "Sudah diperiksa: kuitansi sesuai, petugas ditegur."})  # fmt: skip
    follow_up = selectors.follow_up_for(signal)
    assert follow_up is not None and follow_up.is_closed and follow_up.assignee == inspector
    assert [e.action for e in follow_up.events.all()] == ["assigned", "closed"]
    actions = list(AuditEntry.objects.filter(action__startswith="integrity.").values_list(
        "action", "actor_user_id"))  # fmt: skip
    assert ("integrity.assign", inspector.pk) in actions
    assert ("integrity.close", inspector.pk) in actions
    # The note stays on the follow-up, never in the audit data.
    assert not AuditEntry.objects.filter(data__icontains="ditegur").exists()
    page = client.get(reverse("integrity_signal", args=[signal.pk])).content.decode()
    assert "Sudah diperiksa" in page and 'data-testid="follow-up"' in page
    # The Ombudsman reads that it was closed, not the Inspektorat's note or who held it.
    client.force_login(world.users["ombudsman"])
    page = client.get(reverse("integrity_signal", args=[signal.pk])).content.decode()
    assert 'data-testid="follow-up"' in page and "Sudah diperiksa" not in page
    assert "ditegur" not in client.get(reverse("ombudsman_view")).content.decode()


def test_the_follow_up_outlives_the_refresh(world, signal):
    services.signal_assign(signal=signal, assignee=world.users["inspector"],
                           actor=world.users["inspector"])  # fmt: skip
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    again = IntegritySignal.objects.get(kind="overcharge", officer=world.officer_a)
    assert again.pk != signal.pk
    found = selectors.follow_up_for(again)
    assert found is not None and found.assignee == world.users["inspector"]


def test_closing_needs_a_note_and_assigning_needs_an_inspector_of_the_unit(world, signal):
    inspector = world.users["inspector"]
    with pytest.raises(ValidationError) as err:
        services.signal_close(signal=signal, note="ok", actor=inspector)
    assert "note" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.signal_assign(signal=signal, assignee=world.users["officer_a"], actor=inspector)
    assert "assignee" in err.value.message_dict
    elsewhere = factories.user("insp_dinkes", Role.INSPECTOR, world.dinkes)
    with pytest.raises(ValidationError):
        services.signal_assign(signal=signal, assignee=elsewhere, actor=inspector)
    assert selectors.inspectors_for(signal.unit) == [inspector]
    assert not SignalFollowUpEvent.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "ombudsman", "leadership", "hr"])
def test_nobody_but_the_inspektorat_assigns_or_closes(client, world, signal, persona):
    client.force_login(world.users[persona])
    posts = (
        ("integrity_signal_assign", {"assignee": world.users["inspector"].pk}),
        ("integrity_signal_close", {"note": "Ditutup tanpa pemeriksaan."}),
    )
    for name, data in posts:
        assert client.post(reverse(name, args=[signal.pk]), data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.signal_close(signal=signal, note="Ditutup tanpa pemeriksaan.",
                              actor=world.users[persona])  # fmt: skip
    assert not SignalFollowUpEvent.objects.exists()


def test_an_inspector_of_another_opd_gets_no_signal_of_this_one(client, world, signal):
    client.force_login(factories.user("insp_dinkes", Role.INSPECTOR, world.dinkes))
    r = client.post(reverse("integrity_signal_close", args=[signal.pk]),
                    {"note": "Ditutup dari luar."})  # fmt: skip
    assert r.status_code == 404


def test_the_signal_page_lists_its_cases_with_date_service_and_amounts(client, world, signal):
    client.force_login(world.users["inspector"])
    page = client.get(reverse("integrity_signal", args=[signal.pk]))
    cases = page.context["cases"]
    assert len(cases) == len(signal.evidence) == page.context["page"].paginator.count
    first = cases[0]
    assert first.day is not None and first.service == "Penerbitan KTP-el"
    assert first.paid == 50_000 and first.tariff is not None
    assert first.excess == 50_000 - first.tariff
    html = page.content.decode()
    assert f"/permohonan/{first.code}/" in html and money(50_000) in html


def test_the_inspector_s_home_counts_new_and_assigned_signals(client, world, signal):
    inspector = world.users["inspector"]
    client.force_login(inspector)

    def home() -> dict[str, int]:
        (section,) = client.get(reverse("work_home")).context["sections"]
        return {f.key: f.value for f in section.figures}

    before = home()
    assert before["signals_new"] == len(selectors.new_signals(inspector)) >= 1
    services.signal_assign(signal=signal, assignee=inspector, actor=inspector)
    after = home()
    assert after["signals_new"] == before["signals_new"] - 1
    assert after["signals_mine"] == 1
    assert after["wbs_new"] == 0  # a count only: no report content on the home


def test_hundreds_of_cases_are_paged_with_their_count(client, world, signal):
    IntegritySignal.objects.filter(pk=signal.pk).update(
        evidence=[*signal.evidence, *(f"X{i:09d}" for i in range(28))]
    )
    client.force_login(world.users["inspector"])
    url = reverse("integrity_signal", args=[signal.pk])
    first, second = client.get(url), client.get(url + "?page=2")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["cases"]) == 25 and len(second.context["cases"]) == 5
    assert "30 cases behind it" in first.content.decode()
