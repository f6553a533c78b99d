"""The request list and the SKM results show the same figures since their reads were made fast
(issue 12, point 7; timings: `bench/pages.py --crawl`, never here).

Each fast read is compared, on the small demo, with the plain read it replaced: the request list
with Django's paginator over the whole rows, the SKM tallies with a `TruncMonth` grouping, the
Krejcie–Morgan populations with the requests filtered by year as before.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sigap.access import Action, scoped
from sigap.analytics.ikm import GroupTally, PeriodKind, ikm_series, period_key
from sigap.rules.ikm import ELEMENT_CODES
from sigap.service_requests.models import ServiceRequest, Status
from sigap.service_requests.selectors import code_prefix, request_page, request_search
from sigap.surveys import selectors
from sigap.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db

ROLES = ["demo.petugas", "demo.kepala", "demo.inspektur", "demo.ombudsman", "demo.pimpinan"]
JAKARTA = ZoneInfo("Asia/Jakarta")


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _codes(page: Any) -> list[str]:
    return [row.receipt_code for row in page]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize(
    "filters", [{}, {"status": Status.RETURNED}, {"code": "A"}, {"code": "Z9"}]
)
def test_the_request_list_pages_are_the_plain_paginators(small_demo, username, filters):
    requests = request_search(_user(username), **filters)
    plain = Paginator(requests, 50)
    assert plain.count > 0 or filters
    numbers: list[Any] = [*range(1, plain.num_pages + 1), "x", 10**6, None]
    for number in numbers:
        fast, slow = request_page(requests, number), plain.get_page(number)
        assert _codes(fast) == _codes(slow), number
        assert (fast.number, fast.paginator.count, fast.paginator.num_pages) == (
            slow.number,
            slow.paginator.count,
            slow.paginator.num_pages,
        )
        assert [r.service.name for r in fast] == [r.service.name for r in slow]


def test_the_request_list_view_shows_the_plain_page(small_demo, client):
    user = _user("demo.pimpinan")
    client.force_login(user)
    response = client.get("/permohonan/", {"page": 2})
    assert response.status_code == 200
    plain = Paginator(request_search(user), 50).get_page(2)
    assert _codes(response.context["page"]) == _codes(plain)
    assert len(plain) == 50


@pytest.mark.parametrize(
    ("code", "lookups"),
    [
        ("AB", {"receipt_code__gte": "AB", "receipt_code__lt": "AC"}),
        ("A9", {"receipt_code__gte": "A9", "receipt_code__lt": "AA"}),
        ("AZ", {"receipt_code__gte": "AZ", "receipt_code__lt": "B"}),
        ("ZZ", {"receipt_code__gte": "ZZ"}),
        ("a-b", {"receipt_code__startswith": "a-b"}),  # not normalised: left to LIKE
    ],
)
def test_a_code_prefix_is_a_range_of_codes(code, lookups):
    assert dict(code_prefix(code).children) == lookups


def test_a_code_prefix_finds_what_startswith_finds(small_demo):
    codes = list(ServiceRequest.objects.values_list("receipt_code", flat=True))
    full = codes[0]
    prefixes = {full, full[:3], full[:2], *(c[:1] for c in codes), "Z", "ZZ", "9", "A9", "0"}
    prefixes |= {c[:2] for c in codes if c[1] in "9Z"}
    for prefix in sorted(prefixes):
        found = set(ServiceRequest.objects.filter(code_prefix(prefix)).values_list("pk", flat=True))
        plain = ServiceRequest.objects.filter(receipt_code__startswith=prefix)
        assert found == set(plain.values_list("pk", flat=True)), prefix
    assert any(c.startswith(full[:2]) for c in codes)


def _truncmonth_tallies(
    responses: QuerySet[SurveyResponse], *, group: str, kind: PeriodKind
) -> list[GroupTally]:
    """The tallies as they were read before: grouped by `TruncMonth` in the database."""
    field = f"{group}_id"
    aggregates: dict[str, Any] = {"n": Count("id")}
    for code in ELEMENT_CODES:
        aggregates[f"t_{code}"] = Sum(code)
        aggregates[f"c_{code}"] = Count(code)
    rows = (
        responses.annotate(month=TruncMonth("submitted_at"))
        .values(field, "month")
        .annotate(**aggregates)
        .order_by()
    )
    folded: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = row["month"]
        month = timezone.localtime(month).date() if hasattr(month, "tzinfo") else month
        acc = folded[(str(row[field]), period_key(month, kind))]
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


def _key(tallies: list[GroupTally]) -> list[tuple[Any, ...]]:
    return sorted(
        (t.group, t.period, t.respondents, sorted(t.totals.items()), sorted(t.counts.items()))
        for t in tallies
    )


@pytest.mark.parametrize("username", ["demo.kepala", "demo.pimpinan"])
@pytest.mark.parametrize("group", ["unit", "service"])
@pytest.mark.parametrize("kind", list(PeriodKind))
def test_the_skm_results_are_the_plain_ones(small_demo, username, group, kind):
    user = _user(username)
    for year in (2025, 2026):
        responses = scoped(user, Action.SURVEY_VIEW, SurveyResponse.objects.all()).filter(
            submitted_at__year=year
        )
        requests = scoped(user, Action.SURVEY_VIEW, ServiceRequest.objects.all()).filter(
            submitted_at__year=year
        )
        plain_tallies = _truncmonth_tallies(responses, group=group, kind=kind)
        assert plain_tallies
        assert _key(selectors.tallies(responses, group=group, kind=kind)) == _key(plain_tallies)
        plain = ikm_series(
            plain_tallies,
            weighting=selectors.weighting(),
            populations=selectors.populations(
                requests, group=group, periods={t.period for t in plain_tallies}
            ),
        )
        fast = selectors.results_for_user(user, group=group, kind=kind, year=year)
        assert fast.points == plain
        assert any(p.sample is not None for p in fast.points)


def test_answers_on_either_side_of_a_local_month_end_fall_in_their_local_month(small_demo):
    """23:30 WIB on 31 March is 16:30 UTC the same day, 00:30 WIB on 1 April is 17:30 UTC on
    31 March: the months are the agency's, as `TruncMonth` in the current time zone gives."""
    existing = SurveyResponse.objects.order_by("pk").first()
    assert existing is not None
    moments = [
        datetime(2026, 3, 31, 23, 30, tzinfo=JAKARTA),
        datetime(2026, 4, 1, 0, 30, tzinfo=JAKARTA),
        datetime(2026, 1, 1, tzinfo=JAKARTA),
    ]
    made = [
        SurveyResponse.objects.create(
            service=existing.service,
            unit=existing.unit,
            submitted_at=at,
            channel=existing.channel,
            persyaratan=4,
        )
        for at in moments
    ]
    responses = SurveyResponse.objects.filter(pk__in=[r.pk for r in made])
    fast = selectors.tallies(responses, group="unit", kind=PeriodKind.MONTH)
    assert _key(fast) == _key(_truncmonth_tallies(responses, group="unit", kind=PeriodKind.MONTH))
    assert sorted(t.period for t in fast) == ["2026-01", "2026-03", "2026-04"]
    assert selectors.tallies(responses.none(), group="unit", kind=PeriodKind.MONTH) == []
