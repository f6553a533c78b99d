"""Tracking-page use on the scorecard, on the small world of conftest.py.

Look-ups recorded (day, lookups): R1 on 8 Jul (2) and 9 Jul (1); R3 on 10 Jul; R0 (a June
request) on 20 Jul; R2 on 5 Oct, after the refresh day 1 Oct, so not counted. sigap's first
recorded look-up is on 8 Jul: June ended before it, so June's tracking use was not measured.

  Counter A, July: volume 4 (R1–R4), tracked R1, R3 → 2/4 = 0.5; transparency = mean of
    standards 1.0, digital 0.5, tracking 0.5 = 2/3.
  Counter A, June: volume 1, not measured → null; transparency = mean(1.0, 0.0) = 0.5.
  Counter A, Q3: 2/4; the year 2025: R0, R1, R3 of 5 → 0.6.
  Puskesmas B, July: R5 never looked up → 0/1 = 0.0 (measured, not null); transparency =
    mean(1.0, 0.0, 0.0) = 1/3.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sigap.leadership.models import UnitScorecard
from sigap.leadership.refresh import leadership_refresh
from sigap.service_requests.models import TrackingLookup
from tests.leadership.conftest import AS_OF, Recorded

pytestmark = pytest.mark.django_db


def _looked_up(recorded: Recorded) -> None:
    r = recorded.requests
    for code, day, n in (
        ("r1", date(2025, 7, 8), 2),
        ("r1", date(2025, 7, 9), 1),
        ("r3", date(2025, 7, 10), 1),
        ("r0", date(2025, 7, 20), 1),
        ("r2", date(2025, 10, 5), 1),
    ):
        TrackingLookup.objects.create(request=r[code], day=day, lookups=n)


def _row(unit: Any, label: str) -> UnitScorecard:
    return UnitScorecard.objects.get(unit=unit, period_label=label)


def test_tracking_share_and_transparency(recorded: Recorded) -> None:
    _looked_up(recorded)
    leadership_refresh(as_of=AS_OF, min_sample=1)
    w = recorded.world
    july = _row(w.counter_a, "2025-07")
    assert (july.tracked, july.volume, july.tracking_share) == (2, 4, 0.5)
    assert july.transparency_score == pytest.approx(2 / 3)
    june = _row(w.counter_a, "2025-06")
    assert (june.tracked, june.tracking_share) == (1, None)
    assert june.transparency_score == pytest.approx(0.5)
    q3 = _row(w.counter_a, "2025-Q3")
    assert (q3.tracked, q3.tracking_share) == (2, 0.5)
    year = _row(w.counter_a, "2025")
    assert (year.tracked, year.volume, year.tracking_share) == (3, 5, pytest.approx(0.6))
    october = _row(w.counter_a, "2025-10")
    assert (october.volume, october.tracking_share) == (0, None)  # no request to track
    b = _row(w.puskesmas_b, "2025-07")
    assert (b.tracked, b.volume, b.tracking_share) == (0, 1, 0.0)
    assert b.transparency_score == pytest.approx(1 / 3)
    assert (july.rank_transparency, b.rank_transparency) == (1, 2)
    assert july.trends["tracking_share"] is None  # June was not measured
    assert q3.trends["tracking_share"] is None


def test_a_later_refresh_day_counts_the_later_look_up(recorded: Recorded) -> None:
    _looked_up(recorded)
    leadership_refresh(as_of=date(2025, 10, 10), min_sample=1)
    july = _row(recorded.world.counter_a, "2025-07")
    assert (july.tracked, july.tracking_share) == (3, 0.75)


def test_no_look_up_recorded_means_not_measured(recorded: Recorded) -> None:
    leadership_refresh(as_of=AS_OF, min_sample=1)
    july = _row(recorded.world.counter_a, "2025-07")
    assert (july.tracked, july.tracking_share) == (0, None)
    assert july.transparency_score == pytest.approx(0.75)  # standards and digital only


def test_the_unit_page_shows_the_figure_or_not_recorded(client: Any, recorded: Recorded) -> None:
    _looked_up(recorded)
    leadership_refresh(as_of=AS_OF, min_sample=1)
    w = recorded.world
    client.force_login(w.users["head_a"])
    html = client.get(f"/pimpinan/unit/{w.counter_a.pk}/?kind=month&period=2025-07").content
    page = html.decode()
    assert 'data-testid="unit-tracking">50.0%' in page
    assert "2 of 4 receipts looked up" in page
    june = client.get(f"/pimpinan/unit/{w.counter_a.pk}/?kind=month&period=2025-06")
    assert 'data-testid="unit-tracking">not recorded' in june.content.decode()
    csv_text = client.get(
        f"/pimpinan/unit/{w.counter_a.pk}/?kind=month&export=csv&table=periods"
    ).content.decode()
    assert "Tracking-page use" in csv_text.splitlines()[0]
