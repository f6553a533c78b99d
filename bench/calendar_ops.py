"""Working-day calendar throughput: the demo generator calls it ~500,000 times.

    .venv/bin/python -m bench.calendar_ops

Prints calls/s for `add_working_days` + `is_working_day` and the ratio to a bare loop doing
plain date arithmetic over the same inputs, both measured in this run.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from sigap.rules.calendar import WorkingCalendar

N = 200_000


def main() -> None:
    calendar = WorkingCalendar()
    start = date(2024, 1, 1)
    calendar.add_working_days(start, 1)  # build the tables outside the timing

    began = time.perf_counter()
    for i in range(N):
        d = start + timedelta(days=i % 1000)
        calendar.add_working_days(d, i % 30)
        calendar.is_working_day(d)
    sigap_s = time.perf_counter() - began

    began = time.perf_counter()
    for i in range(N):
        d = start + timedelta(days=i % 1000)
        _ = d + timedelta(days=i % 30)
        _ = d.weekday() < 5
    bare_s = time.perf_counter() - began

    print(f"{'what':<28}{'calls':>10}{'seconds':>10}{'calls/s':>14}{'ratio':>8}")
    print(f"{'bare date arithmetic':<28}{N:>10,}{bare_s:>10.3f}{N / bare_s:>14,.0f}{1:>8.1f}")
    print(
        f"{'sigap working-day calendar':<28}{N:>10,}{sigap_s:>10.3f}"
        f"{N / sigap_s:>14,.0f}{sigap_s / bare_s:>8.1f}"
    )


if __name__ == "__main__":
    main()
