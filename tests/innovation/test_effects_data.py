"""What `interventions()` measures (staggered replications, replicas not twice, the family's
services, completed roadmap actions and their KPIs) and the two database KPIs per service and
month (IKM, complaints per 1,000 requests), against hand counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from sigap.analytics.impact import PanelRow, month_number
from sigap.analytics.service_panel import COMPLAINTS, FIRST_TIME_RIGHT, IKM, LEAD_TIME, SLA
from sigap.catalogue.models import Service
from sigap.complaints.models import Complaint
from sigap.innovation.effects import (
    KPIS,
    SKIPPED_METRICS,
    Intervention,
    action_service,
    complaints_panel,
    ikm_panel,
    interventions,
    whole_months,
)
from sigap.innovation.models import Innovation, Replication, Stage
from sigap.leadership.models import ActionStatus, RoadmapAction
from sigap.organisation.models import Unit
from sigap.rules.ikm import ELEMENT_CODES
from sigap.surveys.models import SurveyResponse
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


def unit(world: factories.World, code: str) -> Unit:
    return Unit.objects.create(
        agency=world.agency, parent=world.root, code=code, name=code.upper(), kind="unit_layanan"
    )


def service(u: Unit, code: str, family: str = "", active: bool = True) -> Service:
    return Service.objects.create(unit=u, code=code, name=code, family=family, is_active=active)


def innovation(
    world: factories.World,
    name: str,
    *,
    stage: str = Stage.APPLIED,
    applied_on: date | None = None,
    units: list[Unit] = (),  # type: ignore[assignment]
    services: list[Service] = (),  # type: ignore[assignment]
    replication_of: Innovation | None = None,
) -> Innovation:
    now = timezone.now()
    inn = Innovation.objects.create(
        agency=world.agency, name=name, initiator="asn", form="public_service", kind="digital",
        urusan="administrasi_kependudukan", stage=stage, initiated_on=date(2024, 1, 1),
        applied_on=applied_on, replication_of=replication_of, created_at=now, updated_at=now,
    )  # fmt: skip
    inn.units.set(units)
    inn.services.set(services)
    return inn


def replication(
    original: Innovation,
    on: date,
    *,
    adopter: Unit | None = None,
    region: str = "",
    replica: Innovation | None = None,
) -> Replication:
    return Replication.objects.create(
        original=original, adopter_unit=adopter, adopter_region=region, replica=replica,
        adopted_on=on, recorded_at=timezone.now(),
    )  # fmt: skip


def action(u: Unit, gap_key: str, metric: str, status: str, at: datetime | None) -> RoadmapAction:
    return RoadmapAction.objects.create(
        unit=u, direction="innovation", gap_key=gap_key, metric_key=metric, title=gap_key,
        evidence="-", baseline_value=0.5, baseline_period_kind="quarter",
        baseline_period="2025-Q1", target_value=0.9, gap=0.4, citizens=100, priority=40,
        status=status, status_at=at, created_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def world() -> factories.World:
    return factories.build_world()


def by_subject(found: list[Intervention]) -> dict[tuple[str, int], Intervention]:
    return {i.key: i for i in found}


def test_innovations_with_staggered_replications(world: factories.World) -> None:
    kec_a, kec_b, kec_c = (unit(world, f"kec-{x}") for x in "abc")
    dom = {u.code: service(u, f"{u.code}-domisili", "kec-domisili") for u in (kec_a, kec_b, kec_c)}
    service(kec_a, "kec-a-izin")
    service(kec_a, "kec-a-lama", active=False)
    service(kec_b, "kec-b-izin")  # not of the family: not adopted
    # Applied on the unit (no service linked): the unit's active services.
    a = innovation(world, "Antrean daring", applied_on=date(2025, 3, 10), units=[kec_a])
    replication(a, date(2025, 6, 1), adopter=kec_b)  # no replica: kec-b's domisili (family)
    c = innovation(
        world, "Antrean daring Kec. C", applied_on=date(2025, 8, 1), units=[kec_c],
        services=[dom["kec-c"]], replication_of=a,
    )  # fmt: skip
    replication(a, date(2025, 8, 1), adopter=kec_c, replica=c)
    replication(a, date(2025, 9, 1), region="Kota Lain")  # another region: not our data
    # Not in application: not measured; its replica is measured on its own.
    b = innovation(world, "Uji coba", stage=Stage.TRIAL, units=[world.puskesmas_b])
    e = innovation(
        world, "Rujukan daring", applied_on=date(2025, 5, 1), units=[world.puskesmas_b],
        services=[world.rujukan], replication_of=b,
    )  # fmt: skip
    d = innovation(world, "KTP cepat", applied_on=date(2025, 1, 1), services=[world.ktp])

    found = by_subject(interventions())
    assert set(found) == {("innovation", a.pk), ("innovation", d.pk), ("innovation", e.pk)}
    assert dict(found[("innovation", a.pk)].starts) == {
        "kec-a-domisili": date(2025, 3, 10),
        "kec-a-izin": date(2025, 3, 10),
        "kec-b-domisili": date(2025, 6, 1),
        "kec-c-domisili": date(2025, 8, 1),
    }
    assert dict(found[("innovation", d.pk)].starts) == {"ktp-el": date(2025, 1, 1)}
    assert dict(found[("innovation", e.pk)].starts) == {"rujukan": date(2025, 5, 1)}
    assert found[("innovation", a.pk)].kpis == KPIS
    assert set(KPIS) == {LEAD_TIME, SLA, FIRST_TIME_RIGHT, IKM, COMPLAINTS}


def test_a_replica_without_a_replication_record_joins_its_original(
    world: factories.World,
) -> None:
    kec_a, kec_b = unit(world, "kec-a"), unit(world, "kec-b")
    a_dom = service(kec_a, "kec-a-domisili", "kec-domisili")
    b_dom = service(kec_b, "kec-b-domisili", "kec-domisili")
    a = innovation(world, "A", applied_on=date(2025, 3, 1), services=[a_dom])
    innovation(world, "A di B", applied_on=date(2025, 7, 1), services=[b_dom], replication_of=a)
    # The adoption recorded earlier than the replica's own record: the earliest day counts.
    replication(a, date(2025, 2, 1), adopter=kec_a)
    [found] = interventions()
    assert found.key == ("innovation", a.pk)
    assert dict(found.starts) == {
        "kec-a-domisili": date(2025, 2, 1),
        "kec-b-domisili": date(2025, 7, 1),
    }


def test_completed_roadmap_actions(world: factories.World) -> None:
    kec_a = unit(world, "kec-a")
    service(kec_a, "kec-a-domisili")
    service(kec_a, "kec-a-izin")
    sla = action(
        world.counter_a, "sla_share:ktp-el:Verifikasi", "sla_share", ActionStatus.DONE,
        local(2025, 4, 30, 20),
    )  # fmt: skip
    # Marked done at 01:00 local on 1 May (still 30 April in UTC): from 2 May.
    ftr = action(
        kec_a, "ftr_share", "ftr_share", ActionStatus.DONE,
        datetime(2025, 4, 30, 18, 0, tzinfo=UTC),
    )  # fmt: skip
    gone = action(
        kec_a, "sla_share:hapus:Verifikasi", "sla_share", ActionStatus.DONE,
        local(2025, 6, 2),
    )  # fmt: skip
    ikm = action(kec_a, "ikm:waktu", "ikm", ActionStatus.DONE, local(2025, 7, 1))
    action(kec_a, "digital_share", "digital_share", ActionStatus.DONE, local(2025, 4, 1))
    action(kec_a, "ftr_share", "ftr_share", ActionStatus.ACCEPTED, local(2025, 4, 1))
    action(world.counter_a, "ikm:waktu", "ikm", ActionStatus.DONE, None)  # no date: skipped
    found = by_subject(interventions())
    assert set(found) == {("roadmap_action", x.pk) for x in (sla, ftr, gone, ikm)}
    assert dict(found[("roadmap_action", sla.pk)].starts) == {"ktp-el": date(2025, 5, 1)}
    assert found[("roadmap_action", sla.pk)].kpis == (SLA, LEAD_TIME)
    assert dict(found[("roadmap_action", ftr.pk)].starts) == dict.fromkeys(
        ("kec-a-domisili", "kec-a-izin"), date(2025, 5, 2)
    )
    assert found[("roadmap_action", ftr.pk)].kpis == (FIRST_TIME_RIGHT,)
    # A gap naming a service that is not there: the unit's services.
    assert set(found[("roadmap_action", gone.pk)].starts) == {"kec-a-domisili", "kec-a-izin"}
    assert found[("roadmap_action", ikm.pk)].kpis == (IKM,)
    assert "digital_share" in SKIPPED_METRICS


def test_action_service_reads_the_gap_key() -> None:
    assert action_service("sla_share:ktp-el:Verifikasi berkas") == "ktp-el"
    assert action_service("sla_share") is None
    assert action_service("ftr_share") is None
    assert action_service("ikm:waktu") is None


# --- the database KPIs ----------------------------------------------------------------------


def _answers(**scores: int) -> dict[str, int]:
    return {code: scores.get(code, scores.get("all", 0)) for code in ELEMENT_CODES}


def survey(world: factories.World, svc: Service, at: datetime, **scores: int) -> None:
    answers = {k: v for k, v in _answers(**scores).items() if v}
    SurveyResponse.objects.create(
        service=svc, unit=svc.unit, submitted_at=at, channel="receipt", **answers
    )


JAN, FEB = month_number(2025, 1), month_number(2025, 2)


def test_ikm_per_service_and_month(world: factories.World) -> None:
    survey(world, world.ktp, local(2025, 1, 10), all=4)
    survey(world, world.ktp, local(2025, 1, 31, 23, 30), all=3)  # still January in WIB
    # 1 February 00:30 WIB (31 January in UTC): February.
    survey(world, world.ktp, local(2025, 2, 1, 0, 30), all=1)
    survey(world, world.ktp, local(2025, 2, 20), all=4, sarana=0)  # one unsur unanswered
    survey(world, world.ktp, local(2025, 3, 5), all=4, sarana=0)  # March: sarana never answered
    survey(world, world.rujukan, local(2025, 1, 3), all=2)
    rows = ikm_panel()
    assert rows == [
        # NRR 3.5 on every unsur: 3.5 x 25 = 87.5, two respondents.
        PanelRow("ktp-el", JAN, 87.5, 2.0),
        # NRR 2.5 on eight unsur and 1 on sarana: (8 x 2.5 + 1) / 9 x 25 = 58.33.
        PanelRow("ktp-el", FEB, 58.33, 2.0),
        PanelRow("rujukan", JAN, 50.0, 1.0),
    ]
    assert ikm_panel(local(2025, 2, 1, 0, 0)) == [rows[0], rows[2]]


def complaint(world: factories.World, at: datetime, **kw: object) -> Complaint:
    n = Complaint.objects.count() + 1
    return Complaint.objects.create(
        receipt_code=f"ADU-E{n:05d}", category="service", unit=world.counter_a,
        description="Lama.", channel="web", submitted_at=at,
        verify_due=at.date() + timedelta(days=3), last_event_at=at, **kw,
    )  # fmt: skip


def test_complaints_per_thousand_requests(world: factories.World) -> None:
    jan = [factories.submit(world, at=local(2025, 1, d)) for d in (6, 7, 8)]
    jan.append(factories.submit(world, at=local(2025, 1, 31, 23, 30)))
    feb = [
        factories.submit(world, at=local(2025, 2, 1, 0, 30)),
        factories.submit(world, at=local(2025, 2, 3)),
    ]
    factories.submit(world, at=local(2025, 1, 9), service=world.rujukan)
    complaint(world, local(2025, 1, 10), service=world.ktp)
    complaint(world, local(2025, 1, 12), service_request=jan[0])  # through its request
    complaint(world, local(2025, 1, 13))  # names no service: the unit's only, not counted
    complaint(world, local(2025, 3, 2), service=world.ktp)  # no requests in March: no rate
    complaint(world, local(2025, 1, 20), service=world.rujukan)
    assert len(feb) == 2
    assert complaints_panel() == [
        PanelRow("ktp-el", JAN, 500.0, 4.0),  # 2 complaints / 4 requests
        PanelRow("ktp-el", FEB, 0.0, 2.0),
        PanelRow("rujukan", JAN, 1000.0, 1.0),
    ]
    # Before 11 January: three KTP requests and one complaint; one rujukan request, none.
    assert complaints_panel(local(2025, 1, 11)) == [
        PanelRow("ktp-el", JAN, 1000 / 3, 3.0),
        PanelRow("rujukan", JAN, 0.0, 1.0),
    ]


def test_only_whole_months_of_the_database_kpis() -> None:
    rows = [PanelRow("ktp-el", p, 1.0, 1.0) for p in (JAN, FEB, FEB + 1)]
    # Data up to the end of 28 February (until = 1 March 00:00): March is not there yet.
    assert whole_months(rows, local(2025, 3, 1, 0, 0)) == rows[:2]
    # Up to 14 February: February is still running.
    assert whole_months(rows, local(2025, 2, 15, 0, 0)) == rows[:1]
    assert whole_months(rows, None) == rows
