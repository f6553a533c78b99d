"""The messages, short and in Bahasa Indonesia whatever the acting officer's language, each with
its link. One template key per event; the texts are gettext strings translated in the catalogue.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.notifications.conf import conf
from sigap.notifications.links import applicant_url, link_days
from sigap.notifications.survey_links import invitation_path

# Texts go to phones: a long note is cut so the message stays one screen.
NOTE_MAX = 300
CITIZEN_LANGUAGE = "id"


def absolute(path: str) -> str:
    return conf().public_url + path


def _note(note: str) -> str:
    # The texts put their own full stop after the note: "…unggah ulang." must not end "..".
    note = " ".join(note.split()).rstrip(".")
    return note if len(note) <= NOTE_MAX else note[: NOTE_MAX - 1] + "…"


def request_text(event: str, request: Any, note: str = "") -> str:
    """The message of a request event (`request` is a service request)."""
    code = request.receipt_code
    values = {
        "code": code,
        "service": request.service.name,
        "note": _note(note),
        # The applicant's own page (signed, expiring): the messages go only to their contact.
        "link": applicant_url(code),
        "days": link_days(),
        # With the survey token: only the applicant rates the request (survey_links).
        "skm": absolute(invitation_path(code)),
        "complain": absolute(reverse("complaint_new")),
        "booking": absolute(reverse("booking_applicant")),
    }
    with translation.override(CITIZEN_LANGUAGE):
        if event == "received":
            text = _("SIGAP: your request for %(service)s is registered, receipt %(code)s. "
                     "Follow it: %(link)s")  # fmt: skip
        elif event == "returned":
            text = _("SIGAP: request %(code)s is returned for correction: %(note)s. "
                     "Details: %(link)s")  # fmt: skip
        elif event == "waiting":
            text = _("SIGAP: request %(code)s is waiting for you: %(note)s. Details: %(link)s")
        elif event == "completed":
            text = _("SIGAP: request %(code)s is complete and the product is ready: %(link)s. "
                     "Please rate our service: %(skm)s")  # fmt: skip
        elif event == "rejected":
            text = _("SIGAP: request %(code)s is rejected: %(note)s. To object, file a "
                     "complaint: %(complain)s (receipt %(code)s). Details: %(link)s")  # fmt: skip
        elif event == "link":
            text = _("SIGAP: the link to your request %(code)s (%(service)s): %(link)s — it "
                     "works for %(days)s days; do not share it.")  # fmt: skip
        elif event == "slot_reminder":
            text = _("SIGAP: a reminder of your visit to the counter tomorrow, %(note)s, for "
                     "request %(code)s. Bring your KTP. To move or cancel: %(booking)s. "
                     "Details: %(link)s")  # fmt: skip
        elif event == "sla_missed":
            text = _("SIGAP: we apologise, request %(code)s is past its service time. We are "
                     "finishing it as soon as possible. Follow it: %(link)s")  # fmt: skip
        else:
            raise ValueError(f"no message for request event {event!r}")
        return text % values


def complaint_text(complaint: Any, note: str = "") -> str:
    """The message of a complaint's new stage (`complaint` is a complaint, its status set)."""
    code = complaint.receipt_code
    with translation.override(CITIZEN_LANGUAGE):
        values = {
            "code": code,
            "stage": str(complaint.get_status_display()),
            "link": absolute(reverse("complaint_status", args=[code])),
        }
        if note.strip():
            values["note"] = _note(note)
            text = _("SIGAP: complaint %(code)s is now “%(stage)s”: %(note)s. See: %(link)s")
        else:
            text = _("SIGAP: complaint %(code)s is now “%(stage)s”. See: %(link)s")
        return text % values
