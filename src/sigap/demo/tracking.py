"""Look-ups of the demo's receipts on the public tracking page (`TrackingLookup`).

Generated from the requests already in the database, so the step also runs on its own over an
existing demo (`generate_tracking_lookups` replaces the demo's look-ups; see docs/demo-data.md).
The rules, per request, from one `random.Random` derived from the seed, in request-id order:

- whether the applicant ever looks the receipt up: more likely for the online and mobile
  channels (the receipt is already on the phone) than at the counter, and more for services
  whose SLA is long (a week or more of waiting) — see `TRACKED` and `LONG_SLA_BONUS`;
- if so, on 1–3 distinct days (one more possible for a long SLA), drawn between the submission
  day and a few days after closing (to collect the result), never on or after the demo's
  "today" (`until`, where all demo data stops); one look-up a day, sometimes two.

Only the request and the local day are stored, as the tracking page itself does.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from sigap.demo.content import AGENCY_CODE
from sigap.demo.writer import BulkWriter
from sigap.service_requests.models import ServiceRequest, TrackingLookup

COLUMNS = ("id", "request_id", "day", "lookups")
# Probability that a request's receipt is looked up at least once, by channel.
TRACKED = {"online": 0.62, "mobile": 0.70, "counter": 0.28}
LONG_SLA = 7
"""Working days of SLA from which a service counts as long-running."""
LONG_SLA_BONUS = 0.12
DAYS_WEIGHTS = (0.55, 0.30, 0.15)  # 1, 2 or 3 days with a look-up
AFTER_CLOSING_DAYS = 5
"""How long after closing an applicant still checks the receipt (to see the result)."""


def generate_tracking_lookups(*, seed: int, until: date) -> int:
    """Write the demo's tracking look-ups (replacing any) and return how many rows were written.

    Reads every request once (id order) and bulk-inserts the rows; ~1–2 s for 200,000 requests.
    """
    writer = BulkWriter()
    writer.check_columns(TrackingLookup, COLUMNS)
    requests = ServiceRequest.objects.filter(unit__agency__code=AGENCY_CODE)
    TrackingLookup.objects.filter(request__in=requests)._raw_delete(connection.alias)
    # A stream of its own, so that the look-ups do not shift any other part of the demo.
    rng = random.Random(f"{seed}:tracking")
    tz = ZoneInfo(settings.TIME_ZONE)
    last = until - timedelta(days=1)
    next_id = writer.next_id(TrackingLookup)
    rows: list[tuple[object, ...]] = []
    query = requests.order_by("pk").values_list(
        "pk", "channel", "submitted_at", "finished_at", "standard__sla_working_days"
    )
    for pk, channel, submitted, finished, sla in query.iterator(chunk_size=10_000):
        long_running = sla >= LONG_SLA
        p = TRACKED.get(channel, TRACKED["counter"]) + (LONG_SLA_BONUS if long_running else 0.0)
        if rng.random() >= p:
            continue
        first = submitted.astimezone(tz).date()
        end = finished.astimezone(tz).date() if finished else last
        end = min(end + timedelta(days=AFTER_CLOSING_DAYS), last)
        if end < first:  # submitted on the demo's last day and never closed: nothing to draw
            continue
        span = (end - first).days + 1
        n = rng.choices((1, 2, 3), DAYS_WEIGHTS)[0] + (long_running and rng.random() < 0.3)
        for offset in sorted(rng.sample(range(span), min(n, span))):
            lookups = 2 if rng.random() < 0.12 else 1
            day = writer.day(first.toordinal() + offset)
            rows.append((next_id, pk, day, lookups))
            next_id += 1
    writer.insert(TrackingLookup, COLUMNS, rows)
    writer.reset_sequences(TrackingLookup)
    return len(rows)
