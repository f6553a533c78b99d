"""The demo kabupaten: its structure, determinism, log-ins and the `sigap demo` command."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sigap.accounts.models import RoleAssignment
from sigap.appraisals.models import PerformancePlan
from sigap.catalogue.models import LifeEvent, Service
from sigap.competency.models import CompetencyGap, DevelopmentPlan, GapRefresh
from sigap.demo.build import DEMO_PASSWORD, LOGINS, DemoBuilder, Options, fingerprint, wipe
from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.organisation.models import PNS_RANKS, Employee, Unit
from sigap.payments.models import Payment
from sigap.payments.selectors import paid_amount, paid_by_request
from sigap.rules.nip import parse_nip
from sigap.service_requests.models import ServiceRequest
from tests.demo.conftest import SMALL, UNTIL

pytestmark = pytest.mark.django_db
INTEGRITY = {
    PlantedPattern.Kind.OVERCHARGING,
    PlantedPattern.Kind.QUEUE_JUMPING,
    PlantedPattern.Kind.GROUP_DISPARITY,
}


def test_units_form_one_tree_of_at_least_20(small_demo: str) -> None:
    units = list(Unit.objects.filter(agency__code="kab-sukamaju"))
    assert len(units) >= 20
    roots = [u for u in units if u.parent_id is None]
    assert len(roots) == 1
    assert all(u.path.startswith(roots[0].path) for u in units)
    kinds = Counter(u.kind for u in units)
    assert kinds["opd"] >= 8 and kinds["unit_layanan"] >= 5 and kinds["kecamatan"] >= 3


def test_employees_have_valid_unique_nips_ranks_and_supervisors_up_the_tree(
    small_demo: str,
) -> None:
    employees = list(Employee.objects.select_related("unit", "supervisor__unit", "position"))
    assert len(employees) >= 1_500
    assert len({e.nip for e in employees}) == len(employees)
    sekda = next(e for e in employees if e.position.name == "Sekretaris Daerah")
    for e in employees:
        parsed = parse_nip(e.nip)
        assert parsed.appointment_month <= (2024, 12)  # in post for the whole period
        if e.status == Employee.Status.PNS:
            assert e.rank in PNS_RANKS
        else:
            assert 1 <= int(e.rank) <= 17
        if e.supervisor is not None and e.supervisor != sekda:  # heads of OPDs report to the Sekda
            assert e.unit.path.startswith(e.supervisor.unit.path)
    assert sum(e.supervisor is None for e in employees) == 1  # only the Sekretaris Daerah
    assert {e.position.kind for e in employees} == {"struktural", "fungsional", "pelaksana"}
    assert Counter(e.status for e in employees)["pppk"] > 100


def test_services_have_standards_with_steps_and_mostly_free_tariffs(small_demo: str) -> None:
    services = list(Service.objects.prefetch_related("standards__steps"))
    assert len(services) >= 30
    tariffs = []
    for service in services:
        # Published versions (the demo has one draft: tests/demo/test_catalogue).
        standards = sorted(
            (s for s in service.standards.all() if not s.is_draft), key=lambda s: s.version
        )
        assert standards and standards[-1].valid_until is None
        for older, newer in pairwise(standards):
            assert older.valid_until is not None and older.valid_until < newer.valid_from
        for std in standards:
            steps = sorted(std.steps.all(), key=lambda s: s.order)
            assert len(steps) >= 3 and std.requirements and std.legal_basis and std.product
            tariffs.append(int(std.tariff_rupiah))
            if service.code.startswith("dukcapil"):
                assert std.tariff_rupiah == 0  # UU 24/2013 Pasal 79A
    assert sum(t == 0 for t in tariffs) > 0.7 * len(tariffs)
    assert any(t > 0 for t in tariffs)
    assert sum(len(s.standards.all()) > 1 for s in services) >= 3


def test_every_service_is_found_under_a_life_event_and_every_life_event_has_services(
    small_demo: str,
) -> None:
    """The public catalogue is browsed by life event (/layanan/?peristiwa=…)."""
    assert not Service.objects.filter(life_events__isnull=True).exists()
    assert not LifeEvent.objects.filter(services__isnull=True).exists()
    birth = set(LifeEvent.objects.get(code="kelahiran").services.values_list("code", flat=True))
    assert {"dukcapil-akta-lahir", "dukcapil-kia"} <= birth


def test_same_seed_gives_the_same_data_and_another_seed_differs(small_demo: str) -> None:
    wipe()
    DemoBuilder(SMALL).run()
    assert fingerprint() == small_demo
    wipe()
    DemoBuilder(Options(seed=8, until=UNTIL, requests=SMALL.requests, appraisals=False)).run()
    assert fingerprint() != small_demo


def test_planted_patterns_are_recorded_and_clean_mode_plants_no_integrity_ones(
    small_demo: str,
) -> None:
    kinds = set(PlantedPattern.objects.values_list("kind", flat=True))
    assert kinds >= INTEGRITY
    assert {"slow_officer", "high_return_officer", "bottleneck", "rework"} <= kinds
    on_receipt = 0
    for pattern in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.OVERCHARGING):
        # The planted excess is on a reconciled cash receipt for some requests; the others
        # paid it in cash (only the citizen can tell), so they show at most the tariff.
        assert set(pattern.detail["on_receipt"]) <= set(pattern.detail["requests"])
        for code in pattern.detail["requests"]:
            sr = ServiceRequest.objects.select_related("standard").get(receipt_code=code)
            above = paid_amount(sr) > sr.standard.tariff_rupiah
            assert above == (code in pattern.detail["on_receipt"]), code
            on_receipt += above
    assert on_receipt > 0
    wipe()
    DemoBuilder(Options(seed=7, until=UNTIL, requests=500, clean=True, appraisals=False)).run()
    assert not INTEGRITY & set(PlantedPattern.objects.values_list("kind", flat=True))
    assert not PlantedPattern.objects.filter(kind=PlantedPattern.Kind.DEVIATION).exists()
    paid = paid_by_request(ServiceRequest.objects.values_list("pk", flat=True))
    overcharged = [
        sr for sr in ServiceRequest.objects.select_related("standard")
        if paid.get(sr.pk, 0) > sr.standard.tariff_rupiah
    ]  # fmt: skip
    assert overcharged == []
    # Tariffed services are paid through a payment reference, reconciled (a few bank transfers
    # without the receipt code wait for the cashier).
    assert Payment.objects.filter(request__isnull=False).exists()
    assert all(
        paid[sr.pk] == sr.standard.tariff_rupiah
        for sr in ServiceRequest.objects.select_related("standard").filter(pk__in=paid)
    )


def test_every_role_has_a_demo_login_that_works(small_demo: str) -> None:
    assert {login.role for login in LOGINS} == {
        "officer", "unit_head", "hr", "inspector", "ombudsman", "leadership", "admin", "cashier",
    }  # fmt: skip
    for login in LOGINS:
        assert Client().login(username=login.username, password=DEMO_PASSWORD), login.username
        assignment = RoleAssignment.objects.get(user__username=login.username)
        assert assignment.role == login.role
    officer = Employee.objects.select_related("unit").get(user__username="demo.petugas")
    assert officer.unit.code == "dukcapil-loket-dafduk"
    # The demo officer has work: requests they handled and open requests in their unit.
    assert ServiceRequest.objects.filter(assigned_officer=officer).exists()
    assert ServiceRequest.objects.filter(unit=officer.unit, status="in_progress").exists()
    head = Employee.objects.get(user__username="demo.kepala")
    assert officer.supervisor == head
    positions = dict(
        Employee.objects.filter(user__isnull=False).values_list("user__username", "position__name")
    )
    assert positions["demo.inspektur"].startswith("Auditor")
    assert positions["demo.bkpsdm"].startswith("Analis Sumber Daya Manusia")
    assert positions["demo.pimpinan"] == "Sekretaris Daerah"
    admin = RoleAssignment.objects.get(user__username="demo.admin").user
    assert admin.is_superuser and admin.is_staff


def test_command_reuses_existing_demo_data_and_prints_the_logins(small_demo: str) -> None:
    builds = DemoBuild.objects.count()
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "reusing it" in text
    assert DemoBuild.objects.count() == builds
    for login in LOGINS:
        assert login.username in text
    assert DEMO_PASSWORD in text and "service events" in text


def test_command_rebuilds_a_small_demo_with_a_given_end_date(small_demo: str) -> None:
    out = StringIO()
    call_command(
        "demo", "--rebuild", "--requests", "300", "--until", "2026-06-30", "--seed", "3",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    build = DemoBuild.objects.get()
    assert (build.seed, build.until, build.requests) == (3, date(2026, 6, 30), 300)
    assert ServiceRequest.objects.count() == 300
    assert "built in" in out.getvalue()
    # The appraisals extension ran on the demo's employees, and its ground truth is recorded.
    assert PerformancePlan.objects.filter(employee__unit__agency__code="kab-sukamaju").exists()
    assert PlantedPattern.objects.filter(kind=PlantedPattern.Kind.RATING_INFLATION).exists()
    # The competency results were computed for the new data (gaps, the next year's AKPK).
    assert "Computing the competency gaps" in out.getvalue()
    assert GapRefresh.objects.exists() and CompetencyGap.objects.exists()
    assert DevelopmentPlan.objects.filter(year=2027).exists()
    wipe()
    assert not PerformancePlan.objects.exists()


def test_command_refuses_an_end_date_in_the_future(small_demo: str) -> None:
    with pytest.raises(CommandError, match="later than today"):
        call_command("demo", "--rebuild", "--until", "2999-01-01", stdout=StringIO())
    assert DemoBuild.objects.get().seed == SMALL.seed  # nothing was wiped


def test_rebuild_removes_other_domains_rows_made_on_the_demo(small_demo: str) -> None:
    from sigap.complaints.models import Complaint

    sr = ServiceRequest.objects.select_related("service", "unit").first()
    assert sr is not None
    Complaint.objects.create(
        receipt_code="DEMOTEST01", category="lambat", unit=sr.unit, service=sr.service,
        service_request=sr, description="Lama sekali", channel="web",
        submitted_at=sr.submitted_at, verify_due=sr.due_date, last_event_at=sr.submitted_at,
    )  # fmt: skip
    wipe()
    assert not Complaint.objects.exists() and not ServiceRequest.objects.exists()


def test_rebuild_never_deletes_the_audit_trail(small_demo: str) -> None:
    from sigap.audit.services import audit_record

    unit = Unit.objects.get(code="dukcapil-loket-dafduk")
    audit_record(actor=None, action="settings.change", unit=unit)
    with pytest.raises(CommandError, match="never deleted"):
        call_command("demo", "--rebuild", "--requests", "10", stdout=StringIO())
    assert ServiceRequest.objects.count() == SMALL.requests
