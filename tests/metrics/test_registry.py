"""The registry is complete: every ranked or targeted figure is defined there, with real fields,
real pages, and a line in docs/metrics.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import get_resolver

from sigap.leadership import scoring
from sigap.leadership.models import UnitScorecard
from sigap.metrics.registry import METRICS, AsOf

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern, ns)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver(), "")
    return names


def test_every_scorecard_dimension_and_roadmap_target_is_a_registry_metric() -> None:
    assert set(scoring.DIMENSIONS.values()) <= set(METRICS)
    assert set(scoring.METRICS) <= set(METRICS)
    for key, target in scoring.METRICS.items():
        if METRICS[key].target is not None:
            assert target.target == METRICS[key].target


@pytest.mark.parametrize("key", sorted(METRICS))
def test_each_metric_names_real_fields_and_pages(key: str) -> None:
    metric = METRICS[key]
    fields = {f.name for f in UnitScorecard._meta.get_fields()}
    if metric.as_of is AsOf.REFRESH:
        assert key in fields
    if metric.sample:
        assert metric.sample in fields
    assert metric.pages, key
    assert set(metric.pages) <= _url_names(), set(metric.pages) - _url_names()


def test_docs_list_every_metric_with_its_pages() -> None:
    text = DOC.read_text()
    for key, metric in METRICS.items():
        line = next((ln for ln in text.splitlines() if ln.startswith(f"| `{key}` |")), None)
        assert line is not None, f"docs/metrics.md has no row for {key}"
        for page in metric.pages:
            assert f"`{page}`" in line, (key, page)
