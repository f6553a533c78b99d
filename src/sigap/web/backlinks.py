"""Back links that fit the way a person came: a detail page opened from a list goes back to that
list, with its filters and page; opened from a scorecard, back to the scorecard.

The list adds `?dari=<its own path and query>` to its links (`{% from_here %}`). The detail page
accepts only a path on this site that resolves to one of `ORIGINS` (never another host: no open
redirect, and the link's words come from here, not from the address), and remembers it in the
session for that page, so the link survives the page's own forms (each redirects back to the
bare page). Without one it falls back to the person's own start: the work queue for those who
have one, else their home page ("back to my work").
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARAM = "dari"
SESSION_KEY = "sigap_backlinks"
REMEMBERED = 20  # detail pages remembered per session: the latest ones

# The pages a detail page may be opened from, by URL name, with the words of the link back.
ORIGINS = {
    "work_home": gettext_lazy("My work"),
    "queue": gettext_lazy("Work queue"),
    "request_list": gettext_lazy("Service requests"),
    "booking_day": gettext_lazy("Counter bookings"),
    "leadership:service": gettext_lazy("Service scorecard"),
    "leadership:unit": gettext_lazy("Unit scorecard"),
    "complaint_list": gettext_lazy("Complaints"),
    "integrity_signal": gettext_lazy("Integrity signal"),
    "inspectorate_dashboard": gettext_lazy("Inspectorate"),
    "ombudsman_view": gettext_lazy("Ombudsman"),
    "appraisal_overview": gettext_lazy("Performance (SKP)"),
    "calibration": gettext_lazy("Calibration"),
    "talent": gettext_lazy("Talent 9-box"),
    "ikm_results": gettext_lazy("SKM results"),
}


@dataclass(frozen=True)
class Back:
    path: str
    label: str


def origin(path: str) -> Back | None:
    """The link back to `path` when it is a page of this site listed in ORIGINS, else None."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 1000:
        return None
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    label = ORIGINS.get(match.view_name)
    return Back(path, str(label)) if label is not None else None


def home() -> Back:
    return Back(reverse("work_home"), _("My work"))


def back_for(request: HttpRequest, key: str, default: Back) -> Back:
    """The link back of the detail page `key`: from `?dari=` (then remembered), else the one
    remembered for this page, else `default`."""
    remembered: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    given = origin(request.GET.get(PARAM, ""))
    if given is not None:
        remembered.pop(key, None)
        remembered[key] = given.path
        request.session[SESSION_KEY] = dict(list(remembered.items())[-REMEMBERED:])
        return given
    found = origin(remembered.get(key, ""))
    return found or default
