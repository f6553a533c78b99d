"""When a request is surveyed (`sigap.rules.skm`): completed and not yet rated, only."""

from __future__ import annotations

import pytest

from sigap.rules.skm import SurveyMoment, survey_moment


@pytest.mark.parametrize(
    ("status", "surveyed", "moment"),
    [
        ("completed", False, SurveyMoment.OPEN),
        ("completed", True, SurveyMoment.DONE),
        ("rejected", False, SurveyMoment.REJECTED),
        ("submitted", False, SurveyMoment.NOT_YET),
        ("in_progress", False, SurveyMoment.NOT_YET),
        ("returned", False, SurveyMoment.NOT_YET),
        ("waiting", False, SurveyMoment.NOT_YET),
        # A response already stored (linked before the rule) is thanked for, never asked again.
        ("in_progress", True, SurveyMoment.DONE),
        ("rejected", True, SurveyMoment.DONE),
    ],
)
def test_only_a_completed_request_not_yet_rated_is_invited(status, surveyed, moment):
    assert survey_moment(status, surveyed=surveyed) is moment


def test_the_rule_knows_the_stored_statuses():
    from sigap.service_requests.models import Status

    assert {Status.COMPLETED.value, Status.REJECTED.value} == {"completed", "rejected"}
