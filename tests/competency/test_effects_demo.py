"""The demo plants its two trainings (records and ground truth), and the effect refresh runs on
the demo's store: on the small demo (six officers at the counter, one or two of them trained)
it draws no conclusion, because too few trained officers, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from sigap.analytics.engine import connect
from sigap.analytics.impact import DEFAULT_SETTINGS, Reason
from sigap.analytics.refresh import EVENTS
from sigap.competency.effects import NO_CONCLUSION, effect_sentences, training_effects_refresh
from sigap.competency.models import TrainingEffect, TrainingRecord
from sigap.demo.models import PlantedPattern
from sigap.demo.training_plant import EFFECTIVE_FACTOR, EFFECTIVE_TITLE, NULL_TITLE, SERVICE
from sigap.organisation.models import Employee
from sigap.performance.services import performance_refresh
from tests.demo.conftest import small_demo  # noqa: F401 - the module's demo

pytestmark = pytest.mark.django_db


def test_the_demo_plants_an_effective_and_a_null_training(small_demo: str) -> None:  # noqa: F811
    planted = {
        p.detail["title"]: p
        for p in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.TRAINING_EFFECT)
    }
    assert set(planted) == {EFFECTIVE_TITLE, NULL_TITLE}
    assert planted[EFFECTIVE_TITLE].detail["returns_factor"] == EFFECTIVE_FACTOR
    assert planted[EFFECTIVE_TITLE].detail["returned_change"] == EFFECTIVE_FACTOR - 1
    assert planted[NULL_TITLE].detail["returns_factor"] == 1.0
    for title, pattern in planted.items():
        assert pattern.detail["participants"]
        records = TrainingRecord.objects.filter(title=title).select_related("service", "employee")
        assert sorted(r.employee.nip for r in records) == sorted(pattern.detail["participants"])
        assert pattern.subject == f"{SERVICE}/Verifikasi berkas"
        assert all(r.service.code == SERVICE and r.step == "Verifikasi berkas" for r in records)
        assert all(r.jp > 0 and r.ends_on >= r.starts_on for r in records)
    logins = set(Employee.objects.filter(user__isnull=False).values_list("nip", flat=True))
    assert not logins & {nip for p in planted.values() for nip in p.detail["participants"]}


def test_the_refresh_on_the_small_demo_says_why_it_cannot_conclude(
    small_demo: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    performance_refresh(tmp_path)
    assert training_effects_refresh(tmp_path) == 6  # 2 trainings x 3 indicators
    planted = {
        p.detail["title"]: p.detail["participants"]
        for p in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.TRAINING_EFFECT)
    }
    with connect("duckdb") as eng:
        eng.register_log(tmp_path / EVENTS)
        officers = {str(r[0]) for r in eng.rows("SELECT DISTINCT resource FROM events")}
    for effect in TrainingEffect.objects.all():
        assert effect.conclusion == TrainingEffect.Conclusion.NO_CONCLUSION
        # Every participant present in the log is measured; there are too few of them.
        present = [nip for nip in planted[effect.title] if nip in officers]
        assert 0 < len(present) < DEFAULT_SETTINGS.min_treated
        ((msgid, params),) = effect.explanation
        assert msgid == NO_CONCLUSION[Reason.TOO_FEW_TREATED]
        assert params == {"n": len(present), "min": DEFAULT_SETTINGS.min_treated}
        assert effect_sentences(effect)[0].startswith("No conclusion: only ")
