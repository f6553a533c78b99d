"""`{% qr_svg url %}`: an inline SVG QR code (no image library, works offline)."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sigap.notifications.survey_links import invitation_path
from sigap.surveys.selectors import receipt_moment

register = template.Library()


def qr_svg_bytes(data: str) -> bytes:
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    img.save(out)
    return out.getvalue()


@register.simple_tag
def qr_svg(data: str) -> SafeString:
    svg = qr_svg_bytes(data).decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration for inline use
    return mark_safe(svg)


@register.filter
def get(mapping: dict, key: str):  # type: ignore[no-untyped-def, type-arg]
    return mapping.get(key) if mapping else None


@register.simple_tag
def skm_invitation_path(receipt_code: str) -> str:
    """The applicant's way into the survey of their request, with its token (receipt slip)."""
    return invitation_path(receipt_code)


@register.inclusion_tag("surveys/invitation.html")
def skm_invitation(tracked: Any, applicant: bool = False) -> dict[str, Any]:
    """The SKM card of a request's page (`tracked`: its `Tracking`): the invitation once it is
    completed, the thank-you once it is rated, nothing while it is open or when it is rejected
    (`sigap.rules.skm`). On the applicant's own page (`applicant`) the link carries the survey
    token; on the public tracking page it leads to the check of the applicant's contact."""
    moment = receipt_moment(request_id=tracked.request_id, status=tracked.status)
    code = tracked.receipt_code
    href = invitation_path(code) if applicant else reverse("survey_for_receipt", args=[code])
    return {"moment": moment, "code": code, "href": href}
