"""Does training work? The planted trainings of the demo, simulated on one busy service (the
demo's own volume of it, 30,000 requests over 24 months), are measured on DuckDB and Spark:
the effective one is found with a CI covering its planted size, the null one gets no claim."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from sigap.analytics.impact import DEFAULT_SETTINGS, Impact, ImpactSettings, Reason, Verdict
from sigap.analytics.step_panel import FIRST_TIME_RIGHT, HANDLING, REWORK
from sigap.catalogue.models import Service
from sigap.competency.effects import (
    GroupKey,
    analyse_groups,
    effect_sentences,
    explain,
    training_effects_refresh,
)
from sigap.competency.models import TrainingEffect, TrainingRecord
from sigap.demo.training_plant import EFFECTIVE_FACTOR, SERVICE, PlannedTraining
from sigap.organisation.models import Employee
from tests import factories
from tests.competency.planted_log import planted_log

SERVICE_ID = 1


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[PlannedTraining]]:
    return planted_log(tmp_path_factory.mktemp("store"))


def groups_of(planned: list[PlannedTraining]) -> dict[GroupKey, dict[str, date]]:
    return {
        (t.title, SERVICE_ID, t.step): {p.nip: p.ends_on for p in t.participants} for t in planned
    }


def returned_change(impact: Impact) -> tuple[float, float, float]:
    """The relative change of the files returned (1 - first-time-right) against the
    counterfactual, and its CI."""
    assert impact.estimate is not None and impact.baseline is not None
    assert impact.ci_low is not None and impact.ci_high is not None
    base = 1 - impact.baseline
    return -impact.estimate / base, -impact.ci_high / base, -impact.ci_low / base


@pytest.fixture(scope="module")
def duckdb_results(
    planted: tuple[Path, list[PlannedTraining]],
) -> dict[GroupKey, dict[str, Impact]]:
    path, planned = planted
    return analyse_groups(groups_of(planned), {SERVICE_ID: SERVICE}, path)


def check_planted(
    results: dict[GroupKey, dict[str, Impact]], planned: list[PlannedTraining]
) -> None:
    effective, null = (results[(t.title, SERVICE_ID, t.step)] for t in planned)
    assert planned[0].factor == EFFECTIVE_FACTOR and planned[1].factor == 1.0
    ftr = effective[FIRST_TIME_RIGHT]
    assert ftr.verdict == Verdict.IMPROVED, ftr
    change, low, high = returned_change(ftr)
    assert low <= EFFECTIVE_FACTOR - 1 <= high, (change, low, high)
    assert ftr.pre_trend_p is not None and ftr.pre_trend_p >= DEFAULT_SETTINGS.pre_trend_alpha
    # Fewer returns is also less rework at the step (a returned file is verified again).
    assert effective[REWORK].verdict == Verdict.IMPROVED
    for kpi in (FIRST_TIME_RIGHT, REWORK, HANDLING):
        # The null training is measurable (all its participants) and shows no effect.
        impact = null[kpi]
        assert (impact.verdict, impact.reason) == (Verdict.NO_EFFECT, None), (kpi, impact)
        assert impact.ci_low is not None and impact.ci_high is not None
        assert impact.ci_low < 0 < impact.ci_high
        assert impact.n_treated == len(planned[1].participants) == 5


def test_planted_trainings_on_duckdb(
    planted: tuple[Path, list[PlannedTraining]],
    duckdb_results: dict[GroupKey, dict[str, Impact]],
) -> None:
    check_planted(duckdb_results, planted[1])


@pytest.mark.spark
def test_planted_trainings_on_spark_agree_with_duckdb(
    planted: tuple[Path, list[PlannedTraining]],
    duckdb_results: dict[GroupKey, dict[str, Impact]],
) -> None:
    pytest.importorskip("pyspark")
    path, planned = planted
    results = analyse_groups(groups_of(planned), {SERVICE_ID: SERVICE}, path, engine="spark")
    check_planted(results, planned)
    for key, by_kpi in results.items():
        for kpi, impact in by_kpi.items():
            expected = duckdb_results[key][kpi]
            assert impact.estimate == pytest.approx(expected.estimate, rel=1e-9), (key, kpi)
            assert impact.ci_low == pytest.approx(expected.ci_low, rel=1e-9), (key, kpi)
            assert impact.verdict == expected.verdict


def test_a_training_after_the_data_gives_no_conclusion(
    planted: tuple[Path, list[PlannedTraining]],
) -> None:
    path, planned = planted
    later = {p.nip: date(2030, 1, 15) for p in planned[0].participants}
    result = analyse_groups({("Later", SERVICE_ID, planned[0].step): later}, {1: SERVICE}, path)
    impact = result[("Later", SERVICE_ID, planned[0].step)][FIRST_TIME_RIGHT]
    assert (impact.verdict, impact.reason) == (Verdict.NO_CONCLUSION, Reason.OUTSIDE_DATA)


def test_too_few_comparison_officers_gives_no_conclusion(
    planted: tuple[Path, list[PlannedTraining]],
) -> None:
    path, planned = planted
    # 16 of the 20 officers trained at once: 4 comparison officers remain (5 needed).
    trained = {f"1990010120200110{i:02d}": date(2025, 8, 29) for i in range(1, 17)}
    key = ("Everyone", SERVICE_ID, planned[0].step)
    impact = analyse_groups({key: trained}, {1: SERVICE}, path)[key][FIRST_TIME_RIGHT]
    assert (impact.verdict, impact.reason) == (Verdict.NO_CONCLUSION, Reason.TOO_FEW_COMPARISON)
    assert impact.n_comparison == 4
    effect = TrainingEffect(explanation=[s.stored() for s in explain(FIRST_TIME_RIGHT, impact)])
    assert effect_sentences(effect) == [
        "No conclusion: only 4 comparable officers not yet trained work on this step "
        "(at least 5 needed)."
    ]


def test_no_store_gives_no_conclusion_for_every_training(tmp_path: Path) -> None:
    key = ("Any", SERVICE_ID, "Verifikasi berkas")
    result = analyse_groups({key: {"x": date(2025, 1, 31)}}, {1: SERVICE}, tmp_path / "none")
    assert all(i.verdict == Verdict.NO_CONCLUSION for i in result[key].values())


def test_the_headline_reads_in_plain_indonesian() -> None:
    impact = Impact(
        Verdict.IMPROVED,
        None,
        True,
        estimate=0.038,
        ci_low=0.021,
        ci_high=0.052,
        before=0.88,  # the participants' own level before: not the baseline
        baseline=0.9,
        n_treated=6,
        n_comparison=9,
        pre_periods=8,
        post_periods=10,
    )
    effect = TrainingEffect(explanation=[s.stored() for s in explain(FIRST_TIME_RIGHT, impact)])
    with translation.override("id"):
        headline, sample = effect_sentences(effect)
    assert headline == (
        "Setelah pelatihan, pengembalian berkas oleh peserta turun 38 % (95 % CI 21–52 %) "
        "dibanding petugas sebanding yang belum dilatih."
    )
    assert "6 petugas" in sample and "9 petugas" in sample
    with translation.override("en"):
        assert effect_sentences(effect)[0].startswith(
            "After the training, files returned by participants fell 38% (95% CI 21–52%)"
        )


def test_the_sentence_follows_the_interval_it_prints() -> None:
    """Direction and significance come from the one interval shown: a CI crossing 0 never
    reads "improved", whatever the verdict field says."""
    crossing = Impact(
        Verdict.IMPROVED, None, False, estimate=-0.02, ci_low=-0.05, ci_high=0.01,
        before=0.2, baseline=0.25, n_treated=6, n_comparison=9,
    )  # fmt: skip
    effect = TrainingEffect(explanation=[s.stored() for s in explain(REWORK, crossing)])
    with translation.override("en"):
        assert effect_sentences(effect)[0] == (
            "After the training, rework caused by participants did not change measurably "
            "compared with similar officers not yet trained (-8%, 95% CI -20% to 4%)."
        )
    rose = Impact(
        Verdict.WORSENED, None, False, estimate=0.05, ci_low=0.01, ci_high=0.09,
        before=0.2, baseline=0.25, n_treated=6, n_comparison=9,
    )  # fmt: skip
    effect = TrainingEffect(explanation=[s.stored() for s in explain(REWORK, rose)])
    with translation.override("id"):
        assert effect_sentences(effect)[0].startswith(
            "Setelah pelatihan, pengerjaan ulang yang ditimbulkan peserta naik 20 % "
            "(95 % CI 4–36 %)"
        )


def test_first_time_right_without_a_relative_baseline_reads_as_a_percentage() -> None:
    # A counterfactual of 100 % first-time-right leaves no returned files to divide by.
    impact = Impact(
        Verdict.WORSENED, None, True, estimate=-0.045, ci_low=-0.07, ci_high=-0.02,
        before=1.0, baseline=1.0, n_treated=6, n_comparison=9,
    )  # fmt: skip
    effect = TrainingEffect(explanation=[s.stored() for s in explain(FIRST_TIME_RIGHT, impact)])
    with translation.override("id"):
        headline = effect_sentences(effect)[0]
    assert "-4,5 %" in headline and "-7,0 %" in headline and "-2,0 %" in headline
    assert "0,045" not in headline


@pytest.fixture
def trained_world(
    db: None, planted: tuple[Path, list[PlannedTraining]]
) -> Iterator[tuple[Path, Service]]:
    """The test agency with the planted service, its officers (the log's NIPs) and the
    planted trainings' records."""
    path, planned = planted
    world = factories.build_world()
    service = Service.objects.create(unit=world.counter_a, code=SERVICE, name="Penerbitan KK")
    position = world.officer_a.position
    for i in range(1, 21):
        Employee.objects.create(
            nip=f"1990010120200110{i:02d}", name=f"Petugas {i}", status=Employee.Status.PNS,
            position=position, rank="II/c", unit=world.counter_a, active_from=date(2015, 1, 1),
        )  # fmt: skip
    staff = {e.nip: e for e in Employee.objects.all()}
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            employee=staff[p.nip], title=t.title, route=t.route, starts_on=p.starts_on,
            ends_on=p.ends_on, hours=t.hours, jp=Decimal(t.hours), service=service, step=t.step,
            source=TrainingRecord.Source.ENTERED,
        )
        for t in planned
        for p in t.participants
    )  # fmt: skip
    # A training aimed at no step is not measured.
    TrainingRecord.objects.create(
        employee=staff[planned[0].participants[0].nip], title="Orientasi", route="sosialisasi",
        starts_on=date(2025, 2, 3), ends_on=date(2025, 2, 3), hours=Decimal(4), jp=Decimal(4),
        source=TrainingRecord.Source.ENTERED,
    )  # fmt: skip
    yield path.parent, service


def test_refresh_replaces_the_rows_with_their_explanations(
    trained_world: tuple[Path, Service],
) -> None:
    store, service = trained_world
    TrainingEffect.objects.create(
        title="Stale", service=service, step="x", starts_on=date(2025, 1, 1), participants=0,
        comparison=0, kpi=REWORK, conclusion="no_effect", computed_at="2026-01-01T00:00Z",
    )  # fmt: skip
    fast = ImpactSettings(bootstrap=199)
    assert training_effects_refresh(store, impact_settings=fast) == 6
    assert not TrainingEffect.objects.filter(title="Stale").exists()
    row = TrainingEffect.objects.get(title__startswith="Bimbingan", kpi=FIRST_TIME_RIGHT)
    assert row.conclusion == "improved" and row.participants == 6
    # The first training date: the day the first participant's training started.
    first = TrainingRecord.objects.filter(title=row.title).order_by("starts_on").first()
    assert first is not None and row.starts_on == first.starts_on
    assert row.starts_on < min(
        TrainingRecord.objects.filter(title=row.title).values_list("ends_on", flat=True)
    )
    with translation.override("id"):
        headline = effect_sentences(row)[0]
    assert headline.startswith("Setelah pelatihan, pengembalian berkas oleh peserta turun")
    null = TrainingEffect.objects.filter(title__startswith="Sosialisasi")
    assert [r.conclusion for r in null] == ["no_effect"] * 3
    assert training_effects_refresh(store, impact_settings=fast) == 6  # replaced, not added
    assert TrainingEffect.objects.count() == 6
