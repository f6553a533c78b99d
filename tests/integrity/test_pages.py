"""The oversight pages: scoped by the access helper, every signal shown with its evidence."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.accounts.models import Role
from sigap.integrity.models import IntegritySignal
from sigap.integrity.services import integrity_refresh
from tests import factories
from tests.conftest import local


@pytest.fixture
def signals(world):
    """Officer A (counter A) overcharged twice; Dewi (Puskesmas B) once, below the threshold."""
    for day in (3, 4):
        sr = factories.submit(world, at=local(2025, 3, day), officer=world.officer_a)
        factories.pay(world, sr, 50_000)
    sr = factories.submit(
        world, at=local(2025, 3, 5), service=world.rujukan, officer=world.officer_b
    )
    factories.pay(world, sr, 10_000)
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    return IntegritySignal.objects.get(kind="overcharge", officer=world.officer_a)


def test_the_inspectorate_sees_flagged_signals_with_their_evidence(client, world, signals):
    client.force_login(world.users["inspector"])
    page = client.get("/inspektorat/")
    assert page.status_code == 200
    shown = list(page.context["signals"])
    assert {s.kind for s in shown} == {"overcharge", "officer_risk"}
    html = page.content.decode()
    assert signals.evidence[0] in html and "Siti Rahmawati" in html


def test_a_signal_page_lists_every_case_with_a_link(client, world, signals):
    client.force_login(world.users["inspector"])
    page = client.get(f"/inspektorat/sinyal/{signals.pk}/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]  # an officer's name and NIP (sigap.web.nostore)
    for code in signals.evidence:
        assert f"/permohonan/{code}/" in page.content.decode()


def test_an_inspector_of_another_opd_sees_neither_the_signal_nor_its_unit(client, world, signals):
    other = factories.user("insp_dinkes", Role.INSPECTOR, world.dinkes)
    client.force_login(other)
    assert list(client.get("/inspektorat/").context["signals"]) == []
    assert client.get(f"/inspektorat/sinyal/{signals.pk}/").status_code == 404


def test_the_ombudsman_view_is_read_only_and_has_no_wbs_content(client, world, signals, settings):
    from sigap.whistleblowing.services import report_submit

    settings.SIGAP = {
        **settings.SIGAP,
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    report_submit(unit=world.counter_a, what="isi rahasia laporan")
    client.force_login(world.users["ombudsman"])
    page = client.get("/ombudsman/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "isi rahasia laporan" not in html
    assert "<form" not in html.split("<main", 1)[1]  # nothing to submit: read-only
    (row,) = [r for r in page.context["units"] if r.unit == world.counter_a]
    assert (row.overcharge, row.wbs_reports) == (1, 1)
    assert client.get(f"/inspektorat/sinyal/{signals.pk}/").status_code == 200


def test_the_dashboard_queries_do_not_grow_with_the_signals(
    client, world, signals, django_assert_max_num_queries
):
    client.force_login(world.users["inspector"])
    with django_assert_max_num_queries(20):
        client.get("/inspektorat/")


def test_overdue_complaints_and_complaints_naming_an_officer_reach_the_oversight_pages(
    client, world
):
    from sigap.complaints.models import Complaint
    from sigap.complaints.services import Reporter, complaint_submit

    complaint = complaint_submit(
        category="pungli",
        description="Diminta uang tambahan di loket",
        reporter=Reporter(anonymous=True),
        service=world.ktp,
        submitted_at=local(2025, 3, 3),
    )
    Complaint.objects.filter(pk=complaint.pk).update(reported_employee=world.officer_a)
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    risk = IntegritySignal.objects.get(kind="officer_risk")
    assert risk.evidence == [f"complaint:{complaint.receipt_code}"] and not risk.flagged
    for persona, url in (("inspector", "/inspektorat/"), ("ombudsman", "/ombudsman/")):
        client.force_login(world.users[persona])
        page = client.get(url)
        assert page.context["overdue_count"] == 1
        assert complaint.receipt_code in page.content.decode()
    client.force_login(world.users["inspector"])
    detail = client.get(f"/inspektorat/sinyal/{risk.pk}/").content.decode()
    assert f"/pengaduan/{complaint.receipt_code}/" in detail


def test_the_pages_say_in_words_what_an_overcharge_rests_on(client, world):
    from sigap.complaints.services import Reporter, complaint_submit

    paid = factories.submit(world, at=local(2025, 3, 3), officer=world.officer_a)
    factories.pay(world, paid, 50_000)
    said = factories.submit(world, at=local(2025, 3, 4), officer=world.officer_a)
    complaint = complaint_submit(
        category="lainnya",
        description="Saya diminta membayar Rp50.000 agar cepat.",
        reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
        receipt_code=said.receipt_code,
    )
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    signal = IntegritySignal.objects.get(kind="overcharge")
    client.force_login(world.users["inspector"])
    dashboard = client.get("/inspektorat/").content.decode()
    assert "rests on reconciled payments and citizen statements" in dashboard
    page = client.get(f"/inspektorat/sinyal/{signal.pk}/").content.decode()
    assert f"{paid.receipt_code}</a> — payment above the tariff" in page
    assert f"{said.receipt_code}</a> — citizen statement" in page
    assert f"/pengaduan/{complaint.receipt_code}/" in page
    assert "1 by payments (Rp 50,000 above the tariff), 1 by citizen statements" in page
