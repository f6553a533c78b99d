"""What a file really is, read from its bytes, and a clean copy of it: no Django here.

Citizens' uploads (requirements of an online application) and officers' products (the PDF a
request produces) are accepted only as PDF, JPEG or PNG, decided by the content (magic bytes),
never by the name or the browser's content type. A name whose extension says otherwise is a file
that lies about its type and is refused. PDFs with active content (JavaScript, launch actions,
embedded files) are refused; images are decoded and re-encoded from their pixels, which drops
every piece of metadata (EXIF with the camera's GPS position, comments, ICC profiles) and any
bytes hidden after the image.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, ImageOps, UnidentifiedImageError


class Kind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"


CONTENT_TYPES = {Kind.PDF: "application/pdf", Kind.JPEG: "image/jpeg", Kind.PNG: "image/png"}
EXTENSIONS = {Kind.PDF: ("pdf",), Kind.JPEG: ("jpg", "jpeg"), Kind.PNG: ("png",)}
MAX_PIXELS = 40_000_000
"""An image larger than this (e.g. 8,000 × 5,000) is refused before it is decoded: a small file
can claim a huge size and exhaust the server's memory (a decompression bomb)."""
# PDF names that make a viewer run or open something. Matched as PDF name tokens.
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")


class Refused(ValueError):
    """The file cannot be accepted; `reason` says why in words a citizen understands
    (the caller translates the reason key)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Clean:
    kind: Kind
    data: bytes


def sniff(head: bytes) -> Kind | None:
    """The kind of file from its first bytes, or None.

    >>> sniff(b"%PDF-1.7\\n"), sniff(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff(b"\\xff\\xd8\\xff\\xe0")
    (<Kind.PDF: 'pdf'>, <Kind.PNG: 'png'>, <Kind.JPEG: 'jpeg'>)
    >>> sniff(b"<html>") is None
    True
    """
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean(data: bytes, name: str, *, max_bytes: int) -> Clean:
    """Check `data` (named `name` by the sender) and return what may be stored.

    Raises `Refused` with reason "empty", "too_large", "not_allowed", "name_mismatch",
    "pdf_broken", "pdf_active" or "image_broken".
    """
    if not data:
        raise Refused("empty")
    if len(data) > max_bytes:
        raise Refused("too_large")
    kind = sniff(data[:8])
    if kind is None:
        raise Refused("not_allowed")
    ext = extension_of(name)
    if ext and ext not in EXTENSIONS[kind]:
        raise Refused("name_mismatch", ext)
    if kind is Kind.PDF:
        return Clean(kind, _check_pdf(data))
    return Clean(kind, _reencode(data, kind))


def _check_pdf(data: bytes) -> bytes:
    # A PDF ends with %%EOF (possibly followed by a newline or a little padding).
    if b"%%EOF" not in data[-1024:]:
        raise Refused("pdf_broken")
    if _ACTIVE.search(data):
        raise Refused("pdf_active")
    return data


def _reencode(data: bytes, kind: Kind) -> bytes:
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a huge image; here it is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode_checked(data, kind)
    except Refused:
        raise
    except (
        UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:  # fmt: skip
        raise Refused("image_broken", str(exc)[:200]) from exc


def _reencode_checked(data: bytes, kind: Kind) -> bytes:
    with Image.open(io.BytesIO(data)) as probe:
        width, height = probe.size
        if width * height > MAX_PIXELS:
            raise Refused("image_broken", "too many pixels")
        probe.load()
        # The camera's orientation is applied to the pixels, so dropping EXIF keeps the photo
        # the right way up.
        image = ImageOps.exif_transpose(probe)
    # Pillow writes some of `info` back (the JPEG comment, the ICC profile, the DPI): only the
    # pixels are kept.
    image.info = {}
    out = io.BytesIO()
    if kind is Kind.JPEG:
        image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()
