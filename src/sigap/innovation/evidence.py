"""The evidence sigap already holds for an innovation's IID indicators, generated from the
one-definition reads of the figures (nothing is recomputed here):

- *Kemudahan proses* — the service time of the standard in force (`Service.standard_on`) and
  the measured median lead time in working days of the requests closed in the window
  (`sigap.metrics.selectors.request_figures` over the case facts); the proposal uses the longer
  of the two (what the SOP promises, unless people wait longer);
- *Penyelesaian pengaduan* — the resolution ratio of the complaints about the innovation's
  services (or units) submitted in the window (`sigap.complaints.selectors.resolution`);
- *Monev* — an SKM report of the innovation's units for a year of the window
  (`sigap.surveys.reports.build`): the SKM report is parameter 2;
- *Kemanfaatan* — beneficiaries = requests of its services closed since application up to
  today, at most the end of the frame's year (`request_figures`);
- *Kecepatan penciptaan* — the registry's own dates: whole months from the initiative to the
  application;
- *Replikasi* — the registry's replications by other regions (`Replication.adopter_region`).

The requests and complaints are those of the innovation's services; an innovation without
services is read over its units. The window is the frame's (from the application date when
later). Each item proposes a parameter with the figures behind it (`Said`); the proposal is a
suggestion HR confirms in the answers form, never an answer by itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from sigap.complaints.models import Complaint
from sigap.complaints.selectors import resolution
from sigap.innovation.models import Innovation, Replication
from sigap.metrics.selectors import request_figures
from sigap.rules.innovation import Frame
from sigap.service_requests.models import RequestFact
from sigap.surveys import reports
from sigap.web.said import Said, count, day, decimal, percent

# The 2026 thresholds of the parameters (rules-innovation-competency.md §1.2, UNCERTAIN: they
# change by year), applied to the figures sigap holds.
PROCESS_DAYS = ((1, 3), (5, 2))  # ≤ 1 day → 3; 2–5 days → 2; ≥ 6 days → 1
COMPLAINT_RATIO = ((0.91, 3), (0.51, 2))  # ≥ 91 % → 3; 51–90 % → 2; ≤ 50 % → 1
BENEFICIARIES = ((501, 3), (201, 2), (1, 1))  # 1–200 → 1; 201–500 → 2; ≥ 501 → 3
CREATION_MONTHS = ((4, 3), (8, 2))  # ≤ 4 months → 3; 5–8 → 2; ≥ 9 → 1
REPLICATIONS = ((3, 3), (2, 2), (1, 1))  # by other regions: 1×, 2×, ≥ 3×


@dataclass(frozen=True)
class Evidence:
    """What sigap holds for one indicator: the proposed parameter (None: no proposal, the data
    are missing) and the figures behind it."""

    indicator: str
    proposed: int | None
    figures: list[Said] = field(default_factory=list)


def window_of(f: Frame, innovation: Innovation) -> tuple[date, date]:
    start, end = f.window
    if innovation.applied_on is not None and innovation.applied_on > start:
        start = min(innovation.applied_on, end)
    return start, end


def _facts(innovation: Innovation) -> QuerySet[RequestFact]:
    services = list(innovation.services.values_list("pk", flat=True))
    if services:
        return RequestFact.objects.filter(service_id__in=services)
    return RequestFact.objects.filter(unit__in=innovation.units.all())


def _complaints(innovation: Innovation) -> QuerySet[Complaint]:
    services = list(innovation.services.values_list("pk", flat=True))
    if services:
        return Complaint.objects.filter(service_id__in=services)
    return Complaint.objects.filter(Q(unit__in=innovation.units.all()))


def process_parameter(days: float) -> int:
    for at_most, parameter in PROCESS_DAYS:
        if days <= at_most:
            return parameter
    return 1


def complaint_parameter(ratio: float) -> int:
    for at_least, parameter in COMPLAINT_RATIO:
        if ratio >= at_least:
            return parameter
    return 1


def beneficiaries_parameter(n: int) -> int | None:
    for at_least, parameter in BENEFICIARIES:
        if n >= at_least:
            return parameter
    return None


def process_evidence(f: Frame, innovation: Innovation) -> Evidence:
    start, end = window_of(f, innovation)
    figures: list[Said] = []
    slas = []
    for service in innovation.services.order_by("name"):
        standard = service.standard_on(end)
        if standard is not None:
            slas.append(standard.sla_working_days)
            figures.append(
                Said(
                    gettext_noop("%(service)s: %(days)s working days in the service standard."),
                    {"service": service.name, "days": count(standard.sla_working_days)},
                )
            )
    found = request_figures(_facts(innovation), start, end).get(())
    median = found.lead_wd_median if found is not None else None
    if found is not None and median is not None:
        lead = {
            "days": decimal(median, 1),
            "n": count(found.closed),
            "start": day(start),
            "end": day(end),
        }
        if found.sla_share is None:  # no request with a service standard's time: no share
            figures.append(
                Said(
                    gettext_noop(
                        "Median lead time %(days)s working days over %(n)s requests closed from "
                        "%(start)s to %(end)s."
                    ),
                    lead,
                )
            )
        else:
            figures.append(
                Said(
                    gettext_noop(
                        "Median lead time %(days)s working days over %(n)s requests closed from "
                        "%(start)s to %(end)s; %(sla)s within the service standard's time."
                    ),
                    {**lead, "sla": percent(found.sla_share, 1)},
                )
            )
    candidates = [float(s) for s in slas]
    if median is not None:
        candidates.append(float(math.ceil(median)))
    if not candidates:
        return Evidence("kemudahan_proses", None, figures)
    return Evidence("kemudahan_proses", process_parameter(max(candidates)), figures)


def complaint_evidence(f: Frame, innovation: Innovation) -> Evidence:
    start, end = window_of(f, innovation)
    complaints = _complaints(innovation).filter(
        submitted_at__date__gte=start, submitted_at__date__lte=end
    )
    found = resolution(complaints)
    if found.ratio is None:
        return Evidence(
            "penyelesaian_pengaduan",
            None,
            [
                Said(
                    gettext_noop("No complaints from %(start)s to %(end)s."),
                    {"start": day(start), "end": day(end)},
                )
            ],
        )
    return Evidence(
        "penyelesaian_pengaduan",
        complaint_parameter(found.ratio),
        [
            Said(
                gettext_noop(
                    "%(resolved)s of %(handled)s complaints resolved (%(ratio)s), from %(start)s "
                    "to %(end)s."
                ),
                {
                    "resolved": count(found.resolved),
                    "handled": count(found.handled),
                    "ratio": percent(found.ratio, 1),
                    "start": day(start),
                    "end": day(end),
                },
            )
        ],
    )


def monev_evidence(f: Frame, innovation: Innovation) -> Evidence:
    start, end = window_of(f, innovation)
    figures: list[Said] = []
    for unit in innovation.units.order_by("path"):
        for year in range(end.year, start.year - 1, -1):
            report = reports.build(unit, str(year))
            if report.result is not None:
                figures.append(
                    Said(
                        gettext_noop(
                            "SKM report %(year)s of %(unit)s: %(n)s respondents, IKM %(ikm)s."
                        ),
                        {
                            "year": str(year),
                            "unit": unit.name,
                            "n": count(report.result.respondents),
                            "ikm": decimal(float(report.result.ikm), 2)
                            if report.result.ikm is not None
                            else "–",
                        },
                    )
                )
                break
    return Evidence("monev", 2 if figures else None, figures)


def benefit_evidence(innovation: Innovation, today: date) -> Evidence:
    if innovation.applied_on is None or innovation.applied_on > today:
        return Evidence("kemanfaatan", None, [])
    found = request_figures(_facts(innovation), innovation.applied_on, today).get(())
    served = found.closed if found is not None else 0
    return Evidence(
        "kemanfaatan",
        beneficiaries_parameter(served),
        [
            Said(
                gettext_noop("%(n)s requests served from the application on %(start)s to %(end)s."),
                {"n": count(served), "start": day(innovation.applied_on), "end": day(today)},
            )
        ],
    )


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (1 March → 31 March is 0; → 1 April is 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def creation_parameter(months: int) -> int:
    for at_most, parameter in CREATION_MONTHS:
        if months <= at_most:
            return parameter
    return 1


def creation_evidence(innovation: Innovation) -> Evidence:
    if innovation.applied_on is None:
        return Evidence("kecepatan_penciptaan", None, [])
    months = months_between(innovation.initiated_on, innovation.applied_on)
    return Evidence(
        "kecepatan_penciptaan",
        creation_parameter(months),
        [
            Said(
                gettext_noop(
                    "Initiative from %(start)s, application from %(end)s: %(months)s months."
                ),
                {
                    "start": day(innovation.initiated_on),
                    "end": day(innovation.applied_on),
                    "months": count(months),
                },
            )
        ],
    )


def replication_evidence(innovation: Innovation) -> Evidence:
    regions = sorted(
        set(
            Replication.objects.filter(original=innovation)
            .exclude(adopter_region="")
            .values_list("adopter_region", flat=True)
        )
    )
    proposed = next((p for at_least, p in REPLICATIONS if len(regions) >= at_least), None)
    if not regions:
        return Evidence("replikasi", None, [])
    return Evidence(
        "replikasi",
        proposed,
        [
            Said(
                gettext_noop("Replicated by %(n)s other regions: %(regions)s."),
                {"n": count(len(regions)), "regions": ", ".join(regions)},
            )
        ],
    )


def innovation_evidence(f: Frame, innovation: Innovation, today: date) -> dict[str, Evidence]:
    """The evidence sigap holds for `innovation`, by indicator key (those of the frame only)."""
    items = [
        process_evidence(f, innovation),
        complaint_evidence(f, innovation),
        monev_evidence(f, innovation),
        # up to today, but never past the frame's year: a past year's assessment is not
        # credited with requests served after it
        benefit_evidence(innovation, min(today, date(f.year, 12, 31))),
        creation_evidence(innovation),
        replication_evidence(innovation),
    ]
    keys = {i.key for i in f.sid}
    return {e.indicator: e for e in items if e.indicator in keys}
