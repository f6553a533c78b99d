"""When a request's applicant is invited to the SKM: one rule for every page, the receipt's
survey link and the write that stores an answer.

- A completed request not yet rated: invited (`OPEN`).
- A request already rated (one response per receipt): thanked, never asked again (`DONE`).
- A rejected request: no SKM invitation; the applicant's path is a complaint (`REJECTED`).
- A request still open: not yet (`NOT_YET`): the survey is about a finished service.

Statuses are the service request's stored values ("completed", "rejected", ...): the rules
import no Django and no app.
"""

from __future__ import annotations

from enum import StrEnum

COMPLETED = "completed"
REJECTED = "rejected"


class SurveyMoment(StrEnum):
    OPEN = "open"
    DONE = "done"
    REJECTED = "rejected"
    NOT_YET = "not_yet"


def survey_moment(status: str, *, surveyed: bool) -> SurveyMoment:
    """May the applicant of a request in `status` rate it now? A response already given wins
    (whatever the status: it is thanked for, never asked for twice)."""
    if surveyed:
        return SurveyMoment.DONE
    if status == COMPLETED:
        return SurveyMoment.OPEN
    if status == REJECTED:
        return SurveyMoment.REJECTED
    return SurveyMoment.NOT_YET
