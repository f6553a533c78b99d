"""The competency figures (sigap.competency.profile) against hand-computed answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sigap.competency import profile
from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    CompetencyLevel,
    PositionRequirement,
    StandardVersion,
    TrainingRecord,
)
from sigap.organisation.models import AgencySpecialDay, Employee
from tests import factories

MARCH = date(2025, 3, 27)


def competencies(n: int) -> list[Competency]:
    return [
        Competency.objects.create(code=f"k{i}", name=f"Kompetensi {i}", group="manajerial")
        for i in range(1, n + 1)
    ]


def standard(world, valid_from: date, position, levels: dict[Competency, int]) -> StandardVersion:
    version, _ = StandardVersion.objects.get_or_create(agency=world.agency, valid_from=valid_from)
    for c, level in levels.items():
        PositionRequirement.objects.create(
            version=version, position=position, competency=c, level=level
        )
    return version


def assess(employee, competency, level: int, on: date) -> Assessment:
    return Assessment.objects.create(
        employee=employee,
        competency=competency,
        level=level,
        assessed_on=on,
        method="assessment_centre",
        source="entered",
    )


def train(employee, jp: str, starts_on: date, ends_on: date | None = None) -> TrainingRecord:
    return TrainingRecord.objects.create(
        employee=employee,
        title="Pelatihan",
        route="teknis",
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        hours=Decimal(jp) * 3 / 4,
        jp=Decimal(jp),
        source="entered",
    )


# --- the standard and JPM ------------------------------------------------------------------------


def test_rules_doc_vector_92_59_percent_is_optimal(world):
    ks = competencies(9)
    standard(world, date(2025, 1, 1), world.officer_a.position, {k: 3 for k in ks})
    for k, level in zip(ks, [3, 3, 2, 3, 3, 2, 3, 3, 3], strict=True):
        assess(world.officer_a, k, level, date(2025, 2, 1))
    match = profile.position_match(world.officer_a, world.officer_a.position, MARCH)
    assert match.jpm is not None
    assert (match.jpm.individual, match.jpm.standard) == (25, 27)
    assert match.jpm.percent == Decimal("92.59")
    assert match.band == "optimal"


def test_latest_assessment_on_or_before_the_day_counts_and_unassessed_is_zero(world):
    a, b, c = competencies(3)
    standard(world, date(2025, 1, 1), world.officer_a.position, {a: 3, b: 3, c: 2})
    assess(world.officer_a, a, 1, date(2024, 5, 1))  # superseded
    assess(world.officer_a, a, 3, date(2025, 2, 1))
    assess(world.officer_a, b, 2, date(2025, 2, 1))
    assess(world.officer_a, b, 5, date(2025, 6, 1))  # after the day: not yet known
    match = profile.position_match(world.officer_a, world.officer_a.position, MARCH)
    # (3 + 2 + 0) / (3 + 3 + 2) = 5 / 8 = 62.50 % → below 78: kurang optimal
    assert match.jpm is not None and match.jpm.percent == Decimal("62.50")
    assert match.band == "kurang_optimal"
    by_code = {r.competency.code: r for r in match.rows}
    assert by_code["k1"].assessed == 3 and by_code["k3"].assessed is None
    assert by_code["k3"].short == 2


def test_the_version_in_force_on_the_day_is_read(world):
    a, b = competencies(2)
    pos = world.officer_a.position
    standard(world, date(2025, 1, 1), pos, {a: 2, b: 2})
    standard(world, date(2025, 7, 1), pos, {a: 4, b: 4})
    assess(world.officer_a, a, 2, date(2025, 1, 15))
    assess(world.officer_a, b, 2, date(2025, 1, 15))
    early = profile.position_match(world.officer_a, pos, MARCH)
    late = profile.position_match(world.officer_a, pos, date(2025, 8, 1))
    assert early.jpm is not None and early.jpm.percent == Decimal("100.00")
    assert late.jpm is not None and late.jpm.percent == Decimal("50.00")  # 4 / 8
    assert profile.position_match(world.officer_a, pos, date(2024, 12, 31)).jpm is None


def test_surplus_is_kept_uncapped_by_default_and_capped_per_setting(world, settings):
    a, b = competencies(2)
    standard(world, date(2025, 1, 1), world.officer_a.position, {a: 2, b: 2})
    assess(world.officer_a, a, 4, date(2025, 2, 1))
    assess(world.officer_a, b, 2, date(2025, 2, 1))
    match = profile.position_match(world.officer_a, world.officer_a.position, MARCH)
    assert match.jpm is not None and match.jpm.percent == Decimal("150.00")
    assert match.jpm.shown == Decimal(100) and match.jpm.surplus == Decimal(50)
    settings.SIGAP = {"COMPETENCY_JPM_CAPPING": "per_competency"}
    capped = profile.position_match(world.officer_a, world.officer_a.position, MARCH)
    assert capped.jpm is not None and capped.jpm.percent == Decimal("100.00")


def test_profile_reads_the_target_position_and_level_descriptions(world):
    a, b = competencies(2)
    CompetencyLevel.objects.create(competency=a, level=3, description="Memperbaiki standar unit")
    standard(world, date(2025, 1, 1), world.officer_a.position, {a: 2})
    standard(world, date(2025, 1, 1), world.head_a.position, {a: 3, b: 3})
    CareerTarget.objects.create(
        employee=world.officer_a, position=world.head_a.position, set_on=date(2025, 1, 2)
    )
    assess(world.officer_a, a, 3, date(2025, 2, 1))
    p = profile.employee_profile(world.officer_a, MARCH)
    assert p.current.jpm is not None and p.current.jpm.percent == Decimal("150.00")
    assert p.target is not None and p.target.jpm is not None
    assert p.target.jpm.percent == Decimal("50.00")  # 3 / 6
    row = next(r for r in p.target.rows if r.competency == a)
    assert row.required_text == "Memperbaiki standar unit"
    assert p.current.rows[0].assessed_text == "Memperbaiki standar unit"


def test_bulk_jpm_agrees_with_the_single_read(world):
    a, b = competencies(2)
    standard(world, date(2025, 1, 1), world.officer_a.position, {a: 3, b: 2})
    assess(world.officer_a, a, 2, date(2025, 2, 1))
    assess(world.officer_b, b, 2, date(2025, 2, 1))
    people = list(Employee.objects.select_related("unit"))
    bulk = profile.jpm_on(people, MARCH)
    for e in people:
        single = profile.position_match(e, e.position, MARCH)
        assert bulk[e.pk] == (single.jpm, single.band)
    assert bulk[world.head_a.pk] == (None, None)  # the Kepala Seksi has no standard


def test_the_potential_jpm_leaves_out_who_was_never_assessed_on_a_required_competency(world):
    a, b = competencies(2)
    standard(world, date(2025, 1, 1), world.officer_a.position, {a: 3, b: 2})
    assess(world.officer_a, a, 3, date(2025, 2, 1))
    assess(world.officer_a, b, 2, date(2025, 2, 1))  # fully assessed: 100 %
    assess(world.officer_b, b, 2, date(2025, 2, 1))  # never on a: JPM 40 %, no potential
    people = list(Employee.objects.select_related("unit"))
    assert profile.jpm_on(people, MARCH)[world.officer_b.pk][0].percent == Decimal("40.00")
    potential = profile.assessed_jpm_on(people, MARCH)
    assert {e: m.percent for e, m in potential.items()} == {world.officer_a.pk: Decimal("100.00")}


# --- JP and the duty ------------------------------------------------------------------------------


def test_19_jp_is_short_by_one_and_20_is_compliant(world):
    train(world.officer_a, "12", date(2025, 2, 3))
    train(world.officer_a, "7", date(2025, 3, 3))
    standing = profile.jp_this_year(world.officer_a, MARCH)
    assert (standing.total, standing.compliant, standing.short) == (Decimal(19), False, Decimal(1))
    train(world.officer_a, "1", date(2025, 3, 20))
    standing = profile.jp_this_year(world.officer_a, MARCH)
    assert (standing.total, standing.compliant, standing.short) == (Decimal(20), True, Decimal(0))


def test_an_activity_counts_in_each_year_by_its_days(world):
    train(world.officer_a, "5", date(2024, 12, 2), date(2024, 12, 31))
    train(world.officer_a, "8", date(2024, 12, 30), date(2025, 1, 2))  # 2 of 4 days each year
    train(world.officer_a, "9", date(2025, 3, 25), date(2025, 4, 2))  # under way on the day
    assert profile.jp_in_year([world.officer_a.pk], date(2024, 12, 31)) == {
        world.officer_a.pk: Decimal(9)
    }
    assert profile.jp_in_year([world.officer_a.pk], date(2025, 1, 1)) == {
        world.officer_a.pk: Decimal(2)
    }
    # 4 JP of the New Year activity + 3 of the 9 days done by 27 March
    assert profile.jp_in_year([world.officer_a.pk], date(2025, 3, 27))[
        world.officer_a.pk
    ] == Decimal(7)
    assert profile.jp_in_year([world.officer_a.pk], date(2025, 4, 2))[
        world.officer_a.pk
    ] == Decimal(13)


def test_a_four_year_tugas_belajar_counts_in_every_year(world):
    train(world.officer_a, "160", date(2022, 8, 1), date(2026, 7, 31))  # 1 461 days
    by_year = {
        year: profile.jp_in_year([world.officer_a.pk], date(year, 12, 31))[world.officer_a.pk]
        for year in range(2022, 2027)
    }
    assert by_year == {
        2022: Decimal("16.76"),  # 153 days
        2023: Decimal("39.97"),
        2024: Decimal("40.08"),  # 366 days
        2025: Decimal("39.97"),
        2026: Decimal("23.22"),  # 212 days
    }
    assert profile.jp_this_year(world.officer_a, date(2024, 12, 31)).compliant


def test_compliance_counts_active_pns_only(world):
    train(world.officer_a, "20", date(2025, 2, 3))
    train(world.head_a, "6.5", date(2025, 2, 3))
    pppk = factories.employee(world.counter_a, "Rina PPPK", world.officer_a.position)
    Employee.objects.filter(pk=pppk.pk).update(status=Employee.Status.PPPK, rank="9")
    gone = factories.employee(world.counter_a, "Pensiun", world.officer_a.position)
    Employee.objects.filter(pk=gone.pk).update(active_until=date(2024, 12, 31))
    people = Employee.objects.select_related("unit__agency").order_by("name")
    s = profile.standings(people, MARCH)
    assert {r.employee.name for r in s.rows} == {
        "Siti Rahmawati", "Bambang Wijaya", "Dewi Lestari", "Rina PPPK"
    }  # fmt: skip
    # PNS: Siti 20 (compliant), Bambang 6.5 (short 13.5), Dewi 0 (short 20): 1 of 3.
    assert (s.overall.counted, s.overall.compliant) == (3, 1)
    assert s.overall.share == pytest.approx(1 / 3)
    assert s.overall.short_jp == Decimal("33.5")
    by_unit = {c.unit.code: c for c in s.units if c.unit}
    assert (by_unit["loket-a"].counted, by_unit["loket-a"].compliant) == (2, 1)
    assert (by_unit["pkm-b"].counted, by_unit["pkm-b"].compliant) == (1, 0)
    assert [(r.employee.name, r.short) for r in s.short] == [
        ("Dewi Lestari", Decimal(20)),
        ("Bambang Wijaya", Decimal("13.5")),
    ]
    rina = next(r for r in s.rows if r.employee.name == "Rina PPPK")
    assert rina.standing is None and rina.compliant is None


def test_yearly_duty_is_a_setting(world, settings):
    train(world.officer_a, "20", date(2025, 2, 3))
    settings.SIGAP = {"COMPETENCY_YEARLY_JP": 24}
    standing = profile.jp_this_year(world.officer_a, MARCH)
    assert (standing.compliant, standing.short) == (False, Decimal(4))


def test_working_days_left_follow_the_agency_calendar(world):
    # 24 Dec 2025 (Wed) working; 25 Natal; 26 cuti bersama; 27–28 weekend; 29, 30, 31 working.
    assert profile.working_days_left(world.agency, date(2025, 12, 24)) == 4
    assert profile.working_days_left(world.agency, date(2025, 12, 25)) == 3
    AgencySpecialDay.objects.create(agency=world.agency, date=date(2025, 12, 31), name="Libur")
    assert profile.working_days_left(world.agency, date(2025, 12, 24)) == 3
    world.agency.cuti_bersama_is_day_off = False
    world.agency.save()
    assert profile.working_days_left(world.agency, date(2025, 12, 24)) == 4
