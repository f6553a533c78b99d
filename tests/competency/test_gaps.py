"""The gap refresh on the hand-computed world of conftest.py: every kind of gap, the minimum
samples, the evidence sentences and the replacement of earlier rows."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.utils import translation

from sigap.analytics.engine import Engine
from sigap.competency.gaps import gaps_refresh
from sigap.competency.models import CompetencyGap, GapRefresh
from sigap.web.said import from_stored, said

from .conftest import AS_OF, STEP, GapWorld

Kind = CompetencyGap.Kind


def rows(**filters: Any) -> list[tuple[Any, ...]]:
    return sorted(
        CompetencyGap.objects.filter(**filters).values_list(
            "employee__name", "competency__code", "kind", "required_level", "actual_level", "size",
            "step", "citizens_affected",
        )
    )  # fmt: skip


def test_profile_gaps_against_the_standard_in_force_and_the_target(
    gap_world: GapWorld, engine: Engine
) -> None:
    gaps_refresh(AS_OF, engine=engine)
    a = gap_world.world.officer_a
    assert rows(employee=a, kind__in=[Kind.CURRENT_POSITION, Kind.TARGET_POSITION]) == [
        # integritas: level 1 of 2 (the 2027 standard's 5 is not in force yet)
        ("Siti Rahmawati", "integritas", Kind.CURRENT_POSITION, 2, 1, 1.0, "", 4),
        # komunikasi: 2 meets the position's 2 (not the 2025 standard's 4; the December result
        # is after AS_OF) but not the target Kepala Seksi's 3
        ("Siti Rahmawati", "komunikasi", Kind.TARGET_POSITION, 3, 2, 1.0, "", 4),
        # never assessed: shown, with no level and no size
        ("Siti Rahmawati", "verifikasi-dokumen", Kind.CURRENT_POSITION, 3, None, 0.0, "", 4),
    ]
    gap = CompetencyGap.objects.get(employee=a, competency=gap_world.integritas)
    assert said(from_stored(gap.evidence)) == (
        "Assessed at level 1 on 1 March 2026; the position Pengadministrasi Kependudukan "
        "requires level 2."
    )
    with translation.override("id"):
        assert said(from_stored(gap.evidence)) == (
            "Penilaian tanggal 1 Maret 2026 menempatkannya pada level 1; jabatan "
            "Pengadministrasi Kependudukan mensyaratkan level 2."
        )
    # The others meet every requirement.
    assert not CompetencyGap.objects.filter(
        employee__in=gap_world.officers[1:], kind=Kind.CURRENT_POSITION
    ).exists()


def test_performance_gap_from_the_step_against_peers(gap_world: GapWorld, engine: Engine) -> None:
    gaps_refresh(AS_OF, engine=engine)
    a, _o2, _o3, o4, _o5 = gap_world.officers
    assert rows(kind=Kind.PERFORMANCE) == [
        ("Dodi", "verifikasi-dokumen", Kind.PERFORMANCE, None, None, 1.0, STEP, 15),
        ("Siti Rahmawati", "verifikasi-dokumen", Kind.PERFORMANCE, None, None, 0.333333, STEP, 15),
    ]
    gap = CompetencyGap.objects.get(employee=a, kind=Kind.PERFORMANCE)
    assert gap.service == gap_world.world.ktp
    assert [str(s) for s in from_stored(gap.evidence)] == [
        "On “Verifikasi berkas” (Penerbitan KTP-el), 33% of this officer's 6 events had to be "
        "redone, against a median of 0% among 3 peers.",
        "On “Verifikasi berkas” (Penerbitan KTP-el), 67% of this officer's 6 events were right "
        "the first time, against a median of 100% among 3 peers.",
    ]
    slow = CompetencyGap.objects.get(employee=o4, kind=Kind.PERFORMANCE)
    assert [str(s) for s in from_stored(slow.evidence)] == [
        "On “Verifikasi berkas” (Penerbitan KTP-el), this officer's median handling time was "
        "3.0 hours over 3 events, against a median of 1.0 hours among 3 peers."
    ]
    with translation.override("id"):
        assert "3,0 jam dari 3 kegiatan, dibanding median 1,0 jam" in said(
            from_stored(slow.evidence)
        )


def test_the_minimum_samples_are_respected(
    gap_world: GapWorld, engine: Engine, settings: Any
) -> None:
    # Four peers needed: nobody on the step has them (o5's two events make no peer).
    settings.SIGAP = {**settings.SIGAP, "COMPETENCY_GAP_MIN_PEERS": 4}
    gaps_refresh(AS_OF, engine=engine)
    assert rows(kind=Kind.PERFORMANCE) == []
    # Soft skills need 4 peers too now: only three officers have the minimum of requests.
    assert rows(kind=Kind.SOFT_SKILL) == []
    settings.SIGAP = {
        **settings.SIGAP,
        "COMPETENCY_GAP_MIN_PEERS": 2,
        "COMPETENCY_GAP_MIN_EVENTS": 7,
    }
    gaps_refresh(AS_OF, engine=engine)
    assert rows(kind=Kind.PERFORMANCE) == []


def test_the_margin_is_a_setting(gap_world: GapWorld, engine: Engine, settings: Any) -> None:
    settings.SIGAP = {
        **settings.SIGAP, "COMPETENCY_GAP_SHARE_MARGIN": 0.4, "COMPETENCY_GAP_HANDLING_MARGIN": 2.5,
    }  # fmt: skip
    gaps_refresh(AS_OF, engine=engine)
    assert rows(kind=Kind.PERFORMANCE) == []


def test_soft_skill_gap_from_complaints_and_skm(gap_world: GapWorld, engine: Engine) -> None:
    gaps_refresh(AS_OF, engine=engine)
    # Only officer_a: o3 has one complaint, o4 too few requests; U6 is the same for everyone.
    assert rows(kind=Kind.SOFT_SKILL) == [
        ("Siti Rahmawati", "komunikasi", Kind.SOFT_SKILL, None, None, 0.375, "", 4)
    ]
    gap = CompetencyGap.objects.get(kind=Kind.SOFT_SKILL)
    assert [str(s) for s in from_stored(gap.evidence)] == [
        "2 complaints about this officer's behaviour over 4 requests handled in the last 12 "
        "months (50.0%), against a median of 12.5% among 2 peers.",
        "SKM unsur U7 Perilaku Pelaksana: 2.25 out of 4 from 4 responses on requests this "
        "officer handled, against a median of 3.25 among 2 peers.",
    ]
    with translation.override("id"):
        assert "2,25 dari 4 menurut 4 jawaban" in said(from_stored(gap.evidence))


def test_a_soft_skill_competency_missing_from_the_dictionary_is_skipped(
    gap_world: GapWorld, engine: Engine, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SIGAP = {
        **settings.SIGAP,
        "COMPETENCY_SOFT_SKILL_COMPETENCIES": {
            "complaints": "tata-krama", "perilaku": "tata-krama", "kompetensi": "pelayanan-publik",
        },
    }  # fmt: skip
    with caplog.at_level(logging.INFO, logger="sigap.competency.gaps"):
        gaps_refresh(AS_OF, engine=engine)
    assert rows(kind=Kind.SOFT_SKILL) == []
    assert "'tata-krama' is not in the dictionary" in caplog.text


def test_each_refresh_replaces_every_row(gap_world: GapWorld, engine: Engine) -> None:
    first = gaps_refresh(AS_OF, engine=engine)
    count = CompetencyGap.objects.count()
    # officer_a 3 profile, 1 soft skill; 2 performance; never assessed: head_a's komunikasi,
    # officer_b's three
    assert first.gaps == count == 10
    gap_world.world.officer_a.assessments.filter(competency=gap_world.integritas).update(level=2)
    second = gaps_refresh(AS_OF, engine=engine)
    assert second.gaps == CompetencyGap.objects.count() == count - 1
    assert GapRefresh.objects.count() == 2


def test_evidence_reads_in_indonesian(gap_world: GapWorld, engine: Engine) -> None:
    gaps_refresh(AS_OF, engine=engine)
    gap = CompetencyGap.objects.get(kind=Kind.TARGET_POSITION)
    with translation.override("id"):
        text = said(from_stored(gap.evidence))
    assert text.startswith("Penilaian tanggal ")
    assert "menempatkannya pada level 2" in text


def test_the_command_refreshes_the_gaps_and_drafts_the_plans(
    gap_world: GapWorld, settings: Any, tmp_path: Any
) -> None:
    """`sigap competency refresh` on the operational database: its requests go through the
    analytics store (no step gaps: none of them reaches the step's minimum). Two plans (counter
    A's and the agency's) of two items each: integritas and komunikasi."""
    from io import StringIO

    from django.core.management import call_command

    from sigap.competency.models import DevelopmentPlan

    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("competency", "refresh", "--as-of", AS_OF.isoformat(), stdout=out)
    assert "Competency gaps up to 2026-11-30: 8 gaps" in out.getvalue()
    assert "AKPK 2027: 2 plans drafted (4 items)" in out.getvalue()
    assert "Training effects from" in out.getvalue()  # no training aimed at a step: 0 rows
    assert DevelopmentPlan.objects.filter(year=2027).count() == 2
