"""Reads of SKM results: one SQL `GROUP BY` per page, folded into periods by `analytics.ikm`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, DateField, Max, Min, QuerySet, Sum, Value, When
from django.utils import timezone

from sigap.access import Action, scoped
from sigap.analytics.ikm import (
    GroupTally,
    IkmPoint,
    PeriodKind,
    ikm_series,
    period_bounds,
    period_key,
)
from sigap.catalogue.models import Service
from sigap.organisation.models import Unit
from sigap.rules.ikm import ELEMENT_CODES, ElementTally, IkmResult, Weighting, ikm_from_tallies
from sigap.rules.skm import SurveyMoment, survey_moment
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.models import SurveyResponse

if TYPE_CHECKING:
    from sigap.access import AnyUser


PUBLIC_CACHE_SECONDS = 600


def weighting() -> Weighting:
    return Weighting(str(settings.SIGAP.get("IKM_WEIGHTING", "exact")))


def _month(value: Any) -> date:
    if hasattr(value, "date"):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value  # type: ignore[no-any-return]


def _months(responses: QuerySet[SurveyResponse]) -> Case | None:
    """Each response's month (its first day, in local time) as a SQL `CASE` on the month bounds.

    The same months as `TruncMonth`, but compared in the database: SQLite runs `TruncMonth` as
    a Python function called once per row, which cost most of the SKM results page on the full
    demo. One small query finds the span; None when there is no response.
    """
    span = responses.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    if span["first"] is None:
        return None
    tz = timezone.get_current_timezone()
    month = timezone.localtime(span["first"], tz).date().replace(day=1)
    last = timezone.localtime(span["last"], tz).date().replace(day=1)
    whens = []
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        # In order: the first month whose end is after the answer is its month.
        whens.append(
            When(
                submitted_at__lt=datetime.combine(following, time.min, tzinfo=tz),
                then=Value(month),
            )
        )
        month = following
    return Case(*whens, output_field=DateField())


def tallies(
    responses: QuerySet[SurveyResponse], *, group: str, kind: PeriodKind
) -> list[GroupTally]:
    """Sums and counts per unsur, per group ("unit" or "service") and period."""
    field = f"{group}_id"
    months = _months(responses)
    if months is None:
        return []
    aggregates: dict[str, Any] = {"n": Count("id")}
    for code in ELEMENT_CODES:
        aggregates[f"t_{code}"] = Sum(code)
        aggregates[f"c_{code}"] = Count(code)
    rows = responses.annotate(month=months).values(field, "month").annotate(**aggregates).order_by()
    folded: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        key = (str(row[field]), period_key(_month(row["month"]), kind))
        acc = folded[key]
        acc["n"] += row["n"]
        for code in ELEMENT_CODES:
            acc[f"t_{code}"] += row[f"t_{code}"] or 0
            acc[f"c_{code}"] += row[f"c_{code}"]
    return [
        GroupTally(
            group=g,
            period=p,
            respondents=acc["n"],
            totals={c: acc[f"t_{c}"] for c in ELEMENT_CODES},
            counts={c: acc[f"c_{c}"] for c in ELEMENT_CODES},
        )
        for (g, p), acc in folded.items()
    ]


def populations(
    requests: QuerySet[ServiceRequest], *, group: str, periods: set[str]
) -> dict[tuple[str, str], int]:
    """Service recipients (requests submitted) per group and period: the N of Krejcie–Morgan.

    One indexed range query per period (no per-row date truncation over all requests).
    """
    field = f"{group}_id"
    tz = timezone.get_current_timezone()
    out: dict[tuple[str, str], int] = {}
    for period in sorted(periods):
        first, last = period_bounds(period)
        rows = (
            requests.filter(
                submitted_at__gte=datetime.combine(first, time.min, tzinfo=tz),
                submitted_at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
            )
            .values(field)
            # COUNT(*), not of the key: PostgreSQL then counts from the (unit, submitted_at)
            # index alone, without reading the table's rows.
            .annotate(n=Count("*"))
            .order_by()
        )
        for row in rows:
            out[(str(row[field]), period)] = row["n"]
    return out


@dataclass(frozen=True)
class Results:
    points: list[IkmPoint]
    names: dict[str, str]
    weighting: Weighting


def results(
    responses: QuerySet[SurveyResponse],
    requests: QuerySet[ServiceRequest],
    *,
    group: str = "unit",
    kind: PeriodKind = PeriodKind.QUARTER,
) -> Results:
    w = weighting()
    found = tallies(responses, group=group, kind=kind)
    points = ikm_series(
        found,
        weighting=w,
        populations=populations(requests, group=group, periods={t.period for t in found}),
    )
    ids = {int(p.group) for p in points}
    model = Unit if group == "unit" else Service
    names = {
        str(pk): name for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")
    }
    return Results(points, names, w)


def results_for_user(
    user: AnyUser,
    *,
    group: str = "unit",
    kind: PeriodKind = PeriodKind.QUARTER,
    year: int | None = None,
    unit_id: int | None = None,
) -> Results:
    responses = scoped(user, Action.SURVEY_VIEW, SurveyResponse.objects.all())
    requests = scoped(user, Action.SURVEY_VIEW, ServiceRequest.objects.all())
    if year:
        # The requests need no year filter: they are only counted within each period found
        # among the year's answers. Stacked on the period's range, it made SQLite give up the
        # (unit, submitted_at) index's range for a skip-scan, ten times slower on the demo.
        responses = responses.filter(submitted_at__year=year)
    if unit_id:
        responses = responses.filter(unit_id=unit_id)
        requests = requests.filter(unit_id=unit_id)
    return results(responses, requests, group=group, kind=kind)


def latest_public(kind: PeriodKind = PeriodKind.SEMESTER) -> tuple[list[IkmPoint], dict[str, str]]:
    """The latest period with answers of every unit that has any: the public IKM page.

    Looks at this year and the last (an SKM is due at least yearly) and is cached for ten
    minutes, so the public page never aggregates on every hit.
    """
    key = f"sigap:ikm-public:{kind}:{weighting()}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    tz = timezone.get_current_timezone()
    since = datetime(timezone.localdate().year - 1, 1, 1, tzinfo=tz)
    res = results(
        SurveyResponse.objects.filter(submitted_at__gte=since),
        ServiceRequest.objects.filter(submitted_at__gte=since),
        kind=kind,
    )
    latest: dict[str, IkmPoint] = {}
    for p in res.points:  # sorted by (group, period): the last one wins
        latest[p.group] = p
    ordered = sorted(latest.values(), key=lambda p: res.names.get(p.group, ""))
    cache.set(key, (ordered, res.names), PUBLIC_CACHE_SECONDS)
    return ordered, res.names


def unit_latest_public(unit_id: int) -> IkmPoint | None:
    """The unit's row of the public IKM page (its latest semester with answers), or None."""
    points, _names = latest_public()
    return next((p for p in points if p.group == str(unit_id)), None)


@dataclass(frozen=True)
class AgencyIkm:
    """The agency's IKM in one period: every unit's answers together (the public pages' first
    figure, readable on a phone before any table)."""

    period: str
    result: IkmResult


def agency_ikm(period: str) -> AgencyIkm | None:
    """The IKM of all the answers given in a period (`2026-S2`, `2026-Q3`, `2026-07`, `2026`);
    None without answers or for a malformed key. Cached like the public page it appears on."""
    key = f"sigap:ikm-agency:{period}:{weighting()}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        first, last = period_bounds(period)
    except ValueError:
        return None
    tz = timezone.get_current_timezone()
    result = overall(
        SurveyResponse.objects.filter(
            submitted_at__gte=datetime.combine(first, time.min, tzinfo=tz),
            submitted_at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
        )
    )
    found = AgencyIkm(period, result) if result is not None and result.ikm is not None else None
    cache.set(key, found or False, PUBLIC_CACHE_SECONDS)
    return found


def overall(responses: QuerySet[SurveyResponse]) -> IkmResult | None:
    """The IKM of all these responses together (one aggregate query); None when there are none."""
    aggregates: dict[str, Any] = {"n": Count("id")}
    for code in ELEMENT_CODES:
        aggregates[f"t_{code}"] = Sum(code)
        aggregates[f"c_{code}"] = Count(code)
    row = responses.aggregate(**aggregates)
    if not row["n"]:
        return None
    return ikm_from_tallies(
        [ElementTally(c, row[f"t_{c}"] or 0, row[f"c_{c}"]) for c in ELEMENT_CODES],
        row["n"],
        weighting(),
    )


def comments(responses: QuerySet[SurveyResponse], limit: int = 50) -> list[tuple[date, str]]:
    rows = (
        responses.exclude(comment="")
        .order_by("-submitted_at")
        .values_list("submitted_at", "comment")[:limit]
    )
    return [(timezone.localtime(at).date(), text) for at, text in rows]


def profile_counts(responses: QuerySet[SurveyResponse]) -> dict[str, list[tuple[str, int]]]:
    """Respondents per answer of each profile question (the report's respondent profile)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for field in ("gender", "age_band", "education", "occupation"):
        choices = dict(SurveyResponse._meta.get_field(field).choices or [])  # type: ignore[union-attr]
        rows = responses.values_list(field).annotate(n=Count("id")).order_by(field)
        out[field] = [(str(choices.get(v, "—")) if v else "—", n) for v, n in rows]
    return out


def receipt_moment(*, request_id: int, status: str) -> SurveyMoment:
    """May the applicant of this request rate it now (`sigap.rules.skm`): the one place every
    page inviting to the SKM, the receipt's survey link and the write ask. One indexed query."""
    surveyed = SurveyResponse.objects.filter(service_request_id=request_id).exists()
    return survey_moment(status, surveyed=surveyed)
