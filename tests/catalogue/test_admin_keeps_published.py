"""A standard that has been set is the record requests were judged against: the Django admin
cannot change or delete it or its procedure either (a change is a new version, in the editor)."""

from __future__ import annotations

from sigap.catalogue import services
from sigap.catalogue.models import ProcedureStep, ServiceStandard


def test_a_published_standard_and_its_steps_are_read_only_in_the_admin(client, world):
    client.force_login(world.users["admin"])
    published = world.ktp.standards.get()
    step = published.steps.first()
    page = client.get(f"/admin/catalogue/servicestandard/{published.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    response = client.post(
        f"/admin/catalogue/servicestandard/{published.pk}/change/",
        {"service": world.ktp.pk, "version": 1, "sla_working_days": 99},
    )
    assert response.status_code == 403
    assert (
        client.post(
            f"/admin/catalogue/servicestandard/{published.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/catalogue/procedurestep/{step.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    published.refresh_from_db()
    assert published.sla_working_days == 3 and published.steps.count() == 4


def test_a_step_cannot_be_added_to_a_published_standard_but_to_a_draft(client, world):
    client.force_login(world.users["admin"])
    published = world.ktp.standards.get()
    data = {"order": 9, "name": "Langkah baru", "expected_minutes": 10}
    response = client.post(
        "/admin/catalogue/procedurestep/add/", {**data, "standard": published.pk}
    )
    assert response.status_code == 200 and b"standard editor" in response.content
    assert not ProcedureStep.objects.filter(name="Langkah baru").exists()
    draft = services.standard_draft_new(user=world.users["head_a"], service=world.ktp)
    response = client.post("/admin/catalogue/procedurestep/add/", {**data, "standard": draft.pk})
    assert response.status_code == 302
    assert ProcedureStep.objects.get(name="Langkah baru").standard_id == draft.pk
    assert client.get(f"/admin/catalogue/servicestandard/{draft.pk}/change/").status_code == 200
    assert ServiceStandard.objects.filter(service=world.ktp).count() == 2
