"""The demo's innovation registry on the small demo: innovations at every stage with a history
that matches their stage, the planted innovations with their ground truth, replications, ideas
with endorsements and their sources, the IID answers of 2026; the wipe leaves none."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import F

from sigap.catalogue.models import Service
from sigap.demo.build import wipe
from sigap.demo.innovation import ENTRIES, IDEAS
from sigap.demo.innovation_plant import A_NAME, B_NAME, C_NAME, DRIFT_NAME
from sigap.demo.models import PlantedPattern
from sigap.innovation.models import (
    Endorsement,
    Idea,
    IdeaSource,
    IdeaStatus,
    IndicatorAnswer,
    Innovation,
    Kind,
    Replication,
    SpdAnswer,
    Stage,
    StageChange,
)
from sigap.rules.innovation import (
    BASIC_URUSAN,
    FRAME_2026,
    URUSAN,
    SpdInput,
    check_spd_weights,
)
from tests.demo.conftest import small_demo  # noqa: F401 - the module's demo

pytestmark = pytest.mark.django_db

ORDER = [Stage.INITIATIVE, Stage.TRIAL, Stage.APPLIED]


def test_the_registry_covers_every_stage_and_kind(small_demo: str) -> None:  # noqa: F811
    innovations = list(Innovation.objects.all())
    assert len(innovations) >= 25
    assert len(innovations) == len(ENTRIES) + 10  # six planted, the ramp, three versions
    assert {i.stage for i in innovations} == set(Stage)
    assert {i.kind for i in innovations} == set(Kind)
    assert all(i.urusan in URUSAN for i in innovations)
    applied_basic = {i.urusan for i in innovations if i.stage == Stage.APPLIED} & BASIC_URUSAN
    assert len(applied_basic) >= 5
    # Most declare the indicator they aim to improve; some (no service of their own) none.
    declared = [i for i in innovations if i.target_kpi]
    assert len(declared) >= 15 and len(declared) < len(innovations)
    long = [i for i in innovations if len(i.design.split()) >= 300]
    assert len(long) >= 6
    assert sum(1 for i in innovations if i.video_url.startswith("https://")) >= 6


def test_stage_dates_and_history_match_the_stage(small_demo: str) -> None:  # noqa: F811
    for innovation in Innovation.objects.all():
        dates = [innovation.initiated_on, innovation.trial_on, innovation.applied_on]
        reached = ORDER.index(Stage(innovation.stage)) + 1
        assert all(d is not None for d in dates[:reached]), innovation
        assert all(d is None for d in dates[reached:]), innovation
        assert dates[:reached] == sorted(dates[:reached])  # type: ignore[type-var]
        history = list(StageChange.objects.filter(innovation=innovation).order_by("at", "pk"))
        assert [h.stage for h in history] == ORDER[:reached]
        assert [h.on for h in history] == dates[:reached]


def test_the_planted_innovations_and_their_truth(small_demo: str) -> None:  # noqa: F811
    planted = {
        p.subject: p.detail
        for p in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.INNOVATION_EFFECT)
    }
    assert len(planted) == 6
    assert {d["expect"] for d in planted.values()} == {"improved", "no_claim", "pre_trend"}
    a, b, c = planted[A_NAME], planted[B_NAME], planted[C_NAME]
    assert a["kpi"] == "first_time_right" and 0 < a["planted_size"] < 0.2
    assert b["kpi"] == c["kpi"] == "lead_time"
    assert b["planted_size"] < 0 and c["planted_size"] < 0
    assert planted[DRIFT_NAME]["drift_from"] < planted[DRIFT_NAME]["drift_until"]
    for name, detail in planted.items():
        innovation = Innovation.objects.get(name=name)
        assert innovation.stage == Stage.APPLIED
        assert len(detail["starts"]) >= 5
        # The original's own services are linked; the adopters' come by replication.
        own = set(innovation.services.values_list("code", flat=True))
        first = min(detail["starts"].values())
        assert own == {s for s, d in detail["starts"].items() if d == first}
        assert innovation.applied_on == date.fromisoformat(first)
        # Its planted KPI is declared as the one it aims to improve (its primary outcome).
        assert innovation.target_kpi == detail["kpi"]
    # A: staggered in-agency adoption by Cibening and Gunungsari, plus another region.
    a_row = Innovation.objects.get(name=A_NAME)
    adopters = Replication.objects.filter(original=a_row, adopter_unit__isnull=False)
    assert sorted(r.adopter_unit.code for r in adopters) == ["kec-cibening", "kec-gunungsari"]
    assert sorted(r.adopted_on.isoformat() for r in adopters) == sorted(
        {d for s, d in a["starts"].items() if not s.startswith("kec-sukamaju")}
    )
    assert Replication.objects.filter(original=a_row, adopter_region__gt="").count() == 1
    # The adopters' services are found by their family.
    for code in a["starts"]:
        assert Service.objects.get(code=code).family in ("kec-domisili", "kec-ahli-waris")


def test_ideas_endorsements_and_their_sources(small_demo: str) -> None:  # noqa: F811
    ideas = list(Idea.objects.all())
    assert len(ideas) == len(IDEAS)
    assert {i.status for i in ideas} == set(IdeaStatus)
    assert {i.source for i in ideas} == set(IdeaSource)
    for idea in ideas:
        assert idea.proposed_by.unit_id in (idea.unit_id, idea.unit.parent_id)
        if idea.source == IdeaSource.ROADMAP:
            assert idea.roadmap_action is not None and idea.source_key == ""
        elif idea.source in (IdeaSource.COMPLAINTS, IdeaSource.SKM):
            assert idea.source_key
        if idea.status == IdeaStatus.ACCEPTED:
            assert idea.innovation is not None and idea.decided_at is not None
            assert idea.innovation.initiated_on >= idea.proposed_at.date()
        elif idea.status == IdeaStatus.DECLINED:
            assert idea.innovation is None and len(idea.decision_note) > 20
        else:
            assert idea.decided_at is None and idea.innovation is None
    assert Endorsement.objects.count() >= len(ideas)
    # Never an endorsement of one's own idea.
    assert not Endorsement.objects.filter(employee_id=F("idea__proposed_by_id")).exists()


def test_the_iid_answers_of_2026(small_demo: str) -> None:  # noqa: F811
    applied = Innovation.objects.filter(stage=Stage.APPLIED)
    keys = {i.key for i in FRAME_2026.sid}
    for innovation in applied:
        answers = IndicatorAnswer.objects.filter(innovation=innovation, frame=2026)
        assert {a.indicator for a in answers} == keys
    assert not IndicatorAnswer.objects.exclude(innovation__stage=Stage.APPLIED).exists()
    assert IndicatorAnswer.objects.filter(parameter=0).exists()  # something left to raise
    spd = list(SpdAnswer.objects.filter(frame=2026))
    assert {a.indicator for a in spd} == {r.key for r in FRAME_2026.spd}
    inputs = [SpdInput(a.indicator, a.weight, a.parameter) for a in spd]
    assert check_spd_weights(FRAME_2026, inputs) == 0  # the weights add up to 21


def test_the_wipe_leaves_no_innovation_rows(small_demo: str) -> None:  # noqa: F811
    with transaction.atomic():
        wipe()
        for model in (Innovation, StageChange, Replication, Idea, Endorsement, IndicatorAnswer,
                      SpdAnswer):  # fmt: skip
            assert not model.objects.exists(), model
        transaction.set_rollback(True)
