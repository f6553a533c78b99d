"""The system check of the competency settings: a wrong value is named at startup (sigap.E010),
not a server error on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks
from django.test import override_settings

from sigap.competency import conf


def _run() -> list[str]:
    return [m.msg for m in checks.run_checks() if m.id == "sigap.E010"]


def _with(**values: Any) -> Any:
    from django.conf import settings

    return override_settings(SIGAP={**getattr(settings, "SIGAP", {}), **values})


def test_the_defaults_pass() -> None:
    assert conf.problems() == []
    assert _run() == []


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("COMPETENCY_JP_CONVERSION", {"webinar": {"basis": "per_day", "jp": 4}}, "unknown route"),
        ("COMPETENCY_JP_CONVERSION", {"seminar": {"basis": "per_hour", "jp": 4}}, "unknown basis"),
        ("COMPETENCY_JP_CONVERSION", {"seminar": {"basis": "per_day", "jp": -1}}, "'jp'"),
        ("COMPETENCY_MAPPING_BANDS", [(90, "optimal"), (78, "cukup_optimal")], "start at 0"),
        ("COMPETENCY_SELECTION_BANDS", "80", "pairs"),
        ("COMPETENCY_JPM_CAPPING", "some", "must be one of"),
        ("COMPETENCY_YEARLY_JP", "20 JP", "whole number"),
        ("COMPETENCY_GAP_MIN_PEERS", 0, "whole number"),
        ("COMPETENCY_GAP_SHARE_MARGIN", "ten", "number"),
        ("COMPETENCY_AKPK_FIRST_MONTH", 13, "1 to 12"),
        ("COMPETENCY_AKPK_ROUTES", {"teknis": ["bimtek"]}, "two routes"),
        ("COMPETENCY_AKPK_JP", {"coaching": 4}, "'*' entry"),
        ("COMPETENCY_AKPK_BUDGET", {"*": -5}, "an amount"),
        ("COMPETENCY_SOFT_SKILL_COMPETENCIES", ["komunikasi"], "signal"),
    ],
)
def test_a_wrong_setting_is_named_by_the_check(key: str, value: Any, words: str) -> None:
    with _with(**{key: value}):
        found = _run()
    assert len(found) == 1
    assert found[0].startswith(key) and words in found[0]


def test_the_check_gathers_every_problem_at_once() -> None:
    with _with(
        COMPETENCY_JP_CONVERSION={"webinar": {"basis": "x"}, "seminar": {"basis": "x"}},
        COMPETENCY_MAPPING_BANDS=[(50, "a")],
    ):
        assert len(_run()) == 3
