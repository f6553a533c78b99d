"""The service panel (`sigap.analytics.service_panel`): cells of a tiny log worked out by hand,
the month of submission in local time, the censoring of recent months, on DuckDB (its linear
pass and its SQL) and on Spark.

2025 in Jakarta (WIB, +07:00); holidays on weekdays near these dates: 31 Mar – 7 Apr, 18 Apr,
1 May. Standard: KTP 3 working days; IMB has none (no SLA share).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sigap.analytics.engine import DuckDBEngine, Engine
from sigap.analytics.impact import PanelRow, month_number
from sigap.analytics.performance import PerformanceSettings, ServiceStandard
from sigap.analytics.service_panel import (
    COMPLAINTS,
    FIRST_TIME_RIGHT,
    HIGHER_IS_BETTER,
    IKM,
    LEAD_TIME,
    SLA,
    ServiceCell,
    censor,
    panel_rows,
    service_panel,
)

WIB = ZoneInfo("Asia/Jakarta")


def ev(case: str, act: str, when: str, outcome: str, svc: str) -> tuple[str, ...]:
    return (case, act, f"2025-{when}:00+07:00", "budi", outcome, svc, "U1")


LOG = [
    # February, KTP: K1 Mon 3 -> Wed 5: 2 working days, met, first time right.
    ev("K1", "submit", "02-03T09:00", "submitted", "KTP"),
    ev("K1", "issue", "02-05T15:00", "completed", "KTP"),
    # K2 submitted Fri 28 Feb 23:30 WIB (February), returned Mon 3 Mar, resumed Tue 4 Mar,
    # completed Thu 6 Mar: lead (28 Feb, 6 Mar] = 3, 4, 5, 6 Mar = 4 wd, paused 1 wd, net 3 <= 3
    # met; returned: not first time right.
    ev("K2", "submit", "02-28T23:30", "submitted", "KTP"),
    ev("K2", "check", "03-03T10:00", "returned", "KTP"),
    ev("K2", "fix", "03-04T08:00", "resumed", "KTP"),
    ev("K2", "issue", "03-06T10:00", "completed", "KTP"),
    # March, KTP: K3 submitted Sat 1 Mar 00:30 WIB (28 Feb 17:30 UTC: March locally), closed
    # Fri 7 Mar: (1, 7] = 5 wd > 3, missed. K4 Mon 10 -> Tue 11: 1 wd. K5 Wed 12 -> rejected
    # Fri 14: 2 wd (a rejected request is closed, and was never returned).
    ev("K3", "submit", "03-01T00:30", "submitted", "KTP"),
    ev("K3", "issue", "03-07T09:00", "completed", "KTP"),
    ev("K4", "submit", "03-10T09:00", "submitted", "KTP"),
    ev("K4", "issue", "03-11T09:00", "completed", "KTP"),
    ev("K5", "submit", "03-12T09:00", "submitted", "KTP"),
    ev("K5", "refuse", "03-14T09:00", "rejected", "KTP"),
    # April, KTP: K6 Tue 8 -> Thu 10: 2 wd; K7 Mon 14 still open (half the month closed, but
    # May after it is complete: kept).
    ev("K6", "submit", "04-08T09:00", "submitted", "KTP"),
    ev("K6", "issue", "04-10T09:00", "completed", "KTP"),
    ev("K7", "submit", "04-14T09:00", "submitted", "KTP"),
    # May, KTP: K8 Fri 2 -> Mon 5: 1 wd.
    ev("K8", "submit", "05-02T09:00", "submitted", "KTP"),
    ev("K8", "issue", "05-05T09:00", "completed", "KTP"),
    # June: K9 is in the month of as_of (the last event): never in the panel.
    ev("K9", "submit", "06-02T09:00", "submitted", "KTP"),
    ev("K9", "issue", "06-03T09:00", "completed", "KTP"),
    # IMB: I1 Tue 4 Feb -> Mon 10 Feb: 5, 6, 7, 10 = 4 wd, returned: not first time right.
    ev("I1", "submit", "02-04T09:00", "submitted", "IMB"),
    ev("I1", "check", "02-05T09:00", "returned", "IMB"),
    ev("I1", "fix", "02-06T09:00", "resumed", "IMB"),
    ev("I1", "issue", "02-10T09:00", "completed", "IMB"),
    # March: I2 closed, I3 open (1 of 2 closed); April: I4 open (0 of 1). The trailing months
    # under 95 % closed are cut: IMB keeps February only.
    ev("I2", "submit", "03-03T09:00", "submitted", "IMB"),
    ev("I2", "issue", "03-05T09:00", "completed", "IMB"),
    ev("I3", "submit", "03-06T09:00", "submitted", "IMB"),
    ev("I4", "submit", "04-15T09:00", "submitted", "IMB"),
]

SETTINGS = PerformanceSettings(standards=(ServiceStandard("KTP", date(2025, 1, 1), 3),))
LAST_US = int(datetime(2025, 6, 3, 9, 0, tzinfo=WIB).timestamp()) * 1_000_000


def m(month: int) -> int:
    return month_number(2025, month)


EXPECTED = [
    ServiceCell("IMB", m(2), cases=1, lead_wd_sum=4, sla_cases=0, sla_met=0, first_time_right=0),
    ServiceCell("KTP", m(2), cases=2, lead_wd_sum=6, sla_cases=2, sla_met=2, first_time_right=1),
    ServiceCell("KTP", m(3), cases=3, lead_wd_sum=8, sla_cases=3, sla_met=2, first_time_right=3),
    ServiceCell("KTP", m(4), cases=1, lead_wd_sum=2, sla_cases=1, sla_met=1, first_time_right=1),
    ServiceCell("KTP", m(5), cases=1, lead_wd_sum=1, sla_cases=1, sla_met=1, first_time_right=1),
]


@pytest.fixture
def log(make_log: Callable[..., Path]) -> Path:
    return make_log(LOG)


def test_the_cells_of_a_tiny_log(log: Path, duck: Callable[[Path], Engine]) -> None:
    eng = duck(log)
    assert eng.linear_log() is not None  # as_of = the last event: the linear pass's facts
    assert service_panel(eng, SETTINGS, LAST_US) == EXPECTED


def test_the_sql_facts_give_the_same_cells(log: Path) -> None:
    with DuckDBEngine(fast_path=False) as eng:
        eng.register_log(log)
        assert service_panel(eng, SETTINGS, LAST_US) == EXPECTED


def test_only_the_services_asked_for(log: Path, duck: Callable[[Path], Engine]) -> None:
    eng = duck(log)
    assert service_panel(eng, SETTINGS, LAST_US, services=["IMB"]) == EXPECTED[:1]
    assert service_panel(eng, SETTINGS, LAST_US, services=["nothing"]) == []
    assert service_panel(eng, SETTINGS, LAST_US, services=[]) == []


def test_as_of_earlier_sees_the_log_as_it_was_then(
    log: Path, duck: Callable[[Path], Engine]
) -> None:
    # Seen on Thu 6 Mar 12:00: March is the month of as_of (cut). February: K1 closed, K2
    # closed at 10:00 that morning; IMB's I1 closed. As at the end of the log.
    as_of = int(datetime(2025, 3, 6, 12, 0, tzinfo=WIB).timestamp()) * 1_000_000
    assert service_panel(duck(log), SETTINGS, as_of) == EXPECTED[:2]
    # Seen on Thu 6 Mar 09:00, K2 is still open: 1 of 2 February cases closed, the only
    # month: cut.
    early = int(datetime(2025, 3, 6, 9, 0, tzinfo=WIB).timestamp()) * 1_000_000
    assert service_panel(duck(log), SETTINGS, early) == EXPECTED[:1]


def test_months_are_local_months(log: Path, duck: Callable[[Path], Engine]) -> None:
    # K3, submitted 00:30 WIB on 1 March (17:30 UTC on 28 February), is February's in UTC.
    utc = service_panel(duck(log), SETTINGS, LAST_US, services=["KTP"], tz="UTC")
    assert [(c.period, c.cases, c.lead_wd_sum) for c in utc[:2]] == [(m(2), 3, 11), (m(3), 2, 3)]
    wita = PerformanceSettings(timezone="Asia/Makassar", standards=SETTINGS.standards)
    # Months follow the agency's zone unless told otherwise: K2, submitted 23:30 WIB on 28
    # February, is 00:30 WITA on 1 March: March's for an agency at +08:00.
    cells = service_panel(duck(log), wita, LAST_US, services=["KTP"])
    assert [(c.period, c.cases) for c in cells] == [(m(2), 1), (m(3), 4), (m(4), 1), (m(5), 1)]


def test_a_lower_closed_share_keeps_the_recent_months(
    log: Path, duck: Callable[[Path], Engine]
) -> None:
    cells = service_panel(duck(log), SETTINGS, LAST_US, services=["IMB"], min_closed=0.5)
    # March (1 of 2 closed) is kept at 50 %; April (0 closed) has no cell at all.
    assert [(c.period, c.cases) for c in cells] == [(m(2), 1), (m(3), 1)]
    with pytest.raises(ValueError, match="min_closed"):
        service_panel(duck(log), SETTINGS, LAST_US, min_closed=1.5)


def test_censoring_cuts_the_trailing_months_only() -> None:
    def cell(period: int, closed: int) -> ServiceCell:
        return ServiceCell("S", period, closed, float(closed), 0, 0, closed)

    # (submitted, closed): 10/9 early (kept: not trailing), 20/20, 100/95 (exactly 95 %:
    # kept), then 100/94 and 10/2 at the end (cut).
    counted = [(10, cell(1, 9)), (20, cell(2, 20)), (100, cell(3, 95)), (100, cell(4, 94)),
               (10, cell(5, 2))]  # fmt: skip
    assert [c.period for c in censor(counted)] == [1, 2, 3]
    assert [c.period for c in censor(counted[:2] + counted[3:])] == [1, 2]
    assert censor([(3, cell(1, 0))], min_closed=0) == []  # nothing closed: no cell


def test_kpi_values_and_panel_rows() -> None:
    ktp_march, imb_feb = EXPECTED[2], EXPECTED[0]
    assert ktp_march.value(LEAD_TIME) == pytest.approx(8 / 3)
    assert ktp_march.value(SLA) == pytest.approx(2 / 3)
    assert ktp_march.value(FIRST_TIME_RIGHT) == 1.0
    assert imb_feb.value(SLA) is None  # no service standard
    assert imb_feb.value(FIRST_TIME_RIGHT) == 0.0
    assert panel_rows(EXPECTED[:3], SLA) == [
        PanelRow("KTP", m(2), 1.0, 2.0),
        PanelRow("KTP", m(3), 2 / 3, 3.0),
    ]
    assert panel_rows(EXPECTED[:2], LEAD_TIME) == [
        PanelRow("IMB", m(2), 4.0, 1.0),
        PanelRow("KTP", m(2), 3.0, 2.0),
    ]
    with pytest.raises(ValueError, match="database"):
        panel_rows(EXPECTED, IKM)
    with pytest.raises(ValueError, match="unknown KPI 'speed'"):
        EXPECTED[0].value("speed")
    assert not HIGHER_IS_BETTER[LEAD_TIME] and not HIGHER_IS_BETTER[COMPLAINTS]
    assert HIGHER_IS_BETTER[SLA] and HIGHER_IS_BETTER[FIRST_TIME_RIGHT] and HIGHER_IS_BETTER[IKM]


@pytest.mark.spark
def test_spark_gives_the_same_cells(log: Path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("Spark needs Java 17")
    from sigap.analytics.engine import SparkEngine

    with SparkEngine() as spark:
        spark.spark.conf.set("spark.sql.shuffle.partitions", "1")
        spark.register_log(log)
        assert service_panel(spark, SETTINGS, LAST_US) == EXPECTED
        as_of = int(datetime(2025, 3, 6, 12, 0, tzinfo=WIB).timestamp()) * 1_000_000
        assert service_panel(spark, SETTINGS, as_of) == EXPECTED[:2]
