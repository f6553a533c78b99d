"""Step scorecards (`sigap.analytics.steps.step_scorecards`) on a hand-computed log, on DuckDB
and on Spark."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sigap.analytics.engine import Engine
from sigap.analytics.steps import StepScorecard, step_scorecards


def _us(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1_000_000)


D = "2025-03-03T"
# (case, activity, timestamp, resource, outcome, service)
LOG = [
    # K0 is a year older: outside the window.
    ("K0", "submit", "2024-01-01T08:00:00Z", "cit", "", "KTP"),
    ("K0", "verify", "2024-01-01T09:00:00Z", "b", "", "KTP"),
    # K1: a verifies (1 h), returns the file; a verifies again (2 h later): a's first event
    # was redone and returned.
    ("K1", "submit", D + "08:00:00Z", "cit", "", "KTP"),
    ("K1", "verify", D + "09:00:00Z", "a", "returned", "KTP"),
    ("K1", "verify", D + "11:00:00Z", "a", "done", "KTP"),
    ("K2", "submit", D + "08:00:00Z", "cit", "", "KTP"),
    ("K2", "verify", D + "10:00:00Z", "a", "done", "KTP"),
    ("K3", "submit", D + "08:00:00Z", "cit", "", "KTP"),
    ("K3", "verify", D + "08:30:00Z", "b", "done", "KTP"),
    ("K4", "submit", D + "08:00:00Z", "cit", "", "KTP"),
    ("K4", "verify", D + "09:30:00Z", "b", "done", "KTP"),
    # c: one event, under the minimum: not shown, not a peer (its step still counts K5).
    ("K5", "submit", D + "08:00:00Z", "cit", "", "KTP"),
    ("K5", "verify", D + "09:00:00Z", "c", "done", "KTP"),
    # b on another service: its own peers (none).
    ("I1", "submit", D + "08:00:00Z", "cit", "", "IMB"),
    ("I1", "verify", D + "12:00:00Z", "b", "done", "IMB"),
    ("I2", "submit", D + "08:00:00Z", "cit", "", "IMB"),
    ("I2", "verify", D + "13:00:00Z", "b", "done", "IMB"),
]
SINCE = _us("2025-01-01T00:00:00")
H = 3600.0

EXPECTED = (
    StepScorecard("IMB", "verify", "b", 2, 0, 0, 0.0, 4.5 * H, 1.0, 2, 0, None, None, None),
    # a: handling 1 h and 2 h (the 2 h after the return are the applicant's correction, not
    # handling) → median 1.5 h; 1 of 3 redone, 1 of 3 returned; peer b only.
    StepScorecard(
        "KTP", "verify", "a", 3, 1, 1, 0.333333, 1.5 * H, 0.666667, 5, 1, 0.0, 1 * H, 1.0
    ),
    # b: 0.5 h and 1.5 h → median 1 h; peer a only.
    StepScorecard(
        "KTP", "verify", "b", 2, 0, 0, 0.0, 1 * H, 1.0, 5, 1, 0.333333, 1.5 * H, 0.666667
    ),
)


@pytest.fixture
def log(make_log: Callable[..., Path]) -> Path:
    return make_log(LOG, name="steps")


def test_step_scorecards_against_peers(log: Path, duck: Callable[[Path], Engine]) -> None:
    assert step_scorecards(duck(log), since_us=SINCE, min_events=2) == EXPECTED


def test_default_window_is_the_last_year_of_the_log(
    log: Path, duck: Callable[[Path], Engine]
) -> None:
    assert step_scorecards(duck(log), min_events=2) == EXPECTED


def test_an_older_window_counts_older_events(log: Path, duck: Callable[[Path], Engine]) -> None:
    cards = step_scorecards(duck(log), since_us=_us("2023-12-01T00:00:00"), min_events=2)
    b = next(c for c in cards if c.service == "KTP" and c.officer == "b")
    # K0's verify (1 h) joins: 0.5, 1, 1.5 h → median 1 h; 6 cases through the step
    assert (b.events, b.handling_median_s, b.step_cases) == (3, H, 6)


def test_the_minimum_sample_hides_and_drops_peers(
    log: Path, duck: Callable[[Path], Engine]
) -> None:
    cards = step_scorecards(duck(log), since_us=SINCE, min_events=3)
    assert [(c.service, c.officer, c.peers) for c in cards] == [("KTP", "a", 0)]
    assert cards[0].peer_rework_share is None


@pytest.mark.spark
def test_spark_gives_the_same_step_scorecards(log: Path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    from sigap.analytics.engine import SparkEngine

    with SparkEngine() as spark:
        spark.spark.conf.set("spark.sql.shuffle.partitions", "1")
        spark.register_log(log)
        assert step_scorecards(spark, since_us=SINCE, min_events=2) == EXPECTED
        assert step_scorecards(spark, min_events=2) == EXPECTED
