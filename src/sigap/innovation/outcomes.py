"""Closing the loop: what worked and what did not, for leadership, units and the public.

Reads only what is stored: the `InterventionEffect` rows `sigap innovation effects` wrote, the
registry, and — for replication candidates — the leadership `ServiceScorecard` rows (the one
definition of each service figure; nothing is recomputed here).

* `effect_lines(effects)`: the rows of one subject as lines a page shows (headline first).
* `what_worked(user, unit=None)`: the measured innovations in application and completed roadmap
  actions of the units in the user's scope (`Action.SCORECARD_VIEW`), improved first, then no
  measurable effect, then mixed (one KPI improved, another worsened), then worsened, then no
  conclusion (with the reason). A subject's overall result is its primary KPI's (the one it was
  meant to change, judged at 95 %) when it has one; otherwise it is read from all its KPIs,
  each judged with the Bonferroni correction (`sigap.innovation.effects.levels`).
* `replication_candidates(innovation, user)`: for each KPI the innovation improved, the same
  service elsewhere — the services of the same family (`Service.family`) or, without a family,
  the services of the same name — at units that have not adopted it, whose latest figure is
  worse than the level of the innovation's own services in that period, ranked by gap ×
  requests.
* `public_innovations()`: the innovations in application with their units, services, dates,
  description and measured effect, for the public transparency page (no person named).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from sigap.access import Action, scope_q, scoped
from sigap.catalogue.models import Service
from sigap.innovation import wording
from sigap.innovation.models import Conclusion, Innovation, InterventionEffect, Stage
from sigap.leadership import scoring
from sigap.leadership import selectors as leadership
from sigap.leadership.models import ActionStatus, PeriodKind, RoadmapAction, ServiceScorecard
from sigap.organisation.models import Unit

if TYPE_CHECKING:
    from sigap.access import AnyUser

KPI_ORDER = (
    wording.LEAD_TIME,
    wording.SLA,
    wording.FIRST_TIME_RIGHT,
    wording.IKM,
    wording.COMPLAINTS,
)
# How a subject's lines and subjects themselves are ordered: what worked first.
CONCLUSION_ORDER = (
    Conclusion.IMPROVED,
    Conclusion.NO_EFFECT,
    Conclusion.WORSENED,
    Conclusion.NO_CONCLUSION,
)
# A subject's verdict when one KPI improved and another worsened: neither "what worked" nor
# "what got worse" (each line keeps its own conclusion).
MIXED = "mixed"
VERDICT_ORDER: tuple[str, ...] = (
    Conclusion.IMPROVED.value,
    Conclusion.NO_EFFECT.value,
    MIXED,
    Conclusion.WORSENED.value,
    Conclusion.NO_CONCLUSION.value,
)
# The ServiceScorecard field that holds each KPI (the scorecard's own definition). Complaints
# per 1,000 requests has no per-service figure there, so it proposes no replication.
SCORECARD_FIELDS: dict[str, str] = {
    wording.LEAD_TIME: "lead_wd_median",
    wording.SLA: "sla_share",
    wording.FIRST_TIME_RIGHT: "ftr_share",
    wording.IKM: "ikm",
}

# ... and its heading there: the candidates table shows the scorecard's figure, not the effect's.
SCORECARD_NAMES: dict[str, Any] = {
    wording.LEAD_TIME: gettext_lazy("Median lead time"),
    wording.SLA: gettext_lazy("SLA compliance"),
    wording.FIRST_TIME_RIGHT: gettext_lazy("First time right"),
    wording.IKM: gettext_lazy("IKM"),
}


def _kpi_rank(kpi: str) -> int:
    return KPI_ORDER.index(kpi) if kpi in KPI_ORDER else len(KPI_ORDER)


def _verdict_rank(verdict: str) -> int:
    return VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER)


def _conclusion_rank(conclusion: str) -> int:
    values = [c.value for c in CONCLUSION_ORDER]
    return values.index(conclusion) if conclusion in values else len(values)


@dataclass(frozen=True)
class EffectLine:
    """One measured KPI of a subject, as a page shows it."""

    effect_id: int
    kpi: str
    kpi_name: str
    conclusion: str
    headline: str
    details: list[str]  # the stored explanation: sample, caveats, or why no conclusion
    starts_on: date
    treated: int
    comparison: int
    primary: bool = False  # the KPI the subject was meant to change


def effect_lines(effects: Iterable[InterventionEffect]) -> list[EffectLine]:
    """The rows of one subject: its primary KPI first, then measured results (improved, no
    effect, worsened), then those without a conclusion; by KPI within each."""
    lines = []
    for e in effects:
        sentences = wording.effect_sentences(e)
        lines.append(
            EffectLine(
                effect_id=e.pk,
                kpi=e.kpi,
                kpi_name=wording.kpi_name(e.kpi),
                conclusion=e.conclusion,
                headline=sentences[0],
                details=sentences[1:],
                starts_on=e.starts_on,
                treated=e.treated,
                comparison=e.comparison,
                primary=e.primary,
            )
        )
    return sorted(
        lines,
        key=lambda ln: (not ln.primary, _conclusion_rank(ln.conclusion), _kpi_rank(ln.kpi)),
    )


def innovation_effects(innovation: Innovation) -> list[EffectLine]:
    """The measured effects of one innovation in application (for its detail page): none once
    it went back a stage, though its rows wait for the next measurement run."""
    if innovation.stage != Stage.APPLIED:
        return []
    return effect_lines(InterventionEffect.objects.filter(innovation=innovation))


def effects_context(innovation: Innovation) -> dict[str, Any]:
    """What `innovation/_effects.html` needs on the innovation's detail page:
    `{% include "innovation/_effects.html" with effects=effects %}`."""
    return {"effects": innovation_effects(innovation)}


def action_effects(actions: Iterable[RoadmapAction]) -> dict[int, list[EffectLine]]:
    """For each completed action given, its measured effects (one query)."""
    done = [a.pk for a in actions if a.status == ActionStatus.DONE]
    grouped: dict[int, list[InterventionEffect]] = defaultdict(list)
    for e in InterventionEffect.objects.filter(action_id__in=done):
        assert e.action_id is not None
        grouped[e.action_id].append(e)
    return {pk: effect_lines(rows) for pk, rows in grouped.items()}


def _verdict(lines: Sequence[EffectLine]) -> str:
    """A subject's overall result: its primary KPI's result when it has one (the KPI it was
    meant to change: a difference on another, even one that passed its corrected test, does
    not make it a success nor a failure). Otherwise: mixed when one KPI improved and another
    worsened, improved when a KPI improved and none worsened, else the best of the rest."""
    primary = [ln for ln in lines if ln.primary]
    if primary:
        return primary[0].conclusion
    found = {ln.conclusion for ln in lines}
    if {Conclusion.IMPROVED.value, Conclusion.WORSENED.value} <= found:
        return MIXED
    for c in CONCLUSION_ORDER:
        if c.value in found:
            return c.value
    return Conclusion.NO_CONCLUSION.value


@dataclass
class Outcome:
    """One measured innovation or completed roadmap action."""

    subject: str  # InterventionEffect.Subject value
    subject_id: int
    title: str
    units: list[Unit]
    starts_on: date
    verdict: str  # a Conclusion value (its primary KPI's, else the best of its KPIs), or MIXED
    lines: list[EffectLine]
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def worked(self) -> bool:
        return self.verdict == Conclusion.IMPROVED


def innovations_in_scope(user: AnyUser, unit: Unit | None = None) -> QuerySet[Innovation]:
    """Innovations in application with at least one of their units in the user's scorecard
    scope (and below `unit` when given). One moved back to trial keeps its measured rows until
    the next `sigap innovation effects` run: it is not shown as what worked meanwhile."""
    qs = Innovation.objects.filter(
        scope_q(user, Action.SCORECARD_VIEW, "units"), stage=Stage.APPLIED
    )
    if unit is not None:
        qs = qs.filter(units__path__startswith=unit.path)
    return Innovation.objects.filter(pk__in=qs.values("pk"))


def what_worked(user: AnyUser, unit: Unit | None = None) -> list[Outcome]:
    """Every measured innovation and completed roadmap action of the units in scope (below
    `unit` when given): improved first, then no measurable effect, then worsened, then no
    conclusion; the latest change first within each. Two queries."""
    innovations = innovations_in_scope(user, unit)
    actions = scoped(user, Action.SCORECARD_VIEW, RoadmapAction.objects.all())
    if unit is not None:
        actions = actions.filter(unit__path__startswith=unit.path)
    effects = (
        InterventionEffect.objects.filter(
            Q(innovation__in=innovations.values("pk"))
            | Q(action__in=actions.filter(status=ActionStatus.DONE).values("pk"))
        )
        .select_related("innovation", "action__unit")
        .prefetch_related("innovation__units")
        .order_by("pk")
    )
    by_subject: dict[tuple[str, int], list[InterventionEffect]] = defaultdict(list)
    for e in effects:
        key = (e.subject, e.innovation_id or e.action_id or 0)
        by_subject[key].append(e)
    outcomes = []
    for (subject, pk), rows in by_subject.items():
        lines = effect_lines(rows)
        first = rows[0]
        if subject == InterventionEffect.Subject.INNOVATION and first.innovation is not None:
            title = first.innovation.name
            units = sorted(first.innovation.units.all(), key=lambda u: u.path)
        elif first.action is not None:
            title = first.action.title_text
            units = [first.action.unit]
        else:  # pragma: no cover - the check constraint forbids it
            continue
        starts = min(r.starts_on for r in rows)
        outcomes.append(Outcome(subject, pk, title, units, starts, _verdict(lines), lines))
    outcomes.sort(key=lambda o: (_verdict_rank(o.verdict), -o.starts_on.toordinal(), o.title))
    return outcomes


# --- Replication candidates -------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A service at a unit that has not adopted an innovation that worked, with a worse figure
    than the innovation's own services after the change."""

    kpi: str
    kpi_name: str
    service: Service
    unit: Unit
    period: str  # the scorecard period both figures come from
    value: float  # the candidate's figure
    reference: float  # the innovation's own service's figure in the same period
    gap: float  # how much worse, in the figure's unit (always > 0)
    requests: int  # the candidate's requests in the period
    score: float  # gap × requests: the ranking


def _adopters(innovation: Innovation) -> set[int]:
    """Units that run the innovation already: its own, the adopting units recorded, and the
    units of its replicas in the registry."""
    units = set(innovation.units.values_list("pk", flat=True))
    units |= {
        pk
        for pk in innovation.adoptions.exclude(adopter_unit=None).values_list(
            "adopter_unit_id", flat=True
        )
        if pk is not None
    }
    replicas = Innovation.objects.filter(
        Q(replication_of=innovation) | Q(replication_record__original=innovation)
    )
    units |= set(Unit.objects.filter(innovations__in=replicas).values_list("pk", flat=True))
    return units


def _same_service(treated: Service) -> Q:
    """The same service elsewhere: its family, or without one, its name."""
    if treated.family:
        return Q(family=treated.family)
    return Q(family="", name__iexact=treated.name)


def _period(kind: str) -> str | None:
    """The latest complete scorecard period of `kind` (as the leadership pages choose it)."""
    _kind, label, _labels = leadership.parse_period(kind, None, leadership.latest_refresh())
    return label


def replication_candidates(
    innovation: Innovation,
    user: AnyUser,
    *,
    kind: str = PeriodKind.QUARTER,
    improved: Iterable[str] | None = None,
) -> list[Candidate]:
    """For each KPI the innovation improved (`improved`, or read from its effects), the same
    services at units in the user's scope that have not adopted it, whose figure in the latest
    complete period of `kind` is worse than the innovation's own service of that family in the
    same period (the weakest of them when it runs at several units); best first by gap ×
    requests within each KPI. Nothing is proposed before a period that starts after the
    change."""
    if improved is None:
        improved = InterventionEffect.objects.filter(
            innovation=innovation, conclusion=Conclusion.IMPROVED
        ).values_list("kpi", flat=True)
    kpis = sorted({k for k in improved if k in SCORECARD_FIELDS}, key=_kpi_rank)
    label = _period(kind)
    starts = (
        InterventionEffect.objects.filter(innovation=innovation)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    ) or innovation.applied_on
    if not kpis or label is None or starts is None:
        return []
    period_start = scoring.bounds(label)[0]
    if period_start < starts:
        return []
    treated = list(innovation.services.all())
    if not treated:
        return []
    adopters = _adopters(innovation)
    treated_ids = {s.pk for s in treated}
    same = Q(pk__in=[])
    for s in treated:
        same |= _same_service(s)
    others = (
        scoped(user, Action.SCORECARD_VIEW, Service.objects.filter(same))
        .exclude(pk__in=treated_ids)
        .exclude(unit_id__in=adopters)
        .select_related("unit")
    )
    others_list = list(others)
    rows = {
        (r.unit_id, r.service_id): r
        for r in ServiceScorecard.objects.filter(
            period_kind=kind,
            period_label=label,
            service_id__in=treated_ids | {s.pk for s in others_list},
        )
    }
    out: list[Candidate] = []
    for kpi in kpis:
        name = SCORECARD_FIELDS[kpi]
        higher = wording.HIGHER_IS_BETTER[kpi]
        for other in others_list:
            row = rows.get((other.unit_id, other.pk))
            value = getattr(row, name) if row is not None else None
            if row is None or value is None:
                continue
            references = [
                getattr(rows[(s.unit_id, s.pk)], name)
                for s in treated
                if (s.unit_id, s.pk) in rows
                and getattr(rows[(s.unit_id, s.pk)], name) is not None
                and _matches(s, other)
            ]
            if not references:
                continue
            # The weakest of the innovation's own services: a candidate is worse than all.
            reference = min(references) if higher else max(references)
            gap = (reference - value) if higher else (value - reference)
            if gap <= 0:
                continue
            out.append(
                Candidate(
                    kpi=kpi,
                    kpi_name=str(SCORECARD_NAMES[kpi]),
                    service=other,
                    unit=other.unit,
                    period=label,
                    value=value,
                    reference=reference,
                    gap=gap,
                    requests=row.volume,
                    score=gap * row.volume,
                )
            )
    out.sort(key=lambda c: (_kpi_rank(c.kpi), -c.score, c.unit.path, c.service.code))
    return out


def _matches(treated: Service, other: Service) -> bool:
    if treated.family:
        return other.family == treated.family
    return not other.family and other.name.casefold() == treated.name.casefold()


def with_candidates(outcomes: list[Outcome], user: AnyUser) -> list[Outcome]:
    """The outcomes, each innovation that worked with its replication candidates."""
    worked = [
        o for o in outcomes if o.worked and o.subject == InterventionEffect.Subject.INNOVATION
    ]
    if not worked:
        return outcomes
    by_pk = Innovation.objects.in_bulk([o.subject_id for o in worked])
    for o in worked:
        innovation = by_pk.get(o.subject_id)
        if innovation is not None:
            improved = [ln.kpi for ln in o.lines if ln.conclusion == Conclusion.IMPROVED]
            o.candidates = replication_candidates(innovation, user, improved=improved)
    return outcomes


# --- The public page --------------------------------------------------------------------------


@dataclass
class PublicInnovation:
    """An innovation in application as the public sees it: no person is named (the initiator
    only by type)."""

    innovation: Innovation
    units: list[Unit]
    services: list[Service]
    lines: list[EffectLine]

    @property
    def headlines(self) -> list[str]:
        return [ln.headline for ln in self.lines]


def public_innovations() -> list[PublicInnovation]:
    """Every innovation in application, the latest applied first, with its units, services and
    measured effects. Four queries."""
    innovations = list(
        Innovation.objects.filter(stage=Stage.APPLIED, applied_on__isnull=False)
        .prefetch_related("units", "services")
        .order_by("-applied_on", "name")
    )
    effects: dict[int, list[InterventionEffect]] = defaultdict(list)
    for e in InterventionEffect.objects.filter(innovation__in=[i.pk for i in innovations]):
        assert e.innovation_id is not None
        effects[e.innovation_id].append(e)
    return [
        PublicInnovation(
            innovation=i,
            units=sorted(i.units.all(), key=lambda u: u.path),
            services=sorted(i.services.all(), key=lambda s: s.name),
            lines=effect_lines(effects.get(i.pk, [])),
        )
        for i in innovations
    ]


__all__ = [
    "MIXED",
    "Candidate",
    "EffectLine",
    "Outcome",
    "PublicInnovation",
    "action_effects",
    "effect_lines",
    "effects_context",
    "innovation_effects",
    "innovations_in_scope",
    "public_innovations",
    "replication_candidates",
    "what_worked",
    "with_candidates",
]
