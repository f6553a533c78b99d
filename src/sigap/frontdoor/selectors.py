"""What the public catalogue reads: active services, the standard in force today, the search
entries and the lead-time figures of the registry (`sigap.metrics.request_figures`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from sigap.catalogue.models import LifeEvent, Service, ServiceStandard
from sigap.catalogue.search import Entry, search, service_entry
from sigap.leadership.scoring import MIN_SAMPLE
from sigap.metrics.selectors import RequestFigures, request_figures
from sigap.organisation.models import Unit
from sigap.service_requests.models import RequestFact

# The lead time shown on a service page: requests closed in the last 90 days (a quarter), so the
# figure follows today's practice and still has a sample in the smaller units.
FIGURES_DAYS = 90


def active_services() -> QuerySet[Service]:
    return (
        Service.objects.filter(is_active=True)
        .select_related("unit")
        .prefetch_related("life_events")
        .order_by("name")
    )


def standards_in_force(services: list[Service], day: date) -> dict[int, ServiceStandard]:
    """The standard of each service in force on `day` (`Service.standard_on`, for many at once)."""
    rows = (
        ServiceStandard.objects.filter(service__in=services, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("service_id", "-valid_from")
    )
    found: dict[int, ServiceStandard] = {}
    for standard in rows:
        found.setdefault(standard.service_id, standard)
    return found


def entries(services: list[Service], standards: dict[int, ServiceStandard]) -> tuple[Entry, ...]:
    """The services as search entries: name, product and requirements of the standard in force,
    unit and life events."""
    out = []
    for s in services:
        std = standards.get(s.pk)
        out.append(
            service_entry(
                code=s.code,
                name=s.name,
                product=std.product if std else "",
                unit=s.unit.name,
                life_events=[e.name for e in s.life_events.all()],
                requirements=[r.name for r in std.requirement_list()] if std else [],
            )
        )
    return tuple(out)


def find(
    query: str, services: list[Service], standards: dict[int, ServiceStandard]
) -> list[Service]:
    by_code = {s.code: s for s in services}
    return [by_code[hit.key] for hit in search(query, entries(services, standards))]


def life_events() -> QuerySet[LifeEvent]:
    """Life events with at least one active service, with their count."""
    return LifeEvent.objects.annotate(
        n=Count("services", filter=Q(services__is_active=True))
    ).filter(n__gt=0)


def units_with_services() -> QuerySet[Unit]:
    return (
        Unit.objects.annotate(n=Count("services", filter=Q(services__is_active=True)))
        .filter(n__gt=0)
        .order_by("name")
    )


@dataclass(frozen=True)
class LeadTime:
    """The median lead time of one group over the window, or why it is not shown."""

    median: float | None
    closed: int
    min_sample: int

    @property
    def shown(self) -> bool:
        return self.median is not None and self.closed >= self.min_sample


@dataclass(frozen=True)
class ServiceFigures:
    start: date
    end: date
    service: LeadTime
    unit: LeadTime


def _lead(figures: RequestFigures | None) -> LeadTime:
    if figures is None:
        return LeadTime(None, 0, MIN_SAMPLE)
    return LeadTime(figures.lead_wd_median, figures.closed, MIN_SAMPLE)


def service_figures(service: Service, today: date) -> ServiceFigures:
    """The registry's median lead time (metric `lead_wd_median`) of the service and of its
    unit, over the requests closed in the last `FIGURES_DAYS` days up to `today`."""
    start = today - timedelta(days=FIGURES_DAYS - 1)
    facts = RequestFact.objects.filter(unit_id=service.unit_id)
    per_service = request_figures(facts, start, today, by=("service_id",))
    whole = request_figures(facts, start, today)
    return ServiceFigures(
        start=start,
        end=today,
        service=_lead(per_service.get((service.pk,))),
        unit=_lead(whole.get(())),
    )
