"""The work home: one section per role held, each figure equal to the list it links to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sigap.accounts.models import Role

PERSONAS = {
    "officer_a": [Role.OFFICER],
    "head_a": [Role.UNIT_HEAD],
    "hr": [Role.HR],
    "inspector": [Role.INSPECTOR],
    "ombudsman": [Role.OMBUDSMAN],
    "leadership": [Role.LEADERSHIP],
    "admin": [Role.ADMIN],
    "cashier": [Role.CASHIER],
}


def sections(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(s.role) for s in page.context["sections"]]


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_each_persona_sees_the_section_of_its_role_only(client, world, persona):
    client.force_login(world.users[persona])
    page = client.get(reverse("work_home"))
    assert page.status_code == 200
    assert sections(page) == [str(r) for r in PERSONAS[persona]]
    assert f'data-testid="home-{PERSONAS[persona][0]}"' in page.content.decode()


def test_the_home_needs_a_log_in_and_a_role_less_account_is_told_what_to_do(client, world):
    assert client.get(reverse("work_home")).status_code == 302
    client.force_login(world.users["norole"])
    page = client.get(reverse("work_home"))
    assert page.status_code == 200 and sections(page) == []


def test_a_user_with_two_roles_gets_both_sections(client, world):
    from sigap.accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=world.users["head_a"], role=Role.OFFICER, unit=world.counter_a
    )
    client.force_login(world.users["head_a"])
    assert sections(client.get(reverse("work_home"))) == [Role.UNIT_HEAD, Role.OFFICER]


def test_logging_in_lands_on_the_work_home(settings):
    assert settings.LOGIN_REDIRECT_URL == "work_home"
