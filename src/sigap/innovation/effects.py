"""Did it work? `effects_refresh` measures every innovation in application and every completed
roadmap action on the service KPIs, against comparison services chosen automatically, and
replaces the InterventionEffect rows.

What is measured (`interventions`):

- An innovation at the application stage with its application date: the services it changes
  (its linked services, or, when none is linked, the active services of its units) from
  `applied_on`. Each in-agency replication (`Replication.adopter_unit`) adds the adopter's
  services from `adopted_on` (staggered adoption): the replica innovation's services when the
  replica is in the registry and names services, else the adopter unit's active services of the
  same family (`catalogue.Service.family`) as the original's. A replica innovation
  (`replication_of` set) is measured within its original, never a second time (a replica of a
  replica within the first original in application up the chain); one whose original is not
  measured (not in application) is measured on its own. Adoption by another
  region (`adopter_region`) is not in this agency's data and adds nothing.
- A roadmap action marked done: from the day after it was marked done, on the KPIs its
  scorecard figure stands for (`KPIS_OF_METRIC`), on the one service its gap names
  (`sla_share:<service>:<step>`) or else the active services of its unit. An action on a figure
  no service KPI measures (complaints followed up on time, digital share, standards published,
  integrity signals, appraisal differentiation, transparency, tracking use) is not measured:
  `SKIPPED_METRICS` gives the reason of each.
- One that reached no service (none linked, no active service at its units) is kept with the
  day it began and measured as "no conclusion: no service" on each KPI (`NO_SERVICES`).

The KPIs are those of `sigap.analytics.service_panel` (lead time in working days, SLA share,
first-time-right, from the case facts of the event log) plus two from the database, built here
per service and month (local months, `impact.month_number`):

- IKM (`ikm_panel`): the IKM of the month's SKM answers about the service, by the one formula
  (`sigap.surveys.selectors.tallies` + `sigap.analytics.ikm.ikm_series`, with the agency's
  weighting setting); a month where some unsur has no answer has no IKM. Weight: respondents.
- Complaints per 1,000 requests (`complaints_panel`): complaints submitted that month about the
  service (the complaint's own service, else the service of the request it names), per 1,000
  requests of the service submitted that month. A complaint naming neither is about the unit
  only and counts for no service: spreading it over the unit's services would credit an
  innovation on one service with complaints about another. A month without requests has no
  rate. Weight: requests.

Only whole months enter the analysis: the month still running on the day the data are read up
to is left out of both, as the service panel leaves it out (its figures are a part-month's).

Several KPIs at once (`levels`): a subject is measured on up to five KPIs, and at 95 % each one
that changed nothing would read "improved" or "worsened" on some KPI about one time in five. The
KPI it is meant to change (its primary outcome: `Innovation.target_kpi`; for a roadmap action
the first KPI its figure stands for) is judged at the configured confidence; every other KPI
(all of them when none is declared) at the Bonferroni-adjusted level 1 - 0.05/m, m = the number
of those KPIs. The level is stored with each row (`InterventionEffect.confidence`) and printed
with its interval.

How (`measure`, pure): per KPI, the comparison is the same service at other units when at least
`min_comparison` of them have data, else the services closest in level and trend before the
change (`impact.choose_comparisons`); services under *another* intervention are comparisons only
until that one started (`excluded_from`); the estimate is `impact.did` with its minimum samples,
pre-trend test and placebo. A start on the 1st treats its whole month; a start later in a month
leaves that month out for the service (partly before, partly after) and treats the months after.
The explanation says which comparison and why, the reason when there is no conclusion, the
sample and the caveats, as Said parts with raw numbers (`sigap.web.said`).

The analysis reads the analytics store as the last `sigap analytics refresh` left it, like the
training effects (`sigap.competency.effects`); `sigap innovation effects` runs it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, DateField, Max, Min, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from sigap.analytics.engine import connect
from sigap.analytics.ikm import PeriodKind, ikm_series
from sigap.analytics.impact import (
    DEFAULT_SETTINGS,
    MATCHED,
    SAME_SERVICE,
    Caveat,
    Comparison,
    Impact,
    ImpactSettings,
    PanelRow,
    Reason,
    Verdict,
    choose_comparisons,
    did,
    month_number,
)
from sigap.analytics.performance import PerformanceSettings
from sigap.analytics.refresh import EVENTS, load_standards
from sigap.analytics.service_panel import (
    COMPLAINTS,
    FIRST_TIME_RIGHT,
    HIGHER_IS_BETTER,
    IKM,
    LEAD_TIME,
    LOG_KPIS,
    SLA,
    ServiceCell,
    panel_rows,
    service_panel,
)
from sigap.catalogue.models import Service
from sigap.complaints.models import Complaint
from sigap.innovation.models import Innovation, InterventionEffect, Replication, Stage
from sigap.innovation.wording import level_places
from sigap.leadership.models import ActionStatus, RoadmapAction
from sigap.performance.services import store_calendar, store_dir
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.models import SurveyResponse
from sigap.surveys.selectors import tallies, weighting
from sigap.web.said import Said, count, day, decimal, percent

# Every KPI an innovation is measured on, in the order pages show them.
KPIS: tuple[str, ...] = (LEAD_TIME, SLA, FIRST_TIME_RIGHT, IKM, COMPLAINTS)

# A roadmap action's scorecard figure (`RoadmapAction.metric_key`) -> the KPIs it stands for.
# SLA actions shorten a wait or a step: the SLA share and the lead time both show it.
KPIS_OF_METRIC: dict[str, tuple[str, ...]] = {
    "sla_share": (SLA, LEAD_TIME),
    "lead_wd_median": (LEAD_TIME,),
    "ftr_share": (FIRST_TIME_RIGHT,),
    "ikm": (IKM,),
}
# Figures no service KPI measures, and why the action is not measured.
SKIPPED_METRICS: dict[str, str] = {
    "complaints_on_time_share": "how fast complaints are followed up, not how many there are",
    "digital_share": "the channel of the requests, not the service they get",
    "standards_published": "whether standards are published, a yes/no per service",
    "integrity_rate": "integrity signals of a whole run's window, not monthly per service",
    "appraisal_diff_index": "SKP ratings of employees, yearly, not a service figure",
    "transparency_score": "a mean of publishing, channel and tracking shares",
    "tracking_share": "whether citizens look up their receipt, not the service they get",
}


@dataclass(frozen=True)
class Intervention:
    """One innovation or roadmap action: the services it changed (service code -> the first
    day of the change there, staggered) and the KPIs it is measured on."""

    subject: str  # InterventionEffect.Subject value
    subject_id: int
    starts: Mapping[str, date]
    kpis: tuple[str, ...]
    # The day it began, for one that reached no service (`starts` empty): measured as "no
    # conclusion: no service", not left out (a page would say "not measured yet" forever).
    began: date | None = None
    # The KPI it is meant to change (its primary outcome, one of `kpis`): judged at the
    # configured confidence, the others together (`levels`). None: none declared.
    primary: str | None = None

    @property
    def starts_on(self) -> date:
        """The earliest start (the day it began when it reached no service)."""
        if self.starts:
            return min(self.starts.values())
        if self.began is None:
            raise ValueError("an intervention without services needs the day it began")
        return self.began

    @property
    def key(self) -> tuple[str, int]:
        return (self.subject, self.subject_id)


@dataclass(frozen=True)
class Measured:
    kpi: str
    impact: Impact
    comparison: Comparison
    explanation: list[Said]
    # The confidence level the interval and verdict were judged at (`levels`), and whether
    # the KPI is the subject's declared primary one.
    confidence: float = DEFAULT_SETTINGS.confidence
    primary: bool = False


def levels(
    kpis: Sequence[str], primary: str | None, confidence: float = DEFAULT_SETTINGS.confidence
) -> dict[str, float]:
    """The confidence level each KPI of a subject is judged at: the declared primary KPI at
    `confidence`; every other KPI (all of them when none is declared, or when the primary is
    not among `kpis`) at the Bonferroni-adjusted `1 - (1 - confidence) / m`, m = the number of
    those KPIs. So the chance that chance alone makes any of the m others read "improved" or
    "worsened" stays at most 1 - confidence, and the primary KPI keeps its own.

    >>> levels(("a", "b", "c", "d", "e"), "a")["b"]
    0.9875
    """
    alpha = 1 - confidence
    others = [k for k in kpis if k != primary]
    out = {}
    for kpi in kpis:
        # Rounded: 0.9875, not 0.98749999999 (stored and printed).
        out[kpi] = confidence if kpi == primary else round(1 - alpha / len(others), 12)
    return out


# --- what is measured ---------------------------------------------------------------------------


def _earliest(starts: dict[str, date], codes: Collection[str], on: date) -> None:
    for code in codes:
        if code not in starts or on < starts[code]:
            starts[code] = on


def interventions() -> list[Intervention]:
    """Every innovation in application and every completed roadmap action with the services
    it changed and when (see the module docstring), ordered by subject then id."""
    services = list(Service.objects.values_list("pk", "code", "unit_id", "family", "is_active"))
    code_of = {pk: code for pk, code, _u, _f, _a in services}
    family_of = {pk: family for pk, _c, _u, family, _a in services}
    active_of_unit: dict[int, list[int]] = defaultdict(list)
    for pk, _code, unit_id, _family, active in services:
        if active:
            active_of_unit[unit_id].append(pk)

    linked: dict[int, list[int]] = defaultdict(list)
    for inn_id, service_id in Innovation.services.through.objects.values_list(
        "innovation_id", "service_id"
    ):
        linked[inn_id].append(service_id)
    units: dict[int, list[int]] = defaultdict(list)
    for inn_id, unit_id in Innovation.units.through.objects.values_list("innovation_id", "unit_id"):
        units[inn_id].append(unit_id)

    def services_of(inn_id: int) -> list[int]:
        if linked.get(inn_id):
            return sorted(linked[inn_id])
        return sorted(s for u in units.get(inn_id, ()) for s in active_of_unit.get(u, ()))

    applied: dict[int, tuple[date, int | None]] = {}
    target: dict[int, str] = {}
    for pk, on, original, kpi in Innovation.objects.filter(
        stage=Stage.APPLIED, applied_on__isnull=False
    ).values_list("pk", "applied_on", "replication_of_id", "target_kpi"):
        if on is not None:
            applied[pk] = (on, original)
            target[pk] = kpi
    # A replica is measured within its original when the original itself is measured (and a
    # replica of a replica within the first original in application up the chain).
    measured = {pk for pk, (_on, original) in applied.items() if original not in applied}

    def root(pk: int) -> int:
        seen = {pk}
        while (up := applied[pk][1]) in applied and up not in seen:
            pk = up
            seen.add(pk)
        return pk

    starts: dict[int, dict[str, date]] = {}
    for pk in measured:
        on = applied[pk][0]
        own: dict[str, date] = {}
        _earliest(own, [code_of[s] for s in services_of(pk)], on)
        starts[pk] = own

    recorded_replicas: set[int] = set()
    for original, adopter, replica, adopted_on in Replication.objects.filter(
        original_id__in=applied, adopter_unit__isnull=False
    ).values_list("original_id", "adopter_unit_id", "replica_id", "adopted_on"):
        if replica is not None:
            recorded_replicas.add(replica)
        adopted = linked.get(replica, []) if replica is not None else []
        if not adopted:
            families = {family_of[s] for s in services_of(original) if family_of[s]}
            adopted = [s for s in active_of_unit.get(adopter, ()) if family_of[s] in families]
        _earliest(starts[root(original)], [code_of[s] for s in adopted], adopted_on)
    # Replicas in the registry without a replication record: their own services and date.
    for pk, (on, replicated) in applied.items():
        if replicated in applied and pk not in measured and pk not in recorded_replicas:
            _earliest(starts[root(pk)], [code_of[s] for s in services_of(pk)], on)

    # One that reached no service (none linked, no active service at its units) is kept: it
    # gets "no conclusion: no service" rather than silence.
    # Its primary KPI: the one it declared (`Innovation.target_kpi`; its replicas are measured
    # within it, on its own).
    out = [
        Intervention(
            InterventionEffect.Subject.INNOVATION.value,
            pk,
            starts[pk],
            KPIS,
            applied[pk][0],
            primary=target[pk] if target[pk] in KPIS else None,
        )
        for pk in sorted(measured)
    ]

    actions = RoadmapAction.objects.filter(
        status=ActionStatus.DONE, status_at__isnull=False
    ).values_list("pk", "unit_id", "gap_key", "metric_key", "status_at")
    by_code = {code: pk for pk, code in code_of.items()}
    for pk, unit_id, gap_key, metric_key, status_at in sorted(actions):
        kpis = KPIS_OF_METRIC.get(metric_key)
        if kpis is None:
            continue  # SKIPPED_METRICS: no service KPI measures this figure
        on = timezone.localtime(status_at).date() + timedelta(days=1)
        named = action_service(gap_key)
        if named is not None and named in by_code:
            codes = [named]
        else:
            codes = [code_of[s] for s in sorted(active_of_unit.get(unit_id, ()))]
        out.append(
            Intervention(
                InterventionEffect.Subject.ROADMAP_ACTION.value,
                pk,
                dict.fromkeys(codes, on),
                kpis,
                on,
                # The KPI its figure stands for first (the SLA share for an SLA action).
                primary=kpis[0],
            )
        )
    return out


def action_service(gap_key: str) -> str | None:
    """The service code a roadmap gap names: `sla_share:<service>:<step>` (the wait before a
    step of one service, `sigap.leadership.roadmap.proposals`); None for a gap of the whole
    unit (`ftr_share`, `ikm:<unsur>`, ...)."""
    metric, _sep, subject = gap_key.partition(":")
    if metric == "sla_share" and subject:
        service, sep, _step = subject.partition(":")
        if sep and service:
            return service
    return None


# --- the KPIs held in the database --------------------------------------------------------------


def _local_months(qs: QuerySet[Any], field: str = "submitted_at") -> Case | None:
    """Each row's local month (its first day) as a SQL `CASE` on the month bounds (compared in
    the database, as `sigap.surveys.selectors` does for the SKM); None with no rows."""
    span = qs.aggregate(first=Min(field), last=Max(field))
    if span["first"] is None:
        return None
    tz = timezone.get_current_timezone()
    month = timezone.localtime(span["first"], tz).date().replace(day=1)
    last = timezone.localtime(span["last"], tz).date().replace(day=1)
    whens = []
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        cut = datetime.combine(following, time.min, tzinfo=tz)
        whens.append(When(**{f"{field}__lt": cut, "then": Value(month)}))
        month = following
    return Case(*whens, output_field=DateField())


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def _period(key: str) -> int:
    """impact.month_number of an `analytics.ikm` month key ("2025-03")."""
    year, month = key.split("-")
    return month_number(int(year), int(month))


def ikm_panel(until: datetime | None = None) -> list[PanelRow]:
    """IKM per service (code) and local month of the SKM answers before `until`; weight =
    respondents. A month where some unsur has no answer has no IKM and no row."""
    responses = SurveyResponse.objects.all()
    if until is not None:
        responses = responses.filter(submitted_at__lt=until)
    found = tallies(responses, group="service", kind=PeriodKind.MONTH)
    codes = {str(pk): code for pk, code in Service.objects.values_list("pk", "code")}
    rows = []
    for point in ikm_series(found, weighting=weighting()):
        if point.result.ikm is None or point.group not in codes:
            continue
        rows.append(
            PanelRow(
                codes[point.group],
                _period(point.period),
                float(point.result.ikm),
                float(point.result.respondents),
            )
        )
    return sorted(rows, key=lambda r: (r.unit, r.period))


def complaints_panel(until: datetime | None = None) -> list[PanelRow]:
    """Complaints per 1,000 requests per service (code) and local month of submission, before
    `until`; weight = the month's requests. A complaint counts for its own service, else the
    service of the request it names; one naming neither counts for no service."""
    requests = ServiceRequest.objects.all()
    complaints = Complaint.objects.annotate(
        about=Coalesce("service_id", "service_request__service_id")
    ).filter(about__isnull=False)
    if until is not None:
        requests = requests.filter(submitted_at__lt=until)
        complaints = complaints.filter(submitted_at__lt=until)
    volume: dict[tuple[int, date], int] = {}
    months = _local_months(requests)
    if months is None:
        return []
    for row in (
        requests.annotate(month=months)
        .values("service_id", "month")
        .annotate(n=Count("*"))
        .order_by()
    ):
        volume[(row["service_id"], _as_date(row["month"]))] = row["n"]
    counted: dict[tuple[int, date], int] = defaultdict(int)
    months = _local_months(complaints)
    if months is not None:
        found = (
            complaints.annotate(month=months)
            .values_list("about", "month")
            .annotate(n=Count("*"))
            .order_by()
        )
        for about, month, n in found:
            counted[(about, _as_date(month))] += n
    codes = dict(Service.objects.values_list("pk", "code"))
    rows = [
        PanelRow(
            codes[service],
            month_number(month.year, month.month),
            1000 * counted.get((service, month), 0) / n,
            float(n),
        )
        for (service, month), n in volume.items()
        if n and service in codes
    ]
    return sorted(rows, key=lambda r: (r.unit, r.period))


def whole_months(rows: Sequence[PanelRow], until: datetime | None) -> list[PanelRow]:
    """The rows of the months that ended by `until`: like the service panel, the month still
    running is left out (its figures are a part-month's)."""
    if until is None:
        return list(rows)
    day = timezone.localtime(until).date()
    cut = month_number(day.year, day.month)
    return [r for r in rows if r.period < cut]


# --- the measurement (pure) ---------------------------------------------------------------------

COMPARISON_SAME = gettext_noop(
    "Compared with the same service at %(n)s other units that did not make the change."
)
COMPARISON_NONE_ELSEWHERE = gettext_noop(
    "No other unit offers this service: compared with the %(n)s services closest to it in "
    "level and trend before the change."
)
COMPARISON_TOO_FEW_ELSEWHERE = gettext_noop(
    "Only %(elsewhere)s of the %(offer)s other units offering this service have data before "
    "and after the change and no change of their own (at least %(min)s needed): compared with "
    "the %(n)s services closest to it in level and trend before the change."
)
NO_COMPARISON = gettext_noop(
    "No other service has data before and after the change without a change of its own: there "
    "is nothing to compare with."
)
NO_DATA = gettext_noop("No conclusion: the changed services have no data on this indicator.")
NO_SERVICES = gettext_noop(
    "No conclusion: the change reached no service (none is linked to it and its units offer no "
    "active service), so there is nothing to measure."
)
TOO_FEW_CHANGED = gettext_noop(
    "No conclusion: the change reached %(n)s services, and at least %(min)s are needed to tell "
    "its effect apart from the ups and downs of single services."
)
NO_CONCLUSION: dict[Reason, str] = {
    Reason.OUTSIDE_DATA: gettext_noop(
        "No conclusion: the change started outside the months the data cover."
    ),
    Reason.TOO_FEW_TREATED: gettext_noop(
        "No conclusion: only %(n)s of the changed services have enough data before and after "
        "the change (at least %(min)s needed)."
    ),
    Reason.TOO_FEW_COMPARISON: gettext_noop(
        "No conclusion: only %(n)s comparison services have enough data before and after the "
        "change (at least %(min)s needed)."
    ),
    Reason.TOO_FEW_PRE_PERIODS: gettext_noop(
        "No conclusion: too few months of data before the change (%(n)s; at least %(min)s needed)."
    ),
    Reason.TOO_FEW_POST_PERIODS: gettext_noop(
        "No conclusion: too few months of data since the change (%(n)s; at least %(min)s needed)."
    ),
    Reason.TOO_FEW_EVENTS: gettext_noop(
        "No conclusion: too few cases behind the figures (%(before)s before and %(after)s "
        "after the change; at least %(min)s each needed)."
    ),
    Reason.PRE_TREND: gettext_noop(
        "No conclusion: the comparison services were already changing differently before the "
        "change (pre-trend p = %(p)s), so they cannot show what would have happened without it."
    ),
}
# A p-value under 0.001 is said as such, never as "p = 0.000".
PRE_TREND_BELOW = gettext_noop(
    "No conclusion: the comparison services were already changing differently before the "
    "change (pre-trend p < %(p)s), so they cannot show what would have happened without it."
)
SAMPLE = gettext_noop(
    "Compared: %(treated)s changed services with %(comparison)s comparison services, at least "
    "%(pre)s months before and %(post)s months after the change."
)
STAGGERED = gettext_noop(
    "The change reached the services at %(n)s different dates, from %(first)s to %(last)s; "
    "each service is compared from its own date."
)
PLACEBO = gettext_noop(
    "Caution: the same comparison at an earlier, made-up date also shows a difference, so part "
    "of it may not come from the change."
)
OVERLAP = gettext_noop(
    "Caution: %(n)s of the changed services were also changed by another innovation or roadmap "
    "action during the months compared, so part of the difference may come from that change."
)

# Several indicators at once (`levels`): which test a KPI's interval comes from, said after the
# sample. %(level)s and %(base)s are confidence levels ("98,75 %"), %(n)s a number of KPIs.
_INNOVATION = InterventionEffect.Subject.INNOVATION.value
_ACTION = InterventionEffect.Subject.ROADMAP_ACTION.value
PRIMARY_KPI: dict[str, str] = {
    _INNOVATION: gettext_noop(
        "This is the indicator the innovation was meant to change (its primary indicator), "
        "judged on its own at %(level)s confidence."
    ),
    _ACTION: gettext_noop(
        "This is the indicator the roadmap action was meant to improve (its primary "
        "indicator), judged on its own at %(level)s confidence."
    ),
}
OTHERS_TOGETHER = gettext_noop(
    "Its other %(n)s indicators are tested together (Bonferroni correction for %(n)s "
    "indicators), so their intervals are wider."
)
SECONDARY_KPI: dict[str, str] = {
    _INNOVATION: gettext_noop(
        "Not the indicator the innovation was meant to change: its %(n)s other indicators are "
        "tested together (Bonferroni correction for %(n)s indicators), so this interval is "
        "wider (%(level)s confidence instead of %(base)s) and a difference that chance alone "
        "would give on one of them is not taken for an effect."
    ),
    _ACTION: gettext_noop(
        "Not the indicator the roadmap action was meant to improve: its %(n)s other indicators "
        "are tested together (Bonferroni correction for %(n)s indicators), so this interval is "
        "wider (%(level)s confidence instead of %(base)s) and a difference that chance alone "
        "would give on one of them is not taken for an effect."
    ),
}
SECONDARY_ONE: dict[str, str] = {
    _INNOVATION: gettext_noop(
        "Not the indicator the innovation was meant to change: a supporting figure, judged at "
        "%(level)s confidence."
    ),
    _ACTION: gettext_noop(
        "Not the indicator the roadmap action was meant to improve: a supporting figure, "
        "judged at %(level)s confidence."
    ),
}
NONE_DECLARED: dict[str, str] = {
    _INNOVATION: gettext_noop(
        "No primary indicator was declared for this innovation: its %(n)s indicators are tested "
        "together (Bonferroni correction for %(n)s indicators), so each interval is wider "
        "(%(level)s confidence instead of %(base)s) and a difference that chance alone would "
        "give on one of them is not taken for an effect."
    ),
    _ACTION: gettext_noop(
        "No primary indicator was declared for this roadmap action: its %(n)s indicators are "
        "tested together (Bonferroni correction for %(n)s indicators), so each interval is "
        "wider (%(level)s confidence instead of %(base)s) and a difference that chance alone "
        "would give on one of them is not taken for an effect."
    ),
}


def _level(x: float) -> dict[str, Any]:
    return percent(x, level_places(x))


def level_sentences(
    subject: str, kpi: str, kpis: Sequence[str], primary: str | None, confidence: float
) -> list[Said]:
    """The sentences that say at which level `kpi` was judged and why (`levels`): the primary
    KPI on its own, the others together with a Bonferroni correction."""
    if subject not in PRIMARY_KPI:
        subject = _INNOVATION
    if primary not in kpis:
        primary = None
    level = levels(kpis, primary, confidence)[kpi]
    others = len([k for k in kpis if k != primary])
    params = {"level": _level(level), "base": _level(confidence), "n": count(others)}
    if primary is not None and kpi == primary:
        out = [Said(PRIMARY_KPI[subject], {"level": params["level"]})]
        if others > 1:
            out.append(Said(OTHERS_TOGETHER, {"n": params["n"]}))
        return out
    if primary is not None:
        if others == 1:
            return [Said(SECONDARY_ONE[subject], {"level": params["level"]})]
        return [Said(SECONDARY_KPI[subject], params)]
    if others > 1:
        return [Said(NONE_DECLARED[subject], params)]
    return []


def start_period(on: date) -> int:
    """The first month treated by a change starting `on`: its own month when it starts on the
    1st, else the next (the month of the start itself is left out)."""
    m = month_number(on.year, on.month)
    return m if on.day == 1 else m + 1


def _others(
    others: Mapping[Any, Intervention] | Sequence[Intervention], own: Intervention
) -> list[Intervention]:
    found = list(others.values()) if isinstance(others, Mapping) else list(others)
    return [o for o in found if o.key != own.key]


def measure(
    cells: Sequence[ServiceCell],
    extra: Mapping[str, Sequence[PanelRow]],
    intervention: Intervention,
    families: Mapping[str, str],
    others: Mapping[Any, Intervention] | Sequence[Intervention] = (),
    settings: ImpactSettings = DEFAULT_SETTINGS,
) -> list[Measured]:
    """The effect of `intervention` on each of its KPIs: one `Measured` per KPI, in its order.

    `cells`: the service panel of the log; `extra`: the database KPIs' rows (IKM, complaints);
    `families`: service code -> family key (blank: none); `others`: the other interventions,
    whose services are comparisons only until their own start.

    Several KPIs at once (`levels`): the intervention's primary KPI is judged at
    `settings.confidence`, every other KPI at the Bonferroni-adjusted level, so that chance
    alone seldom makes some KPI of a subject that changed nothing read "improved"."""
    primary = intervention.primary if intervention.primary in intervention.kpis else None
    judged = levels(intervention.kpis, primary, settings.confidence)
    if not intervention.starts:
        return [
            Measured(
                kpi,
                Impact(Verdict.NO_CONCLUSION, Reason.TOO_FEW_TREATED, HIGHER_IS_BETTER[kpi]),
                Comparison(MATCHED, ()),
                [Said(NO_SERVICES)],
                judged[kpi],
                kpi == primary,
            )
            for kpi in intervention.kpis
        ]
    treated = {code: start_period(on) for code, on in intervention.starts.items()}
    partial = {
        (code, month_number(on.year, on.month))
        for code, on in intervention.starts.items()
        if on.day != 1
    }
    excluded: dict[str, int] = {}
    # The changed services' months of another change (a roadmap action at the same unit...):
    # one inside the window moves them too, and the comparison cannot tell the two apart.
    also: dict[str, set[int]] = defaultdict(set)
    for other in _others(others, intervention):
        for code, on in other.starts.items():
            m = month_number(on.year, on.month)  # from its partly changed month on
            if code not in treated:
                excluded[code] = min(m, excluded.get(code, m))
            else:
                also[code].add(m)
    changed_families = {families.get(c, "") for c in treated} - {""}
    # The services of the same family at other units: "the same service elsewhere".
    same_family = {u for u, f in families.items() if f and f in changed_families} - set(treated)
    out = []
    for kpi in intervention.kpis:
        at = replace(settings, confidence=judged[kpi])
        source = panel_rows(cells, kpi) if kpi in LOG_KPIS else list(extra.get(kpi, ()))
        # Rows of services under another intervention from its start are no comparison rows:
        # dropped before the choice, so it never picks a service with no untreated rows after
        # the start (it would then be dropped by `did`, leaving too few comparisons).
        rows = [
            r
            for r in source
            if (r.unit, r.period) not in partial
            and not (r.unit in excluded and r.period >= excluded[r.unit])
        ]
        present = {r.unit for r in rows}
        same_service = sorted(present & same_family)
        candidates = sorted(u for u in present if u not in treated)
        if candidates:
            comparison = choose_comparisons(
                rows, treated, same_service=same_service, others=candidates, settings=at
            )
        else:
            comparison = Comparison(MATCHED, ())
        used = set(comparison.units) | set(treated)
        impact = did(
            [r for r in rows if r.unit in used],
            treated,
            higher_is_better=HIGHER_IS_BETTER[kpi],
            excluded_from={u: p for u, p in excluded.items() if u in used},
            settings=at,
        )
        has_data = any(u in treated for u in present)
        offer = {r.unit for r in source if r.unit not in treated} & same_family
        words = explain(
            impact,
            comparison,
            intervention.starts,
            offer=len(offer),
            elsewhere=_with_data(rows, same_service, min(treated.values()), settings),
            has_data=has_data,
            settings=at,
            overlap=_overlapping(rows, also),
            tested=level_sentences(
                intervention.subject, kpi, intervention.kpis, primary, settings.confidence
            ),
        )
        out.append(Measured(kpi, impact, comparison, words, judged[kpi], kpi == primary))
    return out


def _overlapping(rows: Sequence[PanelRow], also: Mapping[str, Collection[int]]) -> int:
    """How many changed services had another change after their first month with data and by
    their last (a change before the window is part of their level, not of the difference)."""
    periods: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.unit in also:
            periods[r.unit].append(r.period)
    return sum(1 for u, ps in periods.items() if any(min(ps) < m <= max(ps) for m in also[u]))


def _with_data(
    rows: Sequence[PanelRow], units: Collection[str], earliest: int, s: ImpactSettings
) -> int:
    """How many of `units` have data as `impact.choose_comparisons` counts it: rows before the
    earliest start and from it on, and `min_unit_events` events in all (for the sentence that
    says why the same service elsewhere was not enough)."""
    before: set[str] = set()
    after: set[str] = set()
    events: dict[str, float] = defaultdict(float)
    for r in rows:
        if r.unit in units and r.weight > 0 and not math.isnan(r.value):
            (before if r.period < earliest else after).add(r.unit)
            events[r.unit] += r.weight
    return sum(1 for u in before & after if events[u] >= s.min_unit_events)


def explain(
    impact: Impact,
    comparison: Comparison,
    starts: Mapping[str, date],
    *,
    offer: int,
    elsewhere: int,
    has_data: bool = True,
    settings: ImpactSettings = DEFAULT_SETTINGS,
    overlap: int = 0,
    tested: Sequence[Said] = (),
) -> list[Said]:
    """The sentences beside the headline: which comparison and why, the reason when there is
    no conclusion, the sample, staggered starts and caveats; numbers as Said params. `offer`:
    the other units offering the same service; `elsewhere`: those of them with data;
    `overlap`: the changed services also changed by another intervention within the window;
    `tested`: the sentences on the level the KPI was judged at (`level_sentences`), said after
    the sample when there is a verdict."""
    s = settings
    if not has_data:
        return [Said(NO_DATA)]
    if impact.reason is Reason.OUTSIDE_DATA:
        # No month of data on one side of the start: no comparison could be chosen, and
        # "nothing to compare with" would blame the other services.
        return [Said(NO_CONCLUSION[Reason.OUTSIDE_DATA])]
    sentences: list[Said] = []
    n = count(len(comparison.units))
    if comparison.basis == SAME_SERVICE:
        sentences.append(Said(COMPARISON_SAME, {"n": n}))
    elif not comparison.units:
        sentences.append(Said(NO_COMPARISON))
    elif offer == 0:
        sentences.append(Said(COMPARISON_NONE_ELSEWHERE, {"n": n}))
    else:
        params = {"elsewhere": count(elsewhere), "offer": count(offer)}
        params |= {"min": count(s.min_comparison), "n": n}
        sentences.append(Said(COMPARISON_TOO_FEW_ELSEWHERE, params))
    if impact.reason is Reason.TOO_FEW_TREATED and len(starts) < s.min_treated:
        params = {"n": count(len(starts)), "min": count(s.min_treated)}
        sentences.append(Said(TOO_FEW_CHANGED, params))
        return sentences
    if impact.reason is not None and impact.reason is not Reason.PRE_TREND:
        sentences.append(Said(NO_CONCLUSION[impact.reason], _reason_params(impact, s)))
        return sentences
    if impact.reason is Reason.PRE_TREND:
        p = impact.pre_trend_p if impact.pre_trend_p is not None else 0.0
        if p < 0.001:
            sentences.append(Said(PRE_TREND_BELOW, {"p": decimal(0.001, 3)}))
        else:
            sentences.append(Said(NO_CONCLUSION[Reason.PRE_TREND], {"p": decimal(p, 3)}))
    sentences.append(
        Said(
            SAMPLE,
            {
                "treated": count(impact.n_treated),
                "comparison": count(impact.n_comparison),
                "pre": count(impact.pre_periods),
                "post": count(impact.post_periods),
            },
        )
    )
    if impact.reason is None:
        sentences.extend(tested)
    dates = sorted(set(starts.values()))
    if len(dates) > 1:
        sentences.append(
            Said(
                STAGGERED,
                {"n": count(len(dates)), "first": day(dates[0]), "last": day(dates[-1])},
            )
        )
    if overlap:
        sentences.append(Said(OVERLAP, {"n": count(overlap)}))
    if Caveat.PLACEBO_EFFECT in impact.caveats:
        sentences.append(Said(PLACEBO))
    return sentences


def _reason_params(impact: Impact, s: ImpactSettings) -> dict[str, Any]:
    match impact.reason:
        case Reason.TOO_FEW_TREATED:
            return {"n": count(impact.n_treated), "min": count(s.min_treated)}
        case Reason.TOO_FEW_COMPARISON:
            return {"n": count(impact.n_comparison), "min": count(s.min_comparison)}
        case Reason.TOO_FEW_PRE_PERIODS:
            return {"n": count(impact.pre_periods), "min": count(s.min_pre_periods)}
        case Reason.TOO_FEW_POST_PERIODS:
            return {"n": count(impact.post_periods), "min": count(s.min_post_periods)}
        case Reason.TOO_FEW_EVENTS:
            return {
                "before": count(round(impact.events_before)),
                "after": count(round(impact.events_after)),
                "min": count(round(s.min_events)),
            }
    return {}


# --- the refresh --------------------------------------------------------------------------------


def _us(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def effects_refresh(
    store: Path | str | None = None,
    *,
    engine: str = "duckdb",
    today: date | None = None,
    impact_settings: ImpactSettings = DEFAULT_SETTINGS,
) -> int:
    """Measure every intervention and replace all InterventionEffect rows in one transaction;
    returns the number of rows written. Data are read up to the end of `today` (default: the
    day of the last event in the store, the data's own today; without a store, today)."""
    found = interventions()
    events = Path(store or store_dir()) / EVENTS
    tz = timezone.get_current_timezone()
    cells: list[ServiceCell] = []
    until: datetime | None = None
    if today is not None:
        until = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    if found and events.exists():
        perf = PerformanceSettings(
            calendar=store_calendar(),
            timezone=settings.TIME_ZONE,
            standards=load_standards(events.parent),
        )
        with connect(engine) as eng:
            eng.register_log(events)
            if until is None:
                last = eng.rows("SELECT max(ts_us) FROM events")[0][0]
                if last is not None:
                    last_day = datetime.fromtimestamp(int(last) / 1e6, tz).date()
                    until = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
            if until is not None:
                cells = service_panel(eng, perf, _us(until) - 1, tz=settings.TIME_ZONE)
    if until is None:  # no log to date the data by: today
        until = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=tz)
    extra: dict[str, list[PanelRow]] = {}
    if found:
        extra = {
            IKM: whole_months(ikm_panel(until), until),
            COMPLAINTS: whole_months(complaints_panel(until), until),
        }
    services = list(Service.objects.values_list("pk", "code", "family"))
    families = {code: family for _pk, code, family in services}
    ids = {code: pk for pk, code, _f in services}
    now = timezone.now()
    rows = []
    for intervention in found:
        for m in measure(cells, extra, intervention, families, found, impact_settings):
            rows.append(_row(intervention, m, ids, now))
    with transaction.atomic():
        InterventionEffect.objects.all().delete()
        InterventionEffect.objects.bulk_create(rows)
    return len(rows)


def _row(
    intervention: Intervention, m: Measured, ids: Mapping[str, int], now: datetime
) -> InterventionEffect:
    impact = m.impact
    innovation = intervention.subject == InterventionEffect.Subject.INNOVATION
    return InterventionEffect(
        subject=intervention.subject,
        innovation_id=intervention.subject_id if innovation else None,
        action_id=None if innovation else intervention.subject_id,
        kpi=m.kpi,
        starts_on=intervention.starts_on,
        treated=len(intervention.starts),
        comparison=len(m.comparison.units),
        comparison_basis=m.comparison.basis,
        comparison_services=sorted(ids[c] for c in m.comparison.units if c in ids),
        before=impact.before,
        after=impact.after,
        estimate=impact.estimate,
        relative=impact.relative,
        ci_low=impact.ci_low,
        ci_high=impact.ci_high,
        pre_trend_p=impact.pre_trend_p,
        confidence=m.confidence,
        primary=m.primary,
        conclusion=impact.verdict.value,
        explanation=[s.stored() for s in m.explanation],
        computed_at=now,
    )


__all__ = [
    "KPIS",
    "KPIS_OF_METRIC",
    "SKIPPED_METRICS",
    "Intervention",
    "Measured",
    "action_service",
    "complaints_panel",
    "effects_refresh",
    "explain",
    "ikm_panel",
    "interventions",
    "level_sentences",
    "levels",
    "measure",
    "start_period",
    "whole_months",
]
