"""The "back" link of a detail page: to the list the reader came from, with its filters and
page, else to a default that fits the reader's role.

The list is read from the Referer header (the site sends it same-origin only: settings'
SECURE_REFERRER_POLICY), and only a path of this site that resolves to one of the lists below
is used, so the link can never lead off-site.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The pages a detail page may lead back to, by URL name.
LISTS: dict[str, str | Promise] = {
    "queue": _("Work queue"),
    "request_list": _("Service requests"),
    "work_home": _("Your work"),
    "complaint_list": _("Complaints"),
    "inspectorate_dashboard": _("Inspectorate"),
    "ombudsman_view": _("Ombudsman"),
    "integrity_signal": _("Integrity signal"),
    "leadership:service": _("Unit scorecard"),
    "service_performance_detail": _("Service performance"),
    "payments_cashier": _("Payments"),
    "booking_day": _("Counter bookings"),
}


@dataclass(frozen=True)
class Back:
    url: str
    label: str | Promise


def back_link(request: HttpRequest, default: str) -> Back:
    """Where "back" leads: the list in the Referer when it is one of LISTS, else `default`
    (a URL name of LISTS without arguments)."""
    referer = request.headers.get("referer", "")
    if referer:
        parts = urlsplit(referer)
        if parts.netloc == request.get_host():
            try:
                match = resolve(parts.path)
            except Resolver404:
                match = None
            if match is not None and match.view_name in LISTS:
                url = parts.path + (f"?{parts.query}" if parts.query else "")
                return Back(url, LISTS[match.view_name])
    return Back(reverse(default), LISTS[default])
