"""The transformation roadmap: the few actions per unit that would close its largest gaps.

`proposals` reads a unit's scorecard rows (and the bottlenecks of the analytics) and proposes
actions ranked by gap × citizens affected; the targets are the registry's
(`sigap.metrics.registry`, through `sigap.leadership.scoring.METRICS`). `roadmap_generate`, run at
the end of every scorecard refresh, stores new proposals and follows the figures of accepted ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from sigap.competency.gaps import UnitGap, unit_top_gaps
from sigap.leadership import scoring
from sigap.leadership.models import (
    LIVE_STATUSES,
    ActionStatus,
    Direction,
    RoadmapAction,
    ScorecardRefresh,
    UnitScorecard,
)
from sigap.performance.models import StepBottleneck
from sigap.rules.ikm import element
from sigap.rules.sp4n import FOLLOW_UP_WORKING_DAYS
from sigap.web import formatting
from sigap.web import said as figures
from sigap.web.said import Said, said

MAX_LIVE_ACTIONS = 3
"""The few actions per unit: at most this many proposed or accepted at once."""


# --- the roadmap --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A gap found in a unit's baseline row, before it becomes a `RoadmapAction`.

    Its title and evidence are kept as sentences of the catalogue with their values
    (`sigap.leadership.models.Said`), so each reader gets them in their own language."""

    direction: str
    gap_key: str
    metric_key: str
    title: tuple[Said, ...]
    evidence: tuple[Said, ...]
    baseline: float
    gap: float
    citizens: int

    @property
    def priority(self) -> float:
        return scoring.priority(self.gap, self.citizens)


def baseline_period(rows: Sequence[UnitScorecard], as_of: date) -> str | None:
    """The latest quarter that ended before `as_of` (else the latest quarter with rows)."""
    quarters = sorted({r.period_label for r in rows if r.period_kind == "quarter"})
    complete = [q for q in quarters if scoring.bounds(q)[1] < as_of]
    found = complete or quarters
    return found[-1] if found else None


def _pct(x: float) -> str:
    return formatting.percent(x, 0)


def _competency_wording(unit: str, gaps: Sequence[UnitGap]) -> tuple[Said | None, list[Said]]:
    """The title and evidence the unit's measured competency gaps give its competency action:
    the largest gap names the action; each gap says how many officers have it, how many
    requests it touches, and the evidence of its largest case."""
    if not gaps:
        return None, []
    top = gaps[0]
    title = Said(
        gettext_noop("Develop %(competency)s in %(officers)d officers (AKPK)"),
        {"competency": top.competency, "officers": top.officers},
    )
    evidence: list[Said] = []
    for g in gaps:
        evidence.append(
            Said(
                gettext_noop(
                    "%(officers)d officers of %(unit)s have a measured gap on %(competency)s "
                    "(%(requests)s requests affected in the last 12 months), e.g.:"
                ),
                {
                    "officers": g.officers,
                    "unit": unit,
                    "competency": g.competency,
                    "requests": figures.count(g.requests),
                },
            )
        )
        evidence.extend(g.evidence)
    return title, evidence


def proposals(
    row: UnitScorecard,
    bottleneck: StepBottleneck | None,
    *,
    min_sample: int = scoring.MIN_SAMPLE,
    gaps: Sequence[UnitGap] = (),
) -> list[Proposal]:
    """Every gap of one unit's baseline row, each as an action with its evidence. `gaps`: the
    unit's largest competency gaps (`sigap.competency.gaps.unit_top_gaps`, ranked as the AKPK
    ranks its items), which the first-time-right action cites when the largest concerns
    returns (a step's work redone or not right the first time)."""
    m = scoring.METRICS
    p = row.period_label
    unit = row.unit.name
    out: list[Proposal] = []

    g = scoring.gap(row.sla_share, m["sla_share"])
    if g and row.sla_cases >= min_sample and row.sla_share is not None:
        evidence = [
            Said(
                gettext_noop(
                    "In %(period)s, %(met)d of %(n)d closed requests at %(unit)s (%(share)s) "
                    "were finished within the SLA."
                ),
                {
                    "period": p,
                    "met": row.sla_met,
                    "n": row.sla_cases,
                    "unit": unit,
                    "share": _pct(row.sla_share),
                },
            )
        ]
        if bottleneck is not None:
            perf = bottleneck.perf
            evidence.append(
                Said(
                    gettext_noop(
                        "Step “%(step)s” of %(service)s holds %(wait_share)s of all waiting "
                        "time: a median of %(days)s days before it, over %(events)s passages "
                        "(whole log)."
                    ),
                    {
                        "step": bottleneck.activity,
                        "service": perf.service.name,
                        "wait_share": _pct(bottleneck.share_of_waiting),
                        "days": figures.decimal(bottleneck.median_wait_days, 1),
                        "events": figures.count(bottleneck.events),
                    },
                )
            )
            title = Said(
                gettext_noop("Shorten the wait before “%(step)s” (%(service)s)"),
                {"step": bottleneck.activity, "service": perf.service.name},
            )
            key = f"sla_share:{perf.service.code}:{bottleneck.activity}"
        else:
            title = Said(
                gettext_noop("Bring SLA compliance to %(target)s"),
                {"target": _pct(m["sla_share"].target)},
            )
            key = "sla_share"
        out.append(
            Proposal(
                Direction.INNOVATION,
                key,
                "sla_share",
                (title,),
                tuple(evidence),
                row.sla_share,
                g,
                row.sla_cases,
            )
        )

    g = scoring.gap(row.ftr_share, m["ftr_share"])
    if g and row.closed >= min_sample and row.ftr_share is not None:
        returned = row.closed - row.first_time_right
        # The unit's largest AKPK gap names this action only when it is work redone or not
        # right the first time on a step: a gap of another kind says nothing about returns.
        cited_title, cited = _competency_wording(unit, gaps if gaps and gaps[0].returns else ())
        out.append(
            Proposal(
                Direction.COMPETENCY,
                "ftr_share",
                "ftr_share",
                (
                    cited_title
                    or Said(
                        gettext_noop(
                            "Check requirements completely at intake, so files are not returned"
                        )
                    ),
                ),
                (
                    Said(
                        gettext_noop(
                            "In %(period)s, %(returned)d of %(n)d closed requests (%(share)s) "
                            "were returned to the applicant for correction at least once."
                        ),
                        {
                            "period": p,
                            "returned": returned,
                            "n": row.closed,
                            "share": _pct(returned / row.closed),
                        },
                    ),
                    *cited,
                ),
                row.ftr_share,
                g,
                row.closed,
            )
        )

    share = row.complaints_on_time_share
    g = scoring.gap(share, m["complaints_on_time_share"])
    if g and share is not None and row.complaints:
        late = row.complaints - row.complaints_on_time
        out.append(
            Proposal(
                Direction.PARTICIPATION,
                "complaints_on_time_share",
                "complaints_on_time_share",
                (Said(gettext_noop("Answer every complaint within the SP4N-LAPOR! deadline")),),
                (
                    Said(
                        gettext_noop(
                            "In %(period)s, %(late)d of %(n)d complaints forwarded to %(unit)s "
                            "were not followed up within %(days)d working days."
                        ),
                        {
                            "period": p,
                            "late": late,
                            "n": row.complaints,
                            "unit": unit,
                            "days": FOLLOW_UP_WORKING_DAYS,
                        },
                    ),
                ),
                share,
                g,
                row.complaints,
            )
        )

    g = scoring.gap(row.ikm, m["ikm"])
    if g and row.ikm is not None and row.skm_responses >= min_sample and row.weakest_element:
        name = element(row.weakest_element).name
        out.append(
            Proposal(
                Direction.PARTICIPATION,
                f"ikm:{row.weakest_element}",
                "ikm",
                (
                    Said(
                        gettext_noop("Act on the weakest SKM unsur: %(element)s"), {"element": name}
                    ),
                ),
                (
                    Said(
                        gettext_noop(
                            "IKM %(ikm).2f (mutu %(mutu)s) from %(n)d SKM responses in "
                            "%(period)s; the weakest unsur is %(element)s with an NRR of "
                            "%(nrr).2f out of 4."
                        ),
                        {
                            "ikm": row.ikm,
                            "mutu": row.ikm_mutu or "–",
                            "n": row.skm_responses,
                            "period": p,
                            "element": name,
                            "nrr": row.weakest_nrr or 0,
                        },
                    ),
                ),
                row.ikm,
                g,
                row.volume,
            )
        )

    g = scoring.gap(row.digital_share, m["digital_share"])
    if g and row.digital_share is not None and row.volume >= min_sample:
        out.append(
            Proposal(
                Direction.DIGITALISATION,
                "digital_share",
                "digital_share",
                (Said(gettext_noop("Move more requests to the online and mobile channels")),),
                (
                    Said(
                        gettext_noop(
                            "In %(period)s, %(digital)d of %(n)d requests at %(unit)s "
                            "(%(share)s) came through the online or mobile channel; the others "
                            "needed a visit."
                        ),
                        {
                            "period": p,
                            "digital": row.digital_requests,
                            "n": row.volume,
                            "unit": unit,
                            "share": _pct(row.digital_share),
                        },
                    ),
                ),
                row.digital_share,
                g,
                row.volume - row.digital_requests,
            )
        )

    g = scoring.gap(row.standards_published, m["standards_published"])
    if g and row.standards_published is not None:
        missing = row.services - row.services_published
        out.append(
            Proposal(
                Direction.PARTICIPATION,
                "standards_published",
                "standards_published",
                (Said(gettext_noop("Publish the service standard of every service")),),
                (
                    Said(
                        gettext_noop(
                            "%(missing)d of %(n)d services of %(unit)s had no service standard "
                            "in force in %(period)s."
                        ),
                        {"missing": missing, "n": row.services, "unit": unit, "period": p},
                    ),
                ),
                row.standards_published,
                g,
                max(row.volume, 1),
            )
        )

    g = scoring.gap(row.integrity_rate, m["integrity_rate"])
    if g and row.integrity_rate is not None:
        out.append(
            Proposal(
                Direction.INTEGRITY,
                "integrity_rate",
                "integrity_rate",
                (Said(gettext_noop("Review the flagged integrity signals with the Inspektorat")),),
                (
                    Said(
                        gettext_noop(
                            "The latest integrity run flagged %(signals)d signals about %(unit)s "
                            "(overcharging, queue jumping, unequal treatment or officer risk): "
                            "%(rate).2f per 1,000 requests over its window; %(wbs)d "
                            "whistleblowing reports in %(period)s."
                        ),
                        {
                            "signals": row.integrity_signals or 0,
                            "wbs": row.wbs_cases,
                            "unit": unit,
                            "rate": row.integrity_rate,
                            "period": p,
                        },
                    ),
                ),
                row.integrity_rate,
                g,
                row.volume,
            )
        )

    d = row.appraisal_diff_index
    g = scoring.gap(d, m["appraisal_diff_index"])
    if d is not None and row.appraisal_rated >= 3 and (g or row.appraisal_inflated):
        evidence = [
            Said(
                gettext_noop(
                    "The %(year)d SKP ratings of %(n)d employees of %(unit)s have a "
                    "differentiation index of %(d).2f (0 = everyone the same, 1 = evenly "
                    "spread)."
                ),
                {"year": row.appraisal_year, "n": row.appraisal_rated, "unit": unit, "d": d},
            )
        ]
        if row.appraisal_inflated:
            evidence.append(
                Said(gettext_noop("High ratings while the evidence is weak (inflation flag)."))
            )
        out.append(
            Proposal(
                Direction.MERITOCRACY,
                "appraisal_diff_index",
                "appraisal_diff_index",
                (Said(gettext_noop("Differentiate SKP ratings according to the evidence")),),
                tuple(evidence),
                d,
                max(g, 0.5 if row.appraisal_inflated else 0.0),
                row.volume,
            )
        )
    out.sort(key=lambda x: (-x.priority, x.gap_key))
    return out


def roadmap_generate(
    *, refresh: ScorecardRefresh, rows: Iterable[UnitScorecard], min_sample: int
) -> int:
    """Propose the largest gaps of each unit as actions, never a second live one per gap.

    A gap with a proposed, accepted or dismissed action is not proposed again; one marked done
    is, if the gap is still there at a later baseline quarter.
    """
    rows = list(rows)
    label = baseline_period(rows, refresh.as_of)
    if label is None:
        return 0
    baseline = [r for r in rows if r.period_kind == "quarter" and r.period_label == label]
    taken: dict[int, set[str]] = defaultdict(set)
    live: dict[int, int] = defaultdict(int)
    for uid, key, status, period in RoadmapAction.objects.values_list(
        "unit_id", "gap_key", "status", "baseline_period"
    ):
        # Done: proposed again only if a later baseline still shows the gap.
        if status != ActionStatus.DONE or period == label:
            taken[uid].add(key)
        if status in LIVE_STATUSES:
            live[uid] += 1
    worst: dict[int, StepBottleneck] = {}
    # The biggest waiting step of the unit's busiest service.
    for b in StepBottleneck.objects.select_related("perf__service").order_by(
        "-perf__volume", "rank"
    ):
        worst.setdefault(b.perf.unit_id, b)
    gaps = unit_top_gaps()
    made: list[RoadmapAction] = []
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for row in baseline:
            room = MAX_LIVE_ACTIONS - live[row.unit.pk]
            found = proposals(
                row, worst.get(row.unit.pk), min_sample=min_sample, gaps=gaps.get(row.unit.pk, ())
            )
            for prop in found:
                if room <= 0:
                    break
                if prop.gap_key in taken[row.unit.pk] or prop.priority <= 0:
                    continue
                metric = scoring.METRICS[prop.metric_key]
                made.append(
                    RoadmapAction(
                        unit=row.unit,
                        direction=prop.direction,
                        gap_key=prop.gap_key,
                        metric_key=prop.metric_key,
                        title=said(prop.title)[:300],
                        evidence=said(prop.evidence),
                        wording={
                            "title": [w.stored() for w in prop.title],
                            "evidence": [w.stored() for w in prop.evidence],
                        },
                        baseline_value=prop.baseline,
                        baseline_period_kind="quarter",
                        baseline_period=label,
                        target_value=metric.target,
                        gap=prop.gap,
                        citizens=prop.citizens,
                        priority=prop.priority,
                        created_by_refresh=refresh,
                        created_at=now,
                    )
                )
                taken[row.unit.pk].add(prop.gap_key)
                room -= 1
    RoadmapAction.objects.bulk_create(made)
    return len(made)
