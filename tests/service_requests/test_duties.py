"""Separation of duties in the write functions and on the request page.

Counter A's KTP-el standard: 1 Penerimaan berkas, 2 Verifikasi, 3 Pencetakan, 4 Penyerahan.
Each test declares who may do "Verifikasi" and checks that the write functions (whoever calls
them) allow exactly that, with a message naming the field `officer`, and write nothing else.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sigap.accounts.models import Role
from sigap.catalogue.models import ProcedureStep
from sigap.organisation.models import Employee
from sigap.service_requests import services
from sigap.service_requests.models import ServiceEvent, ServiceRequest, Status
from tests import factories
from tests.conftest import local

T = local(2025, 3, 27, 10)


def _step(world: factories.World, name: str) -> ProcedureStep:
    return world.ktp_standard.steps.get(name=name)


def _declare(world: factories.World, **declaration: object) -> ProcedureStep:
    step = _step(world, "Verifikasi")
    for field, value in declaration.items():
        setattr(step, field, value)
    step.full_clean()
    step.save()
    return step


def _second_officer(world: factories.World) -> Employee:
    """Another front-line officer of counter A, with an account."""
    user = factories.user("officer_a2", Role.OFFICER, world.counter_a)
    return factories.employee(world.counter_a, "Rina Kurniasih", world.officer_a.position, user)


def _at_verification(ktp_request: ServiceRequest, by: Employee) -> ServiceRequest:
    sr = services.service_request_receive(request=ktp_request, officer=by, at=T)
    sr = services.service_request_complete_step(request=sr, officer=by, at=local(2025, 3, 27, 11))
    assert sr.current_step.name == "Verifikasi"
    return sr


def _refused(call, *fragments: str) -> ValidationError:  # type: ignore[no-untyped-def]
    """The call is refused on the field `officer` and nothing at all is written."""
    before = (
        ServiceEvent.objects.count(),
        list(ServiceRequest.objects.values_list("status", "current_step", "event_count")),
    )
    with pytest.raises(ValidationError) as info:
        call()
    assert list(info.value.message_dict) == ["officer"]
    text = " ".join(info.value.message_dict["officer"])
    for fragment in fragments:
        assert fragment in text, text
    after = (
        ServiceEvent.objects.count(),
        list(ServiceRequest.objects.values_list("status", "current_step", "event_count")),
    )
    assert after == before
    return info.value


# --- four eyes ---------------------------------------------------------------------------------


def test_four_eyes_another_officer_may_verify(world, ktp_request):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    sr = _at_verification(ktp_request, world.officer_a)
    other = _second_officer(world)
    sr = services.service_request_complete_step(
        request=sr, officer=other, at=local(2025, 3, 27, 12)
    )
    assert sr.current_step.name == "Pencetakan"
    # The later, undeclared steps are open to anyone again, also the first officer.
    sr = services.service_request_complete_step(
        request=sr, officer=world.officer_a, at=local(2025, 3, 27, 13)
    )
    assert sr.current_step.name == "Penyerahan"


def test_four_eyes_the_officer_who_received_the_file_may_not_verify_it(world, ktp_request):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    sr = _at_verification(ktp_request, world.officer_a)
    _refused(
        lambda: services.service_request_complete_step(
            request=sr, officer=world.officer_a, at=local(2025, 3, 27, 12)
        ),
        "“Verifikasi” must be done by another officer than the one who completed "
        "“Penerimaan berkas”",
        "Siti Rahmawati completed that step on this request",
    )


def test_four_eyes_also_holds_for_returning_and_rejecting_at_the_step(world, ktp_request):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    sr = _at_verification(ktp_request, world.officer_a)
    o, at = world.officer_a, local(2025, 3, 27, 12)
    _refused(
        lambda: services.service_request_return(request=sr, officer=o, reason="KK buram", at=at),
        "another officer",
    )
    _refused(
        lambda: services.service_request_reject(request=sr, officer=o, reason="Ganda", at=at),
        "another officer",
    )
    # Waiting for the applicant decides nothing: still allowed.
    sr = services.service_request_wait(request=sr, officer=o, reason="Tanda tangan", at=at)
    assert sr.status == Status.WAITING


def test_four_eyes_counts_every_round_of_a_returned_file(world, ktp_request):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    a, b = world.officer_a, _second_officer(world)
    sr = _at_verification(ktp_request, b)  # b received the file the first time
    sr = services.service_request_return(
        request=sr, officer=a, reason="KK buram", at=local(2025, 3, 27, 12)
    )
    sr = services.service_request_resume(request=sr, at=local(2025, 3, 28, 9))
    sr = services.service_request_complete_step(request=sr, officer=a, at=local(2025, 3, 28, 10))
    # a did "Penerimaan berkas" in the second round, b in the first: neither may verify.
    for officer in (a, b):
        _refused(
            lambda officer=officer: services.service_request_complete_step(
                request=sr, officer=officer, at=local(2025, 3, 28, 11)
            ),
            "another officer",
        )
    head = world.head_a
    sr = services.service_request_complete_step(request=sr, officer=head, at=local(2025, 3, 28, 11))
    assert sr.current_step.name == "Pencetakan"


# --- role and position -------------------------------------------------------------------------


def test_a_role_step_is_done_by_the_unit_head_only(world, ktp_request):
    _declare(world, done_by_role=Role.UNIT_HEAD)
    sr = _at_verification(ktp_request, world.officer_a)
    _refused(
        lambda: services.service_request_complete_step(
            request=sr, officer=world.officer_a, at=local(2025, 3, 27, 12)
        ),
        "“Verifikasi” may only be done by the unit head, not by Siti Rahmawati.",
    )
    sr = services.service_request_complete_step(
        request=sr, officer=world.head_a, at=local(2025, 3, 27, 12)
    )
    assert sr.current_step.name == "Pencetakan"


def test_a_position_step_is_done_by_the_holder_of_the_position_only(world, ktp_request):
    _declare(world, done_by_position="kepala  seksi")  # head A is "Kepala Seksi"
    sr = _at_verification(ktp_request, world.officer_a)
    _refused(
        lambda: services.service_request_complete_step(
            request=sr, officer=world.officer_a, at=local(2025, 3, 27, 12)
        ),
        "may only be done by the holder of the position “kepala  seksi”, not by Siti Rahmawati",
    )
    sr = services.service_request_complete_step(
        request=sr, officer=world.head_a, at=local(2025, 3, 27, 12)
    )
    assert sr.current_step.name == "Pencetakan"


def test_a_role_holder_without_the_position_is_refused_a_position_step(world, ktp_request):
    _declare(world, done_by_position="Kepala Dinas Kependudukan dan Pencatatan Sipil")
    sr = _at_verification(ktp_request, world.officer_a)
    _refused(
        lambda: services.service_request_complete_step(
            request=sr, officer=world.head_a, at=local(2025, 3, 27, 12)
        ),
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "not by Bambang Wijaya",
    )


def test_position_and_four_eyes_give_both_reasons(world, ktp_request):
    _declare(
        world, done_by_position="Kepala Seksi", other_officer_than=_step(world, "Penerimaan berkas")
    )
    sr = _at_verification(ktp_request, world.officer_a)
    err = _refused(
        lambda: services.service_request_complete_step(
            request=sr, officer=world.officer_a, at=local(2025, 3, 27, 12)
        )
    )
    assert len(err.message_dict["officer"]) == 2


def test_the_refusal_is_worded_in_indonesian(world, ktp_request):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    sr = _at_verification(ktp_request, world.officer_a)
    with translation.override("id"):
        _refused(
            lambda: services.service_request_complete_step(
                request=sr, officer=world.officer_a, at=local(2025, 3, 27, 12)
            ),
            "Menurut standar pelayanan",
            "harus dikerjakan oleh petugas lain",
        )
        assert _step(world, "Verifikasi").done_by_text() == (
            "Petugas lain, bukan yang menyelesaikan “Penerimaan berkas”."
        )


# --- authorisation inside the write functions ---------------------------------------------------


def test_an_officer_without_the_right_is_refused_by_every_write_function(world, ktp_request):
    # An employee whose account only reads (the inspectorate), and one with no account at all.
    reader = factories.employee(
        world.counter_a, "Auditor", world.officer_a.position, world.users["inspector"]
    )
    no_account = factories.employee(world.counter_a, "Tanpa Akun", world.officer_a.position)
    calls = [
        lambda o: services.service_request_receive(request=ktp_request, officer=o, at=T),
        lambda o: services.service_request_reject(request=ktp_request, officer=o, reason="x", at=T),
        lambda o: factories.submit(world, at=T, officer=o),
    ]
    before = ServiceEvent.objects.count(), ServiceRequest.objects.count()
    for officer in (reader, no_account):
        for call in calls:
            with pytest.raises(PermissionDenied, match="may not process the requests of Loket A"):
                call(officer)
    assert (ServiceEvent.objects.count(), ServiceRequest.objects.count()) == before


def test_a_deactivated_account_may_not_act(world, ktp_request):
    user = world.users["officer_a"]
    user.is_active = False
    user.save()
    with pytest.raises(PermissionDenied):
        services.service_request_receive(request=ktp_request, officer=world.officer_a, at=T)


# --- the declaration itself ----------------------------------------------------------------------


def test_four_eyes_can_only_refer_to_an_earlier_step_of_the_same_standard(world):
    later = _step(world, "Penyerahan")
    other_standard = world.rujukan.standards.get().steps.first()
    for bad in (later, other_standard):
        with pytest.raises(ValidationError) as info:
            _declare(world, other_officer_than=bad)
        assert "other_officer_than" in info.value.message_dict


def test_only_a_role_that_processes_requests_can_be_declared(world):
    with pytest.raises(ValidationError) as info:
        _declare(world, done_by_role=Role.INSPECTOR)
    assert "done_by_role" in info.value.message_dict


def test_who_may_do_a_step_in_words(world):
    first = _step(world, "Penerimaan berkas")
    assert first.done_by_text() == "Any officer of the unit." and not first.is_restricted
    step = _declare(world, done_by_role=Role.UNIT_HEAD, other_officer_than=first)
    assert step.is_restricted
    assert step.done_by_text() == (
        "Only the unit head, and not the officer who completed “Penerimaan berkas”."
    )
    step = _declare(
        world, done_by_role="", done_by_position="Kepala Seksi", other_officer_than=None
    )
    assert step.done_by_text() == "Only the holder of the position “Kepala Seksi”."


# --- the request page ----------------------------------------------------------------------------


def test_the_refused_officer_sees_who_must_do_it_and_a_post_is_refused(client, world, ktp_request):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    sr = _at_verification(ktp_request, world.officer_a)
    client.force_login(world.users["officer_a"])
    url = f"/permohonan/{sr.receipt_code}/"
    page = client.get(url).content.decode()
    assert "You may not complete, return or reject at “Verifikasi”." in page
    assert "must be done by another officer than the one who completed" in page
    assert "Another officer than the one who completed “Penerimaan berkas”." in page
    for refused in ("complete", "return", "reject"):
        assert f"{url}{refused}/" not in page
    assert f"{url}wait/" in page  # waiting for the applicant stays possible
    # A POST all the same (an old tab, a crafted form) is refused with the message.
    response = client.post(f"{url}complete/", follow=True)
    assert "Siti Rahmawati completed that step on this request" in response.content.decode()
    sr.refresh_from_db()
    assert sr.current_step.name == "Verifikasi" and sr.event_count == 3
    # Another officer gets the buttons, and no explanation.
    client.force_login(world.users["head_a"])
    page = client.get(url).content.decode()
    assert f"{url}complete/" in page and "You may not complete" not in page


def test_the_page_names_who_holds_the_position(client, world, ktp_request):
    _declare(world, done_by_position="Kepala Seksi")
    sr = _at_verification(ktp_request, world.officer_a)
    client.force_login(world.users["officer_a"])
    page = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert "Who must do it instead: Only the holder of the position “Kepala Seksi”." in page
    assert "(Bambang Wijaya)" in page
    _declare(world, done_by_position="", done_by_role=Role.UNIT_HEAD)
    page = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert "Only the unit head. (Bambang Wijaya)" in page


def test_the_queue_and_the_procedure_say_who_may_do_a_step(client, world, ktp_request):
    _declare(world, done_by_position="Kepala Seksi")
    sr = _at_verification(ktp_request, world.officer_a)
    client.force_login(world.users["officer_a"])
    queue = client.get("/antrian/").content.decode()
    assert "Only the holder of the position “Kepala Seksi”." in queue
    page = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert "Done by: Only the holder of the position “Kepala Seksi”." in page


def test_the_public_standard_says_who_may_do_each_step(client, world):
    _declare(world, other_officer_than=_step(world, "Penerimaan berkas"))
    step = _step(world, "Penyerahan")
    step.done_by_position = "Kepala Seksi"
    step.save()
    page = client.get("/transparansi/loket-a/").content.decode()
    assert "Another officer than the one who completed “Penerimaan berkas”." in page
    assert "Only the holder of the position “Kepala Seksi”." in page
    assert page.count("Any officer of the unit.") == 0  # open steps say nothing
