"""Template filters that ask the one definition instead of comparing dates in a template."""

from __future__ import annotations

from datetime import date

from django import template

from sigap.service_requests.models import ServiceRequest
from sigap.service_requests.selectors import request_is_overdue

register = template.Library()


@register.filter
def overdue_on(request: ServiceRequest, today: date) -> bool:
    """Is the request past its due date on `today` (`overdue_q`: never a paused one)?"""
    return request_is_overdue(request, today)
