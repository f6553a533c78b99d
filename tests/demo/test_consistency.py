"""Demo requests must look exactly as if the write functions had recorded them.

Two checks: every request against an independent fold of its events with the calendar rules,
and a sample replayed through `sigap.service_requests.services` with the same timestamps.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sigap.accounts.models import Role, RoleAssignment
from sigap.accounts.services import seed_role_assignment
from sigap.catalogue.models import ProcedureStep
from sigap.demo.models import PlantedPattern
from sigap.organisation.models import Employee
from sigap.organisation.services import agency_calendar
from sigap.rules.calendar import due_date, paused_working_days
from sigap.rules.duties import Officer, may_complete
from sigap.service_requests import services
from sigap.service_requests.models import SUBMISSION_ACTIVITY, ServiceEvent, ServiceRequest
from tests.demo.conftest import SMALL, UNTIL

pytestmark = pytest.mark.django_db
OPEN_FOR_STATUS = {
    "submitted": "submitted", "received": "in_progress", "done": "in_progress",
    "resumed": "in_progress", "returned": "returned", "waiting": "waiting",
    "rejected": "rejected",
}  # fmt: skip


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _deviating() -> set[str]:
    codes: set[str] = set()
    for pattern in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.DEVIATION):
        codes.update(pattern.detail["requests"])
    return codes


def _events_by_request() -> dict[int, list[ServiceEvent]]:
    grouped: dict[int, list[ServiceEvent]] = defaultdict(list)
    for event in ServiceEvent.objects.select_related("officer__unit").order_by("request", "seq"):
        grouped[event.request_id].append(event)
    return grouped


def test_every_request_agrees_with_its_events(small_demo: str) -> None:
    requests = list(
        ServiceRequest.objects.select_related("standard", "unit", "current_step", "service")
    )
    assert len(requests) == SMALL.requests
    calendar = agency_calendar(requests[0].unit.agency_id)
    steps_of = {
        std_id: names
        for std_id, names in (
            (r.standard_id, [s.name for s in r.standard.ordered_steps()]) for r in requests
        )
    }
    submission = SUBMISSION_ACTIVITY  # as service_request_submit writes it
    deviating = _deviating()
    events_of = _events_by_request()
    end = timezone.make_aware(datetime.combine(UNTIL, time.min))
    for sr in requests:
        events = events_of[sr.pk]
        code = sr.receipt_code
        assert [e.seq for e in events] == list(range(1, len(events) + 1)), code
        assert sr.event_count == len(events) and sr.last_event_at == events[-1].timestamp, code
        assert all(a.timestamp <= b.timestamp for a, b in pairwise(events))
        assert events[-1].timestamp < end, code
        first = events[0]
        assert (first.outcome, first.activity, first.step_id) == ("submitted", submission, None)
        assert first.timestamp == sr.submitted_at
        # The standard in force on the day of submission.
        day = _local(sr.submitted_at).date()
        std = sr.standard
        assert std.valid_from <= day and (std.valid_until is None or day <= std.valid_until), code
        # Fold the events by the services' rules.
        names = steps_of[sr.standard_id]
        current: int | None = 0
        paused = 0
        paused_since: datetime | None = None
        for e in events[1:]:
            assert (
                e.officer is None
                or sr.unit.path.startswith(e.officer.unit.path)
                or (e.officer.unit.path.startswith(sr.unit.path))
            ), code
            if code not in deviating:
                assert current is not None and e.activity == names[current], code
            local = _local(e.timestamp)
            assert calendar.is_working_day(local.date()) and 8 <= local.hour < 16, code
            if e.outcome == "done":
                current = None if current == len(names) - 1 else (current or 0) + 1
            elif e.outcome == "returned":
                current, paused_since = 0, e.timestamp
            elif e.outcome == "waiting":
                paused_since = e.timestamp
            elif e.outcome in ("resumed", "rejected"):
                if paused_since is not None:
                    paused += paused_working_days(
                        calendar,
                        [(_local(paused_since).date(), local.date())],
                        local.date(),
                    )
                    paused_since = None
                if e.outcome == "rejected":
                    current = None
        expected_status = OPEN_FOR_STATUS[events[-1].outcome]
        if (events[-1].outcome == "done" and current is None) or code in deviating:
            expected_status = "completed"
        assert sr.status == expected_status, code
        assert sr.paused_working_days == paused and sr.paused_since == paused_since, code
        assert sr.due_date == due_date(calendar, day, std.sla_working_days, paused), code
        finished = sr.status in ("completed", "rejected")
        assert sr.finished_at == (events[-1].timestamp if finished else None), code
        if code not in deviating:
            expected_step = names[current] if current is not None else None
            assert (sr.current_step.name if sr.current_step else None) == expected_step, code
        received = [e for e in events if e.outcome == "received"]
        assert sr.assigned_officer_id == (received[0].officer_id if received else None), code


def test_requests_cover_every_status_channel_and_both_standard_versions(small_demo: str) -> None:
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert {"completed", "rejected", "in_progress"} <= statuses
    assert set(ServiceRequest.objects.values_list("channel", flat=True)) == {
        "counter", "online", "mobile",
    }  # fmt: skip
    outcomes = set(ServiceEvent.objects.values_list("outcome", flat=True))
    assert outcomes == {
        "submitted",
        "received",
        "done",
        "returned",
        "waiting",
        "resumed",
        "rejected",
    }
    assert ServiceRequest.objects.filter(standard__version=2).exists()
    assert ServiceRequest.objects.filter(
        service__standards__version=2, standard__version=1
    ).exists()
    assert ServiceRequest.objects.exclude(applicant_nik_hash="").exists()


def _sample() -> list[ServiceRequest]:
    """A few requests of every status, with rework, pauses and both standard versions."""
    deviating = _deviating()
    picked: dict[int, ServiceRequest] = {}
    base = ServiceRequest.objects.exclude(receipt_code__in=deviating).order_by("receipt_code")
    for status in ("submitted", "in_progress", "returned", "waiting", "completed", "rejected"):
        for sr in base.filter(status=status)[:6]:
            picked[sr.pk] = sr
    for outcome in ("returned", "waiting", "resumed"):
        for sr in base.filter(events__outcome=outcome).distinct()[:6]:
            picked[sr.pk] = sr
    for sr in base.filter(standard__version=2)[:4]:
        picked[sr.pk] = sr
    return list(picked.values())


def _replay(sr: ServiceRequest) -> ServiceRequest:
    events = list(sr.events.select_related("officer").order_by("seq"))
    applicant = services.Applicant(
        name=sr.applicant_name, contact=sr.applicant_contact,
        region_kecamatan=sr.region_kecamatan, region_desa=sr.region_desa,
        gender=sr.applicant_gender, disability=sr.applicant_disability,
        age_band=sr.applicant_age_band,
    )  # fmt: skip
    new = services.service_request_submit(
        service=sr.service, applicant=applicant, channel=sr.channel,
        submitted_at=events[0].timestamp, officer=events[0].officer,
    )  # fmt: skip
    for e in events[1:]:
        at, officer = e.timestamp, e.officer
        if e.outcome == "resumed":
            new = services.service_request_resume(request=new, officer=officer, note=e.note, at=at)
            continue
        assert officer is not None
        if e.outcome == "received":
            new = services.service_request_receive(request=new, officer=officer, at=at)
        elif e.outcome == "done":
            new = services.service_request_complete_step(
                request=new, officer=officer, step=e.activity, note=e.note, at=at
            )
        elif e.outcome == "returned":
            new = services.service_request_return(
                request=new, officer=officer, reason=e.note, at=at
            )
        elif e.outcome == "waiting":
            new = services.service_request_wait(request=new, officer=officer, reason=e.note, at=at)
        elif e.outcome == "rejected":
            new = services.service_request_reject(
                request=new, officer=officer, reason=e.note, at=at
            )
        else:  # pragma: no cover
            raise AssertionError(e.outcome)
    return new


REQUEST_FIELDS = (
    "service_id", "standard_id", "unit_id", "channel", "status",
    "current_step_id", "assigned_officer_id", "submitted_at", "due_date", "finished_at",
    "paused_working_days", "paused_since", "last_event_at", "event_count",
)  # fmt: skip
EVENT_FIELDS = ("seq", "activity", "step_id", "officer_id", "timestamp", "outcome", "note")


def _give_accounts(sample: list[ServiceRequest]) -> None:
    """The write functions let an officer act through their own account only (sigap.access);
    the demo gives log-ins to its personas alone, so the other officers in the sample get an
    account holding the front-line officer role over their unit, as they would in real life."""
    ids = ServiceEvent.objects.filter(request__in=sample, officer__isnull=False).values("officer")
    for employee in Employee.objects.filter(pk__in=ids, user__isnull=True).select_related("unit"):
        user = get_user_model().objects.create_user(username=f"nip-{employee.nip}")
        seed_role_assignment(user=user, role=Role.OFFICER, unit=employee.unit)
        employee.user = user
        employee.save(update_fields=["user"])


def test_a_sample_replayed_through_the_write_functions_gives_the_same_rows(
    small_demo: str,
) -> None:
    sample = _sample()
    assert len(sample) >= 25
    _give_accounts(sample)
    for sr in sample:
        replayed = ServiceRequest.objects.get(pk=_replay(sr).pk)
        for name in REQUEST_FIELDS:
            assert getattr(replayed, name) == getattr(sr, name), (sr.receipt_code, name)
        assert list(replayed.events.order_by("seq").values_list(*EVENT_FIELDS)) == list(
            sr.events.order_by("seq").values_list(*EVENT_FIELDS)
        ), sr.receipt_code


def test_every_step_is_done_by_whom_its_standard_allows(small_demo: str) -> None:
    """Signatures by the declared post, the unit head's steps by the unit head, and no officer
    certifies their own work where the standard says four eyes (also in deviating logs)."""
    steps = {s.pk: s for s in ProcedureStep.objects.select_related("other_officer_than")}
    employees = {e.pk: e for e in Employee.objects.select_related("position", "unit")}
    grants: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for user_id, role, path in RoleAssignment.objects.values_list("user", "role", "unit__path"):
        grants[user_id].append((role, path))
    units = dict(ServiceRequest.objects.values_list("pk", "unit__path"))
    checked: dict[str, int] = defaultdict(int)
    for request_id, events in _events_by_request().items():
        done: list[tuple[int, int]] = []
        for e in events:
            if e.step_id is None or e.outcome not in ("done", "returned", "rejected"):
                continue
            step, who = steps[e.step_id], employees[e.officer_id]
            duty = step.duty()
            roles = frozenset(
                role for role, path in grants.get(who.user_id or 0, [])
                if units[request_id].startswith(path)
            )  # fmt: skip
            verdict = may_complete(duty, Officer(who.pk, who.position.name, roles), done)
            assert verdict.allowed, (e.request.receipt_code, step.name, who.name, verdict)
            if duty.other_than_step is not None:
                earlier = {o for order, o in done if order == duty.other_than_step}
                assert e.officer_id not in earlier
                checked["four eyes"] += bool(earlier)
            checked["position"] += bool(duty.position)
            checked["role"] += bool(duty.role)
            if e.outcome == "done":
                done.append((step.order, e.officer_id))
    assert min(checked.values()) > 0 and len(checked) == 3, checked
    # The example: the Kepala Dinas signs the KK, not the counter officer.
    tte = ProcedureStep.objects.filter(
        standard__service__code="dukcapil-kk", name="Tanda tangan elektronik Kepala Dinas"
    )
    assert {s.done_by_position for s in tte} == {"Kepala Dinas Kependudukan dan Pencatatan Sipil"}
    signers = ServiceEvent.objects.filter(step__in=tte, outcome="done")
    assert signers.exists()
    assert set(signers.values_list("officer__position__name", flat=True)) == {
        "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    }
    verification = ProcedureStep.objects.filter(
        standard__service__code="dukcapil-kk", name="Verifikasi berkas"
    )
    assert {s.other_officer_than.name for s in verification} == {"Penerimaan berkas"}


def test_submissions_follow_the_calendar_with_most_in_office_hours(small_demo: str) -> None:
    calendar = agency_calendar(ServiceRequest.objects.select_related("unit")[0].unit.agency_id)
    submitted = [_local(t) for t in ServiceRequest.objects.values_list("submitted_at", flat=True)]
    in_hours = [t for t in submitted if calendar.is_working_day(t.date()) and 8 <= t.hour < 16]
    assert len(in_hours) > 0.85 * len(submitted)
    assert min(submitted).date() >= date(2024, 10, 31)  # 24 months before UNTIL
    assert max(submitted).date() < UNTIL


def test_tracking_look_ups_fall_in_each_requests_lifetime(small_demo: str) -> None:
    """Look-ups only between submission and a few days after closing, never on or after the
    demo's today; more receipts tracked from the digital channels than from the counter."""
    from sigap.demo.tracking import AFTER_CLOSING_DAYS
    from sigap.service_requests.models import TrackingLookup

    requests = {
        r.pk: r for r in ServiceRequest.objects.only("channel", "submitted_at", "finished_at")
    }
    days: dict[int, list[date]] = defaultdict(list)
    for request_id, day, lookups in TrackingLookup.objects.values_list(
        "request_id", "day", "lookups"
    ):
        days[request_id].append(day)
        assert lookups in (1, 2)
        sr = requests[request_id]
        assert _local(sr.submitted_at).date() <= day < UNTIL
        if sr.finished_at is not None:
            assert (day - _local(sr.finished_at).date()).days <= AFTER_CLOSING_DAYS
    assert all(1 <= len(d) <= 4 for d in days.values())
    tracked = {"counter": [0, 0], "digital": [0, 0]}
    for pk, sr in requests.items():
        group = tracked["counter" if sr.channel == "counter" else "digital"]
        group[0] += pk in days
        group[1] += 1
    counter, digital = (tracked[k][0] / tracked[k][1] for k in ("counter", "digital"))
    assert 0.15 < counter < digital < 0.9
