"""The registry's and ideas' forms under hostile values (the values of tests/web/test_form_fuzz):
no value in any field is a 5xx, and a refused post writes nothing it should not."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.innovation.registry_helpers import applied, roadmap_action
from tests.web.test_form_fuzz import Answers, fuzz_settings, hostile

pytestmark = pytest.mark.django_db


def _forms(world: Any) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """name -> (persona, path, a valid submission)."""
    made = applied(world)
    action = roadmap_action(world.counter_a)
    idea_path = "/inovasi/ide/baru/"
    return {
        "innovation": (
            "head_a",
            "/inovasi/baru/",
            {
                "name": "Antrean daring",
                "initiator": "unit",
                "initiator_name": "Loket A",
                "form": "public_service",
                "kind": "digital",
                "urusan": "civil_registration",
                "initiated_on": "2025-01-06",
                "units": str(world.counter_a.pk),
                "services": str(world.ktp.pk),
                "design": "Rancang bangun",
                "video_url": "https://video.example.org/a",
            },
        ),
        "stage": (
            "head_a",
            f"/inovasi/{made.pk}/tahap/",
            {"stage": "applied", "on": "2025-03-10", "note": "Koreksi"},
        ),
        "replication": (
            "hr",
            f"/inovasi/{made.pk}/replikasi/",
            {
                "adopter_unit": str(world.puskesmas_b.pk),
                "adopter_region": "",
                "create_replica": "on",
                "adopted_on": "2025-06-02",
                "note": "",
            },
        ),
        "idea": (
            "officer_a",
            idea_path,
            {
                "unit": str(world.counter_a.pk),
                "title": "Ide",
                "problem": "Masalah",
                "proposal": "Usul",
                "source": "roadmap",
                "roadmap_action": str(action.pk),
                "source_key": "",
            },
        ),
    }


@pytest.mark.parametrize("name", ["innovation", "stage", "replication", "idea"])
def test_no_field_value_makes_a_registry_form_fail(client, world, name):
    persona, path, valid = _forms(world)[name]
    client.force_login(world.users[persona])
    answers = Answers()
    keys = st.sampled_from([*valid, "x"])

    @given(changes=st.dictionaries(keys, hostile, min_size=1, max_size=4))
    @fuzz_settings()
    def fuzz(changes: dict[str, str]) -> None:
        data = {**valid, **changes}
        answers.check(client.post(path, data), f"{path} {data!r}")

    fuzz()
    assert answers.count > 0


def test_no_value_makes_an_idea_decision_fail(client, world):
    from sigap.innovation import services

    idea = services.idea_propose(
        actor=world.users["officer_a"],
        unit=world.counter_a,
        title="Ide",
        problem="Masalah",
        proposal="Usul",
    )
    client.force_login(world.users["head_a"])
    answers = Answers()
    keys = st.sampled_from(["form", "kind", "urusan", "note", "decision_note", "name"])

    @given(
        changes=st.dictionaries(keys, hostile, min_size=1, max_size=4),
        what=st.sampled_from(["terima", "tolak"]),
    )
    @fuzz_settings()
    def fuzz(changes: dict[str, str], what: str) -> None:
        path = f"/inovasi/ide/{idea.pk}/{what}/"
        answers.check(client.post(path, changes), f"{path} {changes!r}")

    fuzz()
    assert answers.count > 0
