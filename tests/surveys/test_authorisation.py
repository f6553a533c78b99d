"""The staff write of the SKM (the follow-up plan) decides itself who may act, whoever calls it.

Called directly (as a command would, with no page in front): a user without the right, whether
the wrong role or a unit head of another unit, is refused with PermissionDenied and nothing is
written; the unit's head may, and the entry is audited. The questionnaire itself is public.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.surveys import services
from sigap.surveys.models import SurveyFollowUp, SurveyResponse
from tests import factories

PLAN = {
    "period": "2025-Q2",
    "element": "waktu",
    "action": "Tambah loket sore",
    "timeline": "Triwulan depan",
    "responsible": "Kepala Loket A",
}

WRITES: dict[str, Callable[[factories.World, Any], object]] = {
    "follow_up_add": lambda w, u: services.survey_follow_up_add(unit=w.counter_a, user=u, **PLAN),
}

# An officer of the unit, a unit head of another unit, readers of the SKM who may not plan,
# the administrator (a superuser is no bypass) and an account without a role.
REFUSED = ("officer_a", "head_b", "inspector", "leadership", "admin", "norole")


def _user(world: factories.World, name: str) -> Any:
    if name == "head_b":
        return factories.user("head_b", Role.UNIT_HEAD, world.puskesmas_b)
    return world.users[name]


def _written() -> tuple[int, int]:
    return SurveyFollowUp.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("action", list(WRITES))
def test_a_user_without_the_right_is_refused_and_nothing_is_written(world, action, who):
    user = _user(world, who)
    before = _written()
    with pytest.raises(PermissionDenied) as refused:
        WRITES[action](world, user)
    assert str(refused.value)  # a message saying why, not a bare 403
    assert _written() == before


@pytest.mark.parametrize("action", list(WRITES))
def test_the_units_head_may_and_is_audited(world, action):
    WRITES[action](world, world.users["head_a"])
    row = SurveyFollowUp.objects.get()
    assert row.created_by == world.users["head_a"] and row.unit == world.counter_a
    entry = AuditEntry.objects.get(action="survey.follow_up")
    assert entry.actor == "head_a" and entry.unit_id == world.counter_a.pk


def test_a_refusal_comes_before_the_validation(world):
    with pytest.raises(PermissionDenied):  # a bad period tells nothing to someone who may not
        services.survey_follow_up_add(
            unit=world.counter_a, user=world.users["officer_a"], **{**PLAN, "period": "2025-Q9"}
        )


def test_the_questionnaire_needs_no_account(world):
    response = services.survey_submit(service=world.ktp, answers={"waktu": 4})
    assert SurveyResponse.objects.filter(pk=response.pk).exists()


def test_the_admin_site_is_no_way_around_the_write_function(client, world):
    client.force_login(world.users["admin"])  # a superuser
    assert client.get("/admin/surveys/surveyfollowup/").status_code == 200
    assert client.get("/admin/surveys/surveyfollowup/add/").status_code == 403
    response = client.post(
        "/admin/surveys/surveyfollowup/add/", {**PLAN, "unit": world.counter_a.pk}
    )
    assert response.status_code == 403 and not SurveyFollowUp.objects.exists()
