"""A small, hand-checkable world for the scorecard: June–July 2025 at counter A and Puskesmas B.

June 2025 has Idul Adha (Fri 6 Jun) and cuti bersama (Mon 9 Jun) but the requests below avoid
them; July 2025 has no day off.

Counter A (KTP-el, SLA 3 working days, four steps), all by officer A:
  R0 Mon 2 Jun (counter), finished Tue 3 Jun: 1 working day, within the SLA, first time right.
  R1 Mon 7 Jul (counter), finished Tue 8 Jul: 1 working day, within, first time right.
  R2 Mon 7 Jul (online), returned that day, resumed Thu 10 Jul, finished Fri 11 Jul: 4 working
     days of which 3 paused → 1 against the SLA (within); not first time right.
  R3 Mon 7 Jul (mobile), finished Mon 14 Jul: 5 working days, beyond the SLA; first time right.
  R4 Mon 14 Jul (counter), received, still open.
  → July: volume 4, digital 2; closed 3, within the SLA 2, first time right 2; lead times
    1, 4, 5: median 4. Q2: volume 1, closed 1, within 1.
Puskesmas B (Surat Rujukan, SLA 1): R5 Tue 8 Jul (counter), finished the same day: 0 working
  days, within, first time right.
Complaints about counter A: C1 Tue 8 Jul, forwarded 8 Jul (follow-up due Tue 15 Jul), followed
  up Thu 10 Jul: on time. C2 Wed 9 Jul, forwarded 9 Jul (due Wed 16 Jul), never followed up:
  late by 1 Oct. C3 Thu 10 Jul, not yet verified: received only.
SKM at counter A, July: one questionnaire all 4 except the third unsur 2, one all 3: NRR 3.5
  for eight unsur and 2.5 for the third; IKM = (8 × 3.5 + 2.5) / 9 × 25 = 84.72 (mutu B).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from sigap.complaints import services as complaints
from sigap.complaints.models import Complaint
from sigap.rules.ikm import ELEMENT_CODES
from sigap.service_requests import services
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.services import survey_submit
from tests import factories
from tests.conftest import local

AS_OF = date(2025, 10, 1)


@dataclass
class Recorded:
    world: factories.World
    requests: dict[str, ServiceRequest]
    complaints: list[Complaint]


def _finish(sr: ServiceRequest, o, day: tuple[int, int], hour: int = 9) -> ServiceRequest:  # type: ignore[no-untyped-def]
    while sr.current_step is not None:
        sr = services.service_request_complete_step(
            request=sr, officer=o, at=local(2025, day[0], day[1], hour)
        )
        hour += 1
    return sr


def _submit(world: factories.World, at, channel: str = "counter", service=None) -> ServiceRequest:  # type: ignore[no-untyped-def]
    return services.service_request_submit(
        service=service or world.ktp,
        applicant=factories.APPLICANT,
        channel=channel,
        submitted_at=at,
    )


def record(world: factories.World) -> Recorded:
    o = world.officer_a
    got: dict[str, ServiceRequest] = {}
    r0 = _submit(world, local(2025, 6, 2, 9))
    r0 = services.service_request_receive(request=r0, officer=o, at=local(2025, 6, 2, 10))
    got["r0"] = _finish(r0, o, (6, 3))

    r1 = _submit(world, local(2025, 7, 7, 9))
    r1 = services.service_request_receive(request=r1, officer=o, at=local(2025, 7, 7, 10))
    got["r1"] = _finish(r1, o, (7, 8))

    r2 = _submit(world, local(2025, 7, 7, 9), channel="online")
    r2 = services.service_request_receive(request=r2, officer=o, at=local(2025, 7, 7, 9, 30))
    r2 = services.service_request_complete_step(request=r2, officer=o, at=local(2025, 7, 7, 10))
    r2 = services.service_request_return(
        request=r2, officer=o, reason="Fotokopi KK buram", at=local(2025, 7, 7, 11)
    )
    r2 = services.service_request_resume(request=r2, officer=o, at=local(2025, 7, 10, 9))
    got["r2"] = _finish(r2, o, (7, 11))

    r3 = _submit(world, local(2025, 7, 7, 9), channel="mobile")
    r3 = services.service_request_receive(request=r3, officer=o, at=local(2025, 7, 7, 9, 30))
    got["r3"] = _finish(r3, o, (7, 14))

    r4 = _submit(world, local(2025, 7, 14, 8))
    got["r4"] = services.service_request_receive(request=r4, officer=o, at=local(2025, 7, 14, 9))

    b = world.officer_b
    r5 = _submit(world, local(2025, 7, 8, 8), service=world.rujukan)
    r5 = services.service_request_receive(request=r5, officer=b, at=local(2025, 7, 8, 8, 30))
    got["r5"] = _finish(r5, b, (7, 8), 10)

    inspector = world.users["inspector"]
    reporter = complaints.Reporter(name="Ahmad Fauzi", contact="0812")
    made = []
    for day, code in ((8, "r1"), (9, "r2"), (10, "r3")):
        made.append(
            complaints.complaint_submit(
                category="lambat",
                description="Sudah lewat janji",
                reporter=reporter,
                receipt_code=got[code].receipt_code,
                submitted_at=local(2025, 7, day, 8),
            )
        )
    for c, day in zip(made[:2], (8, 9), strict=True):
        c = complaints.complaint_verify(complaint=c, user=inspector, at=local(2025, 7, day, 9))
        complaints.complaint_forward(complaint=c, user=inspector, at=local(2025, 7, day, 10))
    first = Complaint.objects.get(pk=made[0].pk)
    complaints.complaint_follow_up(
        complaint=first,
        user=world.users["head_a"],
        response="Sudah kami selesaikan",
        at=local(2025, 7, 10, 9),
    )

    good = dict.fromkeys(ELEMENT_CODES, 4)
    good[ELEMENT_CODES[2]] = 2
    for answers, hour in ((good, 9), (dict.fromkeys(ELEMENT_CODES, 3), 10)):
        survey_submit(service=world.ktp, answers=answers, submitted_at=local(2025, 7, 15, hour))
    return Recorded(world, got, made)


@pytest.fixture
def recorded(world: factories.World) -> Recorded:
    return record(world)
