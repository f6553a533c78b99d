"""The write functions: happy paths, the SLA clock, and every kind of bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sigap.service_requests import services
from sigap.service_requests.models import Outcome, ServiceEvent, ServiceRequest, Status
from tests import factories
from tests.conftest import local


def _counts() -> tuple[int, int]:
    return ServiceRequest.objects.count(), ServiceEvent.objects.count()


def test_submission_uses_the_standard_in_force_and_the_holiday_calendar(world):
    # 2025-03-27 + 3 working days skips Nyepi + cuti bersama and the Lebaran week: 10 April.
    sr = factories.submit(world, at=local(2025, 3, 27))
    assert sr.standard == world.ktp_standard
    assert sr.unit == world.counter_a
    assert sr.due_date == date(2025, 4, 10)
    assert sr.status == Status.SUBMITTED
    assert sr.current_step.name == "Penerimaan berkas"
    assert len(sr.receipt_code) == services.RECEIPT_LENGTH
    assert set(sr.receipt_code) <= set(services.RECEIPT_ALPHABET)
    (event,) = sr.events.all()
    assert (event.seq, event.outcome) == (1, Outcome.SUBMITTED)


def test_the_full_nik_is_never_stored(world):
    sr = factories.submit(world, at=local(2025, 3, 27))
    assert sr.applicant_nik_masked == "320101******0001"
    assert "3201011703850001" not in {sr.applicant_nik_masked, sr.applicant_nik_hash}
    assert sr.applicant_nik_hash == services.nik_hash("3201011703850001")


def test_a_new_standard_version_applies_to_requests_submitted_after_it(world):
    world.ktp_standard.valid_until = date(2025, 5, 31)
    world.ktp_standard.save()
    v2 = factories.standard(world.ktp, version=2, valid_from=date(2025, 6, 1), sla=2)
    before = factories.submit(world, at=local(2025, 5, 28))
    after = factories.submit(world, at=local(2025, 6, 2))
    assert before.standard.version == 1
    assert after.standard == v2
    assert after.due_date == date(2025, 6, 4)


def test_a_request_goes_through_every_step_to_completion(world, ktp_request):
    officer = world.officer_a
    sr = services.service_request_receive(
        request=ktp_request, officer=officer, at=local(2025, 3, 27, 9, 5)
    )
    assert (sr.status, sr.assigned_officer) == (Status.IN_PROGRESS, officer)
    names = []
    for minute in (10, 20, 30, 40):
        names.append(sr.current_step.name)
        sr = services.service_request_complete_step(
            request=sr, officer=officer, at=local(2025, 3, 27, 10, minute)
        )
    assert names == ["Penerimaan berkas", "Verifikasi", "Pencetakan", "Penyerahan"]
    assert sr.status == Status.COMPLETED
    assert sr.current_step is None
    assert sr.finished_at == local(2025, 3, 27, 10, 40)
    outcomes = list(sr.events.values_list("seq", "outcome"))
    assert outcomes == [
        (1, "submitted"),
        (2, "received"),
        (3, "done"),
        (4, "done"),
        (5, "done"),
        (6, "done"),
    ]
    assert sr.event_count == 6


def test_a_return_for_correction_pauses_the_clock_and_sends_the_file_back_to_intake(
    world, ktp_request
):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 4, 8, 9))
    sr = services.service_request_complete_step(request=sr, officer=o, at=local(2025, 4, 8, 10))
    sr = services.service_request_return(
        request=sr, officer=o, reason="Fotokopi KK buram", at=local(2025, 4, 8, 11)
    )
    assert sr.status == Status.RETURNED
    assert sr.current_step.name == "Penerimaan berkas"
    # Away from Tuesday 8 April to Monday 14 April: Wed, Thu, Fri, Mon = 4 working days paused.
    sr = services.service_request_resume(request=sr, officer=o, at=local(2025, 4, 14, 9))
    assert sr.status == Status.IN_PROGRESS
    assert sr.paused_working_days == 4
    assert sr.due_date == date(2025, 4, 16)  # 10 April + 4 working days


def test_waiting_for_the_applicant_also_pauses_the_clock(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 4, 8))
    sr = services.service_request_wait(
        request=sr, officer=o, reason="Tanda tangan", at=local(2025, 4, 9)
    )
    assert sr.status == Status.WAITING and sr.paused_since is not None
    sr = services.service_request_resume(request=sr, at=local(2025, 4, 10))
    assert sr.paused_working_days == 1
    assert sr.paused_since is None


def test_rejection_finishes_the_request(world, ktp_request):
    sr = services.service_request_reject(
        request=ktp_request,
        officer=world.officer_a,
        reason="Bukan warga kabupaten",
        at=local(2025, 3, 27, 10),
    )
    assert sr.status == Status.REJECTED and sr.finished_at is not None


# --- bad input: a clear error naming the field, and nothing half-written ------------------


def _assert_rejected(call, field: str) -> ValidationError:
    before = _counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    assert _counts() == before
    return info.value


def test_an_unknown_service_code_is_refused(world):
    err = _assert_rejected(
        lambda: services.service_request_submit(
            service="tidak-ada", applicant=factories.APPLICANT, channel="counter"
        ),
        "service",
    )
    assert "tidak-ada" in err.message_dict["service"][0]


def test_a_service_without_a_standard_in_force_is_refused(world):
    _assert_rejected(lambda: factories.submit(world, at=local(2023, 6, 1)), "service")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nik": "1234"}, "applicant_nik"),
        ({"nik": "3201013202850001"}, "applicant_nik"),  # 32 February
        ({"name": "  "}, "applicant_name"),
        ({"contact": ""}, "applicant_contact"),
        ({"region_kecamatan": ""}, "region_kecamatan"),
    ],
)
def test_bad_applicant_data_names_the_field(world, change, field):
    applicant = services.Applicant(**{**factories.APPLICANT.__dict__, **change})
    _assert_rejected(
        lambda: services.service_request_submit(
            service=world.ktp,
            applicant=applicant,
            channel="counter",
            submitted_at=local(2025, 3, 27),
        ),
        field,
    )


def test_the_officer_cannot_type_a_payment_and_an_unknown_channel_is_refused(world):
    # What was paid is recorded by the cashier from a payment reference (sigap.payments).
    with pytest.raises(TypeError):
        factories.submit(world, at=local(2025, 3, 27), amount_paid=5000)
    _assert_rejected(
        lambda: services.service_request_submit(
            service=world.ktp,
            applicant=factories.APPLICANT,
            channel="fax",
            submitted_at=local(2025, 3, 27),
        ),
        "channel",
    )


def test_a_submission_in_the_future_is_refused(world):
    _assert_rejected(
        lambda: factories.submit(world, at=timezone.now() + timedelta(days=1)), "submitted_at"
    )


def test_no_event_can_be_added_to_a_finished_request(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_reject(
        request=ktp_request, officer=o, reason="Duplikat", at=local(2025, 3, 27, 10)
    )
    err = _assert_rejected(
        lambda: services.service_request_receive(request=sr, officer=o, at=local(2025, 3, 27, 11)),
        "request",
    )
    assert sr.receipt_code in err.message_dict["request"][0]


def test_an_event_earlier_than_the_previous_one_is_refused(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    _assert_rejected(
        lambda: services.service_request_complete_step(
            request=sr, officer=o, at=local(2025, 3, 27, 9, 30)
        ),
        "timestamp",
    )


def test_a_step_not_in_the_standard_is_refused(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    err = _assert_rejected(
        lambda: services.service_request_complete_step(
            request=sr, officer=o, step="Survei lapangan", at=local(2025, 3, 27, 11)
        ),
        "step",
    )
    assert "Survei lapangan" in err.message_dict["step"][0]


def test_a_step_other_than_the_current_one_is_refused(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    _assert_rejected(
        lambda: services.service_request_complete_step(
            request=sr, officer=o, step="Pencetakan", at=local(2025, 3, 27, 11)
        ),
        "step",
    )


def test_a_step_of_another_service_is_refused(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    other_step = world.rujukan.standards.get().steps.first()
    _assert_rejected(
        lambda: services.service_request_complete_step(
            request=sr, officer=o, step=other_step, at=local(2025, 3, 27, 11)
        ),
        "step",
    )


def test_an_officer_of_another_unit_cannot_record_a_step(world, ktp_request):
    # Authorisation is inside the write function: no view needed to refuse it.
    before = _counts()
    with pytest.raises(PermissionDenied, match="Dewi Lestari may not process the requests"):
        services.service_request_receive(
            request=ktp_request, officer=world.officer_b, at=local(2025, 3, 27, 10)
        )
    assert _counts() == before


def test_returning_or_rejecting_needs_a_reason(world, ktp_request):
    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 3, 27, 10))
    _assert_rejected(
        lambda: services.service_request_return(request=sr, officer=o, reason=" "), "reason"
    )
    _assert_rejected(
        lambda: services.service_request_reject(request=sr, officer=o, reason=""), "reason"
    )


def test_an_action_out_of_turn_is_refused(world, ktp_request):
    o = world.officer_a
    # Processing a step before anybody received the request.
    _assert_rejected(
        lambda: services.service_request_complete_step(
            request=ktp_request, officer=o, at=local(2025, 3, 27, 10)
        ),
        "status",
    )
    # Resuming a request that is not paused.
    _assert_rejected(
        lambda: services.service_request_resume(request=ktp_request, at=local(2025, 3, 27, 10)),
        "status",
    )


def test_receipt_codes_are_normalised_the_way_people_type_them():
    assert services.normalise_receipt_code(" k7qf-2m9x-pa ") == "K7QF2M9XPA"
    assert services.normalise_receipt_code("oil0") == "0110"


def test_two_versions_of_a_standard_cannot_take_effect_on_the_same_day(world):
    """The version in force on a day must be unambiguous (the analytics rely on it too)."""
    from django.db import IntegrityError, transaction

    from sigap.catalogue.models import ServiceStandard

    same_day = ServiceStandard(
        service=world.ktp, version=2, valid_from=world.ktp_standard.valid_from
    )
    with pytest.raises(ValidationError, match="takes effect on the same day"):
        same_day.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.standard(world.ktp, version=2, valid_from=world.ktp_standard.valid_from)
