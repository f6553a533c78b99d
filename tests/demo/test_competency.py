"""The demo's competency data (sigap.demo.competency): standards for every position, assessments,
step links, career targets and 24 months of training records with a realistic JP spread."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

import pytest

from sigap.catalogue.models import ProcedureStep
from sigap.competency.conf import jp_conversion
from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    PositionRequirement,
    StandardVersion,
    StepCompetency,
    TrainingRecord,
)
from sigap.competency.profile import jp_in_year
from sigap.demo import content
from sigap.demo.build import period, wipe
from sigap.demo.competency import (
    NATIONAL,
    build_competency,
    competency_fingerprint_queries,
    required_levels,
    wipe_competency,
)
from sigap.organisation.models import Agency, Employee, Position
from sigap.rules.competency import YEARLY_JP, Route, training_jp
from tests.demo.conftest import SMALL, UNTIL

pytestmark = pytest.mark.django_db
NATIONAL_CODES = {code for code, _name, _group in NATIONAL}


def _employees() -> list[Employee]:
    return list(
        Employee.objects.filter(unit__agency__code=content.AGENCY_CODE).select_related("position")
    )


def _version() -> StandardVersion:
    return StandardVersion.objects.get(agency__code=content.AGENCY_CODE)


def _digest() -> str:
    h = hashlib.sha256()
    for query in competency_fingerprint_queries():
        for row in query:
            h.update(repr(row).encode())
    return h.hexdigest()


def _rebuild(seed: int) -> str:
    agency = Agency.objects.get(code=content.AGENCY_CODE)
    wipe_competency(agency_ids=[agency.pk])
    build_competency(seed=seed, until=UNTIL, agency=agency)
    return _digest()


def test_the_standard_is_valid_from_the_start_of_the_period(small_demo: str) -> None:
    assert _version().valid_from == period(UNTIL)[0]


def test_every_position_requires_the_national_competencies_and_technical_ones(
    small_demo: str,
) -> None:
    version = _version()
    required: dict[int, dict[str, tuple[str, int]]] = defaultdict(dict)
    for pid, code, group, level in PositionRequirement.objects.filter(version=version).values_list(
        "position_id", "competency__code", "competency__group", "level"
    ):
        required[pid][code] = (group, level)
    positions = {e.position for e in _employees()}
    assert len(positions) >= 40
    for pos in positions:
        levels = required[pos.pk]
        assert set(levels) >= NATIONAL_CODES, pos.name
        manajerial, sosial, teknis = required_levels(pos)
        assert levels["integritas"][1] == manajerial
        assert levels["perekat-bangsa"][1] == sosial
        assert all(
            level == teknis for group, level in levels.values() if group == Competency.Group.TEKNIS
        )
    # Posts that serve a counter need its technical competencies.
    operator = Position.objects.get(name="Operator Layanan Operasional")
    assert any(g == Competency.Group.TEKNIS for g, _l in required[operator.pk].values())
    # Structural posts require more managerial skill than pelaksana (rules doc §2.2).
    kepala_dinas = Position.objects.get(name="Kepala Dinas Kependudukan dan Pencatatan Sipil")
    assert required[kepala_dinas.pk]["pengambilan-keputusan"][1] == 4
    assert required[operator.pk]["pengambilan-keputusan"][1] == 1
    assert required[operator.pk]["pelayanan-publik"][1] == 2


def test_every_step_of_the_current_standards_needs_a_technical_competency(
    small_demo: str,
) -> None:
    steps = set(
        ProcedureStep.objects.filter(
            standard__service__unit__agency__code=content.AGENCY_CODE,
            standard__valid_until__isnull=True,
        ).values_list("standard__service_id", "name")
    )
    linked = set(
        StepCompetency.objects.filter(
            competency__group=Competency.Group.TEKNIS,
            competency__agency__code=content.AGENCY_CODE,
        ).values_list("service_id", "step")
    )
    assert len(steps) >= 150
    assert steps <= linked
    verification = StepCompetency.objects.filter(
        service__code="dukcapil-ktp-el", step="Verifikasi berkas"
    ).values_list("competency__name", flat=True)
    assert list(verification) == ["Verifikasi Dokumen Kependudukan"]
    technical = Competency.objects.filter(agency__code=content.AGENCY_CODE)
    assert technical.count() >= 15
    assert all(c.levels.count() == 5 for c in technical)


def test_two_thirds_are_assessed_with_history_and_most_meet_the_standard(small_demo: str) -> None:
    employees = _employees()
    position = {e.pk: e.position for e in employees}
    required = {
        (pid, cid): level
        for pid, cid, level in PositionRequirement.objects.filter(version=_version()).values_list(
            "position_id", "competency_id", "level"
        )
    }
    results: dict[tuple[int, int], list[int]] = defaultdict(list)
    methods: dict[str, set[str]] = defaultdict(set)
    for emp, comp, level, method in (
        Assessment.objects.filter(employee__in=employees)
        .order_by("assessed_on", "id")
        .values_list("employee_id", "competency_id", "level", "method")
    ):
        results[(emp, comp)].append(level)
        methods[position[emp].kind].add(method)
    assessed = {emp for emp, _c in results}
    assert len(assessed) >= 0.6 * len(employees)
    structural = {e.pk for e in employees if e.position.kind == Position.Kind.STRUKTURAL}
    assert structural <= assessed
    assert Assessment.Method.ASSESSMENT_CENTRE in methods[Position.Kind.STRUKTURAL]
    assert Assessment.Method.FEEDBACK_360 in methods[Position.Kind.PELAKSANA]
    assert Assessment.Method.UJI_KOMPETENSI in methods[Position.Kind.FUNGSIONAL]
    twice = {emp for (emp, _c), levels in results.items() if len(levels) > 1}
    assert len(twice) >= 0.15 * len(assessed)
    gaps = [levels[-1] - required[(position[e].pk, c)] for (e, c), levels in results.items()]
    meet, below, above = (
        sum(g == 0 for g in gaps) / len(gaps),
        sum(g < 0 for g in gaps) / len(gaps),
        sum(g > 0 for g in gaps) / len(gaps),
    )
    assert meet > 0.5 and 0.05 < below < 0.35 and 0.02 < above < below + 0.1


def test_a_few_career_targets_point_at_positions_with_a_standard(small_demo: str) -> None:
    targets = list(CareerTarget.objects.filter(employee__unit__agency__code=content.AGENCY_CODE))
    assert 3 <= len(targets) <= 12
    with_standard = set(
        PositionRequirement.objects.filter(version=_version()).values_list("position_id", flat=True)
    )
    for target in targets:
        assert target.position_id in with_standard
        assert target.position_id != target.employee.position_id


@pytest.mark.parametrize("year", [UNTIL.year - 1, UNTIL.year])
def test_most_reach_20_jp_a_year_some_fall_short_and_a_few_land_on_19_or_20(
    small_demo: str, year: int
) -> None:
    employees = _employees()
    # JP of the year by the one definition (the pages' own): up to 31 December, or the demo's
    # last day in its final year
    totals = jp_in_year([e.pk for e in employees], min(date(year, 12, 31), UNTIL))
    jp = [totals[e.pk] for e in employees]
    short = sum(t < YEARLY_JP for t in jp) / len(jp)
    assert 0.15 <= short <= 0.30
    assert sum(t == 19 for t in jp) >= 5
    assert sum(t == 20 for t in jp) >= 5
    assert sum(t > 40 for t in jp) >= 0.1 * len(jp)


def test_trainings_span_the_period_on_many_routes_with_providers_and_certificates(
    small_demo: str,
) -> None:
    records = TrainingRecord.objects.filter(employee__unit__agency__code=content.AGENCY_CODE)
    start, _until = period(UNTIL)
    assert records.filter(starts_on__lt=start).count() == 0
    assert records.filter(ends_on__gte=UNTIL).count() == 0
    routes = set(records.values_list("route", flat=True))
    assert len(routes) >= 12
    assert {Route.TEKNIS, Route.E_LEARNING, Route.SEMINAR, Route.COACHING, Route.WORKSHOP} <= routes
    providers = set(records.values_list("provider", flat=True))
    assert {"Lembaga Administrasi Negara", "ASN Unggul (LAN RI)", "BPSDM Kemendagri"} <= providers
    assert records.exclude(certificate_number="").count() > records.count() / 2
    assert records.filter(source=TrainingRecord.Source.SIASN).exists()
    assert records.filter(competencies__isnull=True).count() == 0


def test_stored_jp_is_the_rules_conversion(small_demo: str) -> None:
    conversion = jp_conversion()
    records = TrainingRecord.objects.filter(employee__unit__agency__code=content.AGENCY_CODE)
    assert records.count() > 5_000
    for route, starts_on, ends_on, hours, sessions, jp in records.values_list(
        "route", "starts_on", "ends_on", "hours", "sessions", "jp"
    ):
        expected = training_jp(
            Route(route), starts_on, ends_on, hours, sessions, conversion=conversion
        )
        assert jp == expected, (route, starts_on, ends_on, hours, sessions)


def test_same_seed_gives_the_same_data_another_seed_differs_and_no_training_aims_at_a_step(
    small_demo: str,
) -> None:
    first = _rebuild(SMALL.seed)
    mine = TrainingRecord.objects.filter(employee__unit__agency__code=content.AGENCY_CODE)
    assert not mine.filter(service__isnull=False).exists()
    assert not mine.exclude(step="").exists()
    assert _rebuild(SMALL.seed) == first
    assert _rebuild(SMALL.seed + 1) != first


def test_a_wipe_removes_the_agencys_rows_and_keeps_the_national_dictionary(
    small_demo: str,
) -> None:
    wipe()
    assert not Competency.objects.filter(code__startswith="sukamaju-").exists()
    assert not TrainingRecord.objects.exists()
    assert not Assessment.objects.exists()
    assert not StandardVersion.objects.exists()
    assert set(Competency.objects.values_list("code", flat=True)) >= NATIONAL_CODES
