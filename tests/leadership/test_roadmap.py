"""The transformation roadmap: proposals from the baseline quarter, ranked by gap × citizens, no
duplicates, status changes validated and audited, progress over later periods."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sigap.audit.models import AuditEntry
from sigap.competency.gaps import REWORK
from sigap.leadership.models import ActionStatus, RoadmapAction
from sigap.leadership.refresh import leadership_refresh
from sigap.leadership.selectors import progress
from sigap.leadership.services import roadmap_action_set_status
from sigap.rules.ikm import ELEMENT_CODES
from tests.leadership.conftest import AS_OF, Recorded

pytestmark = pytest.mark.django_db


def test_the_largest_gaps_times_citizens_come_first(recorded: Recorded) -> None:
    leadership_refresh(as_of=AS_OF, min_sample=1)
    actions = list(RoadmapAction.objects.filter(unit=recorded.world.counter_a))
    # Baseline: 2025-Q3 (the last quarter ended before 1 Oct). Gaps of counter A, by hand:
    #   complaints on time 0.5 vs 0.95: (0.95 - 0.5) / 0.95 = 0.473684 × 2 complaints = 0.947368
    #   first time right 2/3 vs 0.90: 0.259259 × 3 closed = 0.777778
    #   SLA compliance 2/3 vs 0.90: 0.259259 × 3 closed = 0.777778 (tie: by gap key)
    #   IKM 84.72 vs 88.31: 3.59 / 63.31 = 0.056705 × 4 requests = 0.226820 (fourth: left out)
    #   digital channel 0.5: at the target, no gap.
    assert [(a.metric_key, a.direction) for a in actions] == [
        ("complaints_on_time_share", "participation"),
        ("ftr_share", "competency"),
        ("sla_share", "innovation"),
    ]
    top = actions[0]
    assert top.priority == pytest.approx(0.947368)
    assert (top.gap, top.citizens) == (pytest.approx(0.473684), 2)
    assert (top.baseline_value, top.target_value) == (0.5, 0.95)
    assert (top.baseline_period_kind, top.baseline_period) == ("quarter", "2025-Q3")
    assert "1 of 2 complaints" in top.evidence
    assert "5 working days" in top.evidence
    assert "1 of 3 closed requests" in actions[1].evidence  # returned for correction
    assert "2 of 3 closed requests" in actions[2].evidence  # within the SLA
    # Puskesmas B: one request, at every target but the digital channel (0 of 1).
    (b,) = RoadmapAction.objects.filter(unit=recorded.world.puskesmas_b)
    assert (b.metric_key, b.direction, b.gap, b.citizens) == (
        "digital_share",
        "digitalisation",
        1.0,
        1,
    )


def test_no_second_action_for_a_live_gap_and_room_is_refilled(recorded: Recorded) -> None:
    w = recorded.world
    leadership_refresh(as_of=AS_OF, min_sample=1)
    leadership_refresh(as_of=AS_OF, min_sample=1)
    assert RoadmapAction.objects.filter(unit=w.counter_a).count() == 3
    # Done frees a place: the next gap (IKM, weakest unsur) is proposed; the done gap is not
    # proposed again from the same baseline quarter.
    top = RoadmapAction.objects.filter(unit=w.counter_a).first()
    assert top is not None and top.metric_key == "complaints_on_time_share"
    top = roadmap_action_set_status(action=top, user=w.users["head_a"], status="accepted")
    roadmap_action_set_status(action=top, user=w.users["head_a"], status="done")
    leadership_refresh(as_of=AS_OF, min_sample=1)
    live = RoadmapAction.objects.filter(unit=w.counter_a, status__in=["open", "accepted"])
    assert sorted(live.values_list("metric_key", flat=True)) == ["ftr_share", "ikm", "sla_share"]
    assert RoadmapAction.objects.filter(unit=w.counter_a, metric_key="ikm").get().gap_key == (
        "ikm:" + ELEMENT_CODES[2]
    )
    # A dismissed gap is not proposed again.
    dismissed = live.get(metric_key="sla_share")
    roadmap_action_set_status(
        action=dismissed, user=w.users["leadership"], status="dismissed", note="Sudah ada SOP"
    )
    leadership_refresh(as_of=AS_OF, min_sample=1)
    assert RoadmapAction.objects.filter(unit=w.counter_a, gap_key="sla_share").count() == 1
    # Nothing else is left to propose: digital share is at its target.
    assert RoadmapAction.objects.filter(unit=w.counter_a).count() == 4


def test_status_changes_are_validated_and_audited(recorded: Recorded) -> None:
    w = recorded.world
    leadership_refresh(as_of=AS_OF, min_sample=1)
    action = RoadmapAction.objects.filter(unit=w.counter_a).first()
    assert action is not None
    with pytest.raises(ValidationError) as e:
        roadmap_action_set_status(action=action, user=w.users["head_a"], status="finished")
    assert "status" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # open → done skips acceptance
        roadmap_action_set_status(action=action, user=w.users["head_a"], status="done")
    assert "status" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # a dismissal needs its reason
        roadmap_action_set_status(action=action, user=w.users["head_a"], status="dismissed")
    assert "note" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        roadmap_action_set_status(
            action=action, user=w.users["head_a"], status="accepted", note="x" * 2001
        )
    assert "note" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # the officer has no say over the roadmap
        roadmap_action_set_status(action=action, user=w.users["officer_a"], status="accepted")
    with pytest.raises(ValidationError):  # nor the unit head of another unit
        roadmap_action_set_status(action=action, user=w.users["officer_b"], status="accepted")
    assert RoadmapAction.objects.get(pk=action.pk).status == ActionStatus.OPEN
    assert not AuditEntry.objects.filter(action="roadmap.status").exists()

    done = roadmap_action_set_status(
        action=action, user=w.users["head_a"], status="accepted", note=" Kami kerjakan "
    )
    assert (done.status, done.status_note, done.status_by) == (
        "accepted",
        "Kami kerjakan",
        w.users["head_a"],
    )
    entry = AuditEntry.objects.get(action="roadmap.status")
    assert entry.data["from"] == "open" and entry.data["to"] == "accepted"
    assert entry.unit_id == w.counter_a.pk


def test_progress_lists_the_metric_in_every_later_period(recorded: Recorded) -> None:
    w = recorded.world
    # Baseline 2025-Q2 (as of 1 Aug): counter A had one request, at the counter: digital 0.
    leadership_refresh(as_of=date(2025, 8, 1), min_sample=1)
    action = RoadmapAction.objects.get(unit=w.counter_a, metric_key="digital_share")
    assert (action.baseline_period, action.baseline_value) == ("2025-Q2", 0.0)
    # Later runs keep the action and add periods.
    leadership_refresh(as_of=AS_OF, min_sample=1)
    got = progress([action])[action.pk]
    assert [(p.period, p.value) for p in got] == [("2025-Q3", 0.5), ("2025-Q4", None)]


def test_sla_action_quotes_the_biggest_waiting_step(
    recorded: Recorded, settings: Any, tmp_path: Path
) -> None:
    """With the analytics result tables, the SLA gap names the step that holds most waiting."""
    from sigap.performance.models import StepBottleneck
    from sigap.performance.services import performance_refresh

    settings.VAR_DIR = tmp_path
    performance_refresh(tmp_path / "analytics", min_cases=1)
    top = StepBottleneck.objects.filter(perf__unit=recorded.world.counter_a).order_by("rank")[0]
    leadership_refresh(as_of=AS_OF, min_sample=1)
    action = RoadmapAction.objects.get(unit=recorded.world.counter_a, metric_key="sla_share")
    assert action.gap_key == f"sla_share:ktp-el:{top.activity}"
    assert action.title == f"Shorten the wait before “{top.activity}” (Penerbitan KTP-el)"
    share = f"{100 * top.share_of_waiting:.0f}%"
    assert f"Step “{top.activity}” of Penerbitan KTP-el holds {share} of all waiting" in (
        action.evidence
    )
    assert f"over {top.events} passages" in action.evidence


def test_the_competency_action_cites_the_units_measured_gaps(recorded: Recorded) -> None:
    """With gaps from the competency refresh, the competency action names the unit's largest
    one (Σ gap × requests over its officers) and quotes each with its evidence."""
    from django.utils import timezone

    from sigap.competency.models import Competency, CompetencyGap
    from tests import factories

    w = recorded.world
    other = factories.employee(w.counter_a, "Rina", w.officer_a.position)
    verify = Competency.objects.create(code="t-verifikasi", name="Verifikasi", group="teknis")
    integrity, _ = Competency.objects.get_or_create(
        code="integritas", defaults={"name": "Integritas", "group": "manajerial"}
    )
    said = [
        REWORK,
        {"step": "Verifikasi", "service": "KTP-el", "share": {"percent": 0.5, "places": 0},
         "events": {"count": 1400}, "peers_share": {"percent": 0.1, "places": 0}, "peers": 3},
    ]  # fmt: skip

    def gap(emp: Any, comp: Competency, kind: str, size: float, **kw: Any) -> None:
        CompetencyGap.objects.create(
            employee=emp, competency=comp, kind=kind, size=size, computed_at=timezone.now(), **kw
        )

    # Verifikasi: 0.4 × 50 + 0.2 × 50 = 30 over two officers; integritas 1/2 × 10 = 5;
    # a gap of unknown size (never assessed) counts for nothing.
    on_step = {"step": "Verifikasi", "service": w.ktp}
    gap(w.officer_a, verify, "performance", 0.4, citizens_affected=50, evidence=[said], **on_step)
    gap(other, verify, "performance", 0.2, citizens_affected=50, **on_step)
    gap(w.officer_a, integrity, "current", 1.0, required_level=2, citizens_affected=10)
    gap(w.head_a, integrity, "current", 0.0, required_level=3)
    # Towards a target position: career development, not the service's; left out.
    gap(w.head_a, integrity, "target", 1.0, required_level=2, citizens_affected=90)
    leadership_refresh(as_of=AS_OF, min_sample=1)
    action = RoadmapAction.objects.get(unit=w.counter_a, direction="competency")
    assert action.title == "Develop Verifikasi in 2 officers (AKPK)"
    assert (
        "2 officers of Loket A have a measured gap on Verifikasi (50 requests affected in the "
        "last 12 months), e.g.: On “Verifikasi” (KTP-el), 50% of this officer's 1,400 events "
        "had to be redone, against a median of 10% among 3 peers. 1 officers of "
        "Loket A have a measured gap on Integritas (10 requests affected"
    ) in action.evidence
    assert "1 of 3 closed requests" in action.evidence  # the first-time-right figure stays


def test_a_gap_unrelated_to_returns_does_not_name_the_first_time_right_action(
    recorded: Recorded,
) -> None:
    """The unit's largest gap is integritas (no step, nothing redone): the first-time-right
    action keeps its own wording and cites no competency gap."""
    from django.utils import timezone

    from sigap.competency.models import Competency, CompetencyGap

    w = recorded.world
    integrity, _ = Competency.objects.get_or_create(
        code="integritas", defaults={"name": "Integritas", "group": "manajerial"}
    )
    CompetencyGap.objects.create(
        employee=w.officer_a, competency=integrity, kind="current", size=1.0, required_level=2,
        citizens_affected=10, computed_at=timezone.now(),
    )  # fmt: skip
    leadership_refresh(as_of=AS_OF, min_sample=1)
    action = RoadmapAction.objects.get(unit=w.counter_a, metric_key="ftr_share")
    assert action.title == "Check requirements completely at intake, so files are not returned"
    assert "Integritas" not in action.evidence
