"""`sigap analytics refresh` and the "Kinerja layanan" pages, on a small hand-made set of
requests recorded by the real write functions (July 2025: no public holidays)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sigap.accounts.models import Role
from sigap.performance.models import (
    OfficerScore,
    PerformanceRun,
    ProcessDeviation,
    UnitServicePerformance,
)
from sigap.performance.services import performance_refresh
from sigap.service_requests import services
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "analytics"


def _finish(sr: Any, o: Any, day: int, hour: int = 9) -> Any:
    """Complete the remaining steps one an hour from `hour` on that July day."""
    while sr.current_step is not None:
        sr = services.service_request_complete_step(
            request=sr, officer=o, at=local(2025, 7, day, hour)
        )
        hour += 1
    return sr


def record(world: factories.World) -> None:
    """KTP-el at counter A (SLA 3 working days, four steps), all by officer A:

    R1 Mon 7 Jul, finished Tue 8 Jul: 1 working day, first time right, within the SLA.
    R2 Mon 7 Jul, returned that day, resumed Thu 10 Jul, finished Fri 11 Jul: 4 working days,
       3 of them paused, so 1 against the SLA (met); not first time right; the first step is
       done twice (the return sends the request back to it): one `extra` deviation.
    R3 Mon 7 Jul, finished Mon 14 Jul: 5 working days, beyond the SLA.
    R4 Mon 14 Jul, received, still open (the backlog).
    Lead times 1, 4, 5 working days: median 4, p90 4 + 0.8 × (5 - 4) = 4.8.
    Waiting before "Penerimaan berkas": 1 + 23 (R1) + 0.5 + 0.5 + 70 + 24 (R2) + 0.5 + 167.5
    (R3) + 0.5 (R4) = 287.5 h of 297.5 h in all (Verifikasi 4 h, Pencetakan 3 h, Penyerahan 3 h).
    """
    o = world.officer_a
    r1 = factories.submit(world, at=local(2025, 7, 7, 9))
    r1 = services.service_request_receive(request=r1, officer=o, at=local(2025, 7, 7, 10))
    r1 = services.service_request_complete_step(request=r1, officer=o, at=local(2025, 7, 8, 9))
    _finish(r1, o, 8, 10)

    r2 = factories.submit(world, at=local(2025, 7, 7, 9))
    r2 = services.service_request_receive(request=r2, officer=o, at=local(2025, 7, 7, 9, 30))
    r2 = services.service_request_complete_step(request=r2, officer=o, at=local(2025, 7, 7, 10))
    r2 = services.service_request_return(
        request=r2, officer=o, reason="Fotokopi KK buram", at=local(2025, 7, 7, 11)
    )
    r2 = services.service_request_resume(request=r2, officer=o, at=local(2025, 7, 10, 9))
    _finish(r2, o, 11)

    r3 = factories.submit(world, at=local(2025, 7, 7, 9))
    r3 = services.service_request_receive(request=r3, officer=o, at=local(2025, 7, 7, 9, 30))
    _finish(r3, o, 14)

    r4 = factories.submit(world, at=local(2025, 7, 14, 8))
    services.service_request_receive(request=r4, officer=o, at=local(2025, 7, 14, 8, 30))


def test_refresh_fills_the_result_tables(world: factories.World, store: Path) -> None:
    record(world)
    performance_refresh(store, min_cases=1)
    p = UnitServicePerformance.objects.get()
    assert (p.unit, p.service) == (world.counter_a, world.ktp)
    assert (p.volume, p.closed, p.backlog_open) == (4, 3, 1)
    assert (p.lead_wd_median, p.lead_wd_p90) == (4.0, pytest.approx(4.8))
    assert (p.sla_met, p.sla_cases, p.first_time_right) == (2, 3, 2)
    assert (p.conforming, p.conformance_cases) == (2, 3)
    assert list(ProcessDeviation.objects.values_list("kind", "activity", "cases")) == [
        ("extra", "Penerimaan berkas", 1)
    ]
    top = p.bottlenecks.order_by("rank").first()
    assert top is not None
    assert (top.activity, top.events) == ("Penerimaan berkas", 9)
    assert top.total_wait_days == pytest.approx(287.5 / 24)
    assert top.share_of_waiting == pytest.approx(287.5 / 297.5)
    (score,) = OfficerScore.objects.all()
    assert (score.officer, score.perf, score.cases, score.sla_cases) == (
        world.officer_a,
        p,
        4,
        3,
    )
    assert score.sla_share == pytest.approx(2 / 3)


def test_command_is_rerunnable(world: factories.World, store: Path) -> None:
    record(world)
    out = StringIO()
    call_command("analytics", "refresh", stdout=out)
    assert "4 changed requests" in out.getvalue()
    first = list(UnitServicePerformance.objects.values("pk", "volume", "closed", "sla_met"))
    # Nothing changed since: only the request with the newest event is read again.
    call_command("analytics", "refresh", stdout=out)
    # the same figures, on the same row (a page's address stays the same)
    assert list(UnitServicePerformance.objects.values("pk", "volume", "closed", "sla_met")) == first
    assert (store / "events.parquet").exists()
    # One more request: picked up incrementally.
    factories.submit(world, at=local(2025, 7, 15, 8))
    call_command("analytics", "refresh", stdout=out)
    assert UnitServicePerformance.objects.get().volume == 5
    assert UnitServicePerformance.objects.get().pk == first[0]["pk"]
    call_command("analytics", "refresh", "--full", stdout=out)
    assert UnitServicePerformance.objects.get().volume == 5
    assert PerformanceRun.objects.count() == 4
    # Below the minimum sample (30 requests) there is no scorecard.
    assert not OfficerScore.objects.exists()


def test_page_shows_the_figures(client: Any, world: factories.World, store: Path) -> None:
    record(world)
    performance_refresh(store, min_cases=1)
    p = UnitServicePerformance.objects.get()
    client.force_login(world.users["head_a"])
    listing = client.get("/kinerja-layanan/")
    assert listing.status_code == 200
    assert f"/kinerja-layanan/{p.pk}/" in listing.content.decode()
    page = client.get(f"/kinerja-layanan/{p.pk}/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]  # officers' scores (sigap.web.nostore)
    html = page.content.decode()
    for expected in [
        '<dd id="perf-volume">4</dd>',
        '<dd id="perf-closed">3</dd>',
        '<dd id="perf-lead-median">4.0</dd>',
        '<dd id="perf-lead-p90">4.8</dd>',
        "66.7% <small>(2/3)</small>",  # SLA, first time right, conformance
        '<dd id="perf-backlog">1 ',
        '<td>Penerimaan berkas</td><td class="num">9</td>',
        "96.6%",  # 287.5 of 297.5 hours of waiting
        '<td>Extra or repeated</td><td>Penerimaan berkas</td><td class="num">1</td>',
        world.officer_a.name,
    ]:
        assert expected in html, expected
    assert html.count("66.7% <small>(2/3)</small>") == 3


def test_scope(client: Any, world: factories.World, store: Path) -> None:
    record(world)
    performance_refresh(store, min_cases=1)
    p = UnitServicePerformance.objects.get()
    head_b = factories.user("head_b", Role.UNIT_HEAD, world.puskesmas_b)
    client.force_login(head_b)
    listing = client.get("/kinerja-layanan/")
    assert listing.status_code == 200
    assert "Penerbitan KTP-el" not in listing.content.decode()
    assert client.get(f"/kinerja-layanan/{p.pk}/").status_code == 404
    client.force_login(world.users["officer_a"])  # an officer: not this page's audience
    assert client.get(f"/kinerja-layanan/{p.pk}/").status_code == 403
    for who in ("inspector", "ombudsman", "leadership"):
        client.force_login(world.users[who])
        assert client.get(f"/kinerja-layanan/{p.pk}/").status_code == 200


def test_nav_link(client: Any, world: factories.World) -> None:
    client.force_login(world.users["head_a"])
    assert 'href="/kinerja-layanan/"' in client.get("/kinerja-layanan/").content.decode()
    client.force_login(world.users["officer_a"])
    assert 'href="/kinerja-layanan/"' not in client.get("/").content.decode()
