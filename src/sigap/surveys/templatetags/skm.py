"""`{% qr_svg url %}`: an inline SVG QR code (no image library, works offline)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import template
from django.utils.safestring import SafeString, mark_safe

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
