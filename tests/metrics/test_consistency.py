"""One truth: on a small demo, every page's figure equals the registry's aggregate.

The demo (2,000 requests, seed 7, with the agency's local day off) is refreshed the way an
installation refreshes it (the analytics store and the scorecards); then, for every unit,
service and period:

- the stored case facts equal the analytics engine's own per-case facts, computed from the
  event log in DuckDB (an independent computation of lead time, pauses and the SLA rule);
- the leadership scorecard, the "Kinerja layanan" page, the transparency pages and their
  exports equal `sigap.metrics.selectors.request_figures` over the case facts;
- "past the due date" is one set of requests on the request list, the Kinerja layanan page,
  the tracking page and an independent count with the calendar rules; a paused request is
  never in it;
- ranks are given only among units with a value and enough sample, and ties are ties.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.performance import PerformanceSettings, as_of_us, case_facts
from sigap.analytics.refresh import EVENTS, load_standards
from sigap.demo.build import DemoBuilder, Options, wipe
from sigap.leadership import scoring
from sigap.leadership.models import ScorecardRefresh, ServiceScorecard, UnitScorecard
from sigap.leadership.refresh import leadership_refresh
from sigap.metrics import registry
from sigap.metrics.selectors import open_counts, request_figures
from sigap.organisation.models import Unit
from sigap.organisation.services import agency_calendar
from sigap.performance.models import UnitServicePerformance
from sigap.performance.services import performance_refresh, store_calendar
from sigap.rules.sla import within_sla
from sigap.service_requests.models import (
    PAUSED_STATUSES,
    RUNNING_STATUSES,
    RequestFact,
    ServiceRequest,
)
from sigap.service_requests.selectors import request_search, tracking
from sigap.transparency import selectors as transparency

pytestmark = pytest.mark.django_db
UNTIL = date(2026, 10, 31)
DEMO = Options(seed=7, until=UNTIL, requests=2_000, appraisals=False)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """The small demo, refreshed as an installation refreshes it; yields the analytics store."""
    store = tmp_path_factory.mktemp("analytics")
    with django_db_blocker.unblock():
        wipe()
        DemoBuilder(DEMO).run()
        performance_refresh(store)
        leadership_refresh(as_of=UNTIL)
        yield store
        ScorecardRefresh.objects.all().delete()
        UnitServicePerformance.objects.all().delete()
        wipe()


def _all_time() -> tuple[date, date]:
    return date(2000, 1, 1), UNTIL


def test_the_agency_has_a_local_day_off_in_the_demo_period(demo: Path) -> None:
    """Otherwise the calendar agreement below would prove nothing about local days off."""
    unit = Unit.objects.filter(agency__isnull=False).first()
    assert unit is not None
    calendar = agency_calendar(unit.agency_id)
    assert calendar.extra_days_off, "the demo agency declares no local day off"
    assert store_calendar() == calendar


def test_stored_facts_equal_the_analytics_engines_facts_case_by_case(demo: Path) -> None:
    settings = PerformanceSettings(
        calendar=store_calendar(), timezone="Asia/Jakarta", standards=load_standards(demo)
    )
    with DuckDBEngine() as eng:
        eng.register_log(demo / EVENTS)
        rel = case_facts(eng, settings, as_of_us(eng, None))
        engine = {
            case: (bool(closed), lead, paused, sla)
            for case, closed, lead, paused, sla in eng.rows(
                f"SELECT case_id, closed, lead_wd, paused_wd, sla_days FROM {rel}"
            )
        }
    facts = {
        code: (closed_on is not None, lead, paused, sla, met)
        for code, closed_on, lead, paused, sla, met in RequestFact.objects.values_list(
            "request__receipt_code", "closed_on", "lead_working_days", "paused_working_days",
            "sla_working_days", "within_sla",
        )
    }  # fmt: skip
    assert len(facts) == ServiceRequest.objects.count() == DEMO.requests
    assert set(engine) == set(facts)
    closed = 0
    for code, (is_closed, lead, paused, sla, met) in facts.items():
        e_closed, e_lead, e_paused, e_sla = engine[code]
        assert is_closed == e_closed, code
        assert sla == e_sla, code
        if is_closed:
            closed += 1
            assert (lead, paused) == (e_lead, e_paused), code
            assert met == bool(within_sla(e_lead, e_paused, e_sla)), code
    assert closed > DEMO.requests // 2


def test_scorecard_rows_equal_the_registry_aggregate_for_every_unit_and_period(
    demo: Path,
) -> None:
    facts = RequestFact.objects.all()
    rows = list(UnitScorecard.objects.select_related("unit"))
    assert rows
    checked = 0
    for kind in scoring.KINDS:
        for label in {r.period_label for r in rows if r.period_kind == kind}:
            start, end = scoring.bounds(label)
            want = request_figures(facts, start, end, ("unit_id",))
            for r in (r for r in rows if r.period_kind == kind and r.period_label == label):
                got = want.get((r.unit_id,))
                if got is None:
                    assert (r.volume, r.closed) == (0, 0)
                    continue
                assert (r.volume, r.digital_requests, r.closed) == (
                    got.volume, got.digital, got.closed,
                ), (r.unit.code, label)  # fmt: skip
                assert (r.sla_cases, r.sla_met, r.first_time_right) == (
                    got.sla_cases, got.sla_met, got.first_time_right,
                ), (r.unit.code, label)  # fmt: skip
                assert r.sla_share == pytest.approx(got.sla_share)
                assert r.lead_wd_median == got.lead_wd_median
                checked += 1
    assert checked > 50
    services = list(ServiceScorecard.objects.all())
    assert services
    by_label: dict[str, list[ServiceScorecard]] = defaultdict(list)
    for s in services:
        by_label[s.period_label].append(s)
    for label, members in by_label.items():
        start, end = scoring.bounds(label)
        want = request_figures(facts, start, end, ("unit_id", "service_id"))
        for s in members:
            got = want[(s.unit_id, s.service_id)]
            assert (s.volume, s.closed, s.sla_cases, s.sla_met) == (
                got.volume, got.closed, got.sla_cases, got.sla_met,
            ), (s.service_id, label)  # fmt: skip


def test_the_kinerja_layanan_figures_equal_the_registry_aggregate(demo: Path) -> None:
    want = request_figures(RequestFact.objects.all(), *_all_time(), ("unit_id", "service_id"))
    rows = list(UnitServicePerformance.objects.all())
    assert rows
    for p in rows:
        got = want[(p.unit_id, p.service_id)]
        assert (p.volume, p.closed, p.sla_cases, p.sla_met, p.first_time_right) == (
            got.volume, got.closed, got.sla_cases, got.sla_met, got.first_time_right,
        ), (p.unit_id, p.service_id)  # fmt: skip
        assert p.lead_wd_median == got.lead_wd_median


def test_transparency_pages_and_exports_equal_the_registry_aggregate(demo: Path) -> None:
    client = Client()
    facts = RequestFact.objects.all()
    for label in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-07", "2026"):
        period = transparency.parse_period(label)
        assert period is not None
        want = request_figures(facts, period.start, period.end, ("unit_id",))
        published = transparency.public_units(period)
        assert published
        for u in published:
            got = want.get((u.unit.pk,))
            figures = u.figures
            if got is None:
                assert figures is None or (figures.volume, figures.sla.whole) == (0, 0)
                continue
            assert figures is not None
            assert (figures.volume, figures.sla.part, figures.sla.whole) == (
                got.volume, got.sla_met, got.sla_cases,
            ), (u.unit.code, label)  # fmt: skip
        response = client.get(
            reverse("transparency:index_period", args=[label]),
            {"export": "csv", "table": "units"},
        )
        assert response.status_code == 200
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        exported = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
        header, body = exported[0], exported[1:]
        assert len(body) == len(published)
        for u, line in zip(published, body, strict=True):
            got = want.get((u.unit.pk,))
            assert line[0] == u.unit.name and line[1] == label
            if got is not None:
                assert line[2:5] == [str(got.volume), str(got.sla_cases), str(got.sla_met)], (
                    header, line,
                )  # fmt: skip


def _independent_overdue(today: date) -> set[str]:
    """Open, running requests whose net working days so far exceed the SLA."""
    calendar = store_calendar()
    out = set()
    for code, status, submitted, paused, sla in ServiceRequest.objects.values_list(
        "receipt_code", "status", "submitted_at", "paused_working_days",
        "standard__sla_working_days",
    ):  # fmt: skip
        if status not in RUNNING_STATUSES:
            continue
        so_far = calendar.working_days_between(timezone.localtime(submitted).date(), today)
        if so_far - paused > sla:
            out.add(code)
    return out


# A Friday, the Saturday after it and the Monday after that: a due date on the Friday is not
# past on the Saturday (no working day has gone by), and is on the Monday.
@pytest.mark.parametrize("today", [date(2026, 11, 13), date(2026, 11, 14), date(2026, 11, 16)])
def test_past_the_due_date_is_one_set_of_requests_on_every_page(demo: Path, today: date) -> None:
    User = get_user_model()
    leader = User.objects.get(username="demo.pimpinan")
    expected = _independent_overdue(today)
    assert expected, "the demo has requests past their due date"
    if today.weekday() == 5:  # Saturday: the same set as the Friday before
        friday = today.fromordinal(today.toordinal() - 1)
        assert expected == _independent_overdue(friday)
    listed = set(request_search(leader, overdue=True, today=today).values_list(
        "receipt_code", flat=True
    ))  # fmt: skip
    assert listed == expected
    by_unit = open_counts(ServiceRequest.objects.all(), today, ("unit_id",))
    per_unit: dict[int, int] = defaultdict(int)
    for uid in ServiceRequest.objects.filter(receipt_code__in=expected).values_list(
        "unit_id", flat=True
    ):
        per_unit[uid] += 1
    assert {k[0]: v.overdue for k, v in by_unit.items() if v.overdue} == dict(per_unit)
    paused = list(
        ServiceRequest.objects.filter(status__in=PAUSED_STATUSES).values_list(
            "receipt_code", flat=True
        )
    )
    assert paused, "the demo has paused requests"
    for code in [*sorted(expected)[:40], *paused[:40]]:
        seen = tracking(code, today=today)
        assert seen is not None
        assert seen.overdue == (code in expected), code
        if code in paused:
            assert seen.paused and not seen.overdue


def test_the_kinerja_layanan_page_shows_the_live_overdue_count(demo: Path) -> None:
    User = get_user_model()
    client = Client()
    client.force_login(User.objects.get(username="demo.pimpinan"))
    today = timezone.localdate()
    live = open_counts(ServiceRequest.objects.all(), today, ("unit_id", "service_id"))
    perf = max(
        UnitServicePerformance.objects.all(),
        key=lambda p: (
            live.get((p.unit_id, p.service_id), None).overdue  # type: ignore[union-attr]
            if (p.unit_id, p.service_id) in live
            else -1
        ),
    )
    counts = live[(perf.unit_id, perf.service_id)]
    html = client.get(reverse("service_performance_detail", args=[perf.pk])).content.decode()
    assert f"{counts.overdue} past the due date, {counts.paused} with the applicant" in html


def test_ranks_only_among_units_with_a_value_and_enough_sample_and_ties_share(
    demo: Path,
) -> None:
    refresh = ScorecardRefresh.objects.order_by("-finished_at").first()
    assert refresh is not None
    groups: dict[tuple[str, str, str], list[UnitScorecard]] = defaultdict(list)
    for r in UnitScorecard.objects.all():
        groups[(r.period_kind, r.period_label, r.peer_group)].append(r)
    ranked_any = 0
    for members in groups.values():
        for dim, field in scoring.DIMENSIONS.items():
            sample = registry.METRICS[field].sample
            eligible = [
                r for r in members
                if getattr(r, field) is not None
                and (not sample or getattr(r, sample) >= scoring.MIN_SAMPLE)
            ]  # fmt: skip
            for r in members:
                rank = getattr(r, f"rank_{dim}")
                if r not in eligible:
                    assert rank is None and dim not in r.ranked_peers
                    continue
                ranked_any += 1
                assert r.ranked_peers[dim] == len(eligible)
                higher = registry.METRICS[field].higher_is_better
                better = [
                    o for o in eligible
                    if (getattr(o, field) > getattr(r, field) if higher
                        else getattr(o, field) < getattr(r, field))
                ]  # fmt: skip
                assert rank == len(better) + 1
    assert ranked_any > 20


def test_the_whole_installation_is_the_sum_of_its_units(demo: Path) -> None:
    facts = RequestFact.objects.all()
    start, end = scoring.bounds("2026")
    (total,) = request_figures(facts, start, end).values()
    units = request_figures(facts, start, end, ("unit_id",)).values()
    assert total.volume == sum(u.volume for u in units) > 0
    assert total.sla_met == sum(u.sla_met for u in units)
    assert total.closed == sum(u.closed for u in units)
    today = date(2026, 11, 16)
    (everything,) = open_counts(ServiceRequest.objects.all(), today).values()
    per_unit = open_counts(ServiceRequest.objects.all(), today, ("unit_id",)).values()
    assert (
        everything.overdue == sum(u.overdue for u in per_unit) == len(_independent_overdue(today))
    )
    assert everything.open == sum(u.open for u in per_unit)
