"""Evidence files: the type is decided by the first bytes, never by the name or the browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sigap.whistleblowing.conf import setting

# (magic bytes, MIME type, extension)
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


def max_bytes() -> int:
    return setting("WBS_MAX_FILE_BYTES")


def max_files() -> int:
    return setting("WBS_MAX_FILES")


@dataclass(frozen=True)
class Evidence:
    name: str
    content_type: str
    data: bytes


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, mime, ext in SIGNATURES:
        if head.startswith(magic):
            return mime, ext
    return None


def read_evidence(uploads: list[Any]) -> list[Evidence]:
    """Validate uploaded files; the read stops one byte past the limit, never loads more."""
    if len(uploads) > max_files():
        raise ValidationError(_("At most %d files can be attached.") % max_files())
    result: list[Evidence] = []
    limit = max_bytes()
    for upload in uploads:
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": upload.name, "mb": limit // (1024 * 1024)}
            )
        upload.seek(0)
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(
                _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": upload.name, "mb": limit // (1024 * 1024)}
            )
        kind = sniff(data[:16])
        if kind is None:
            raise ValidationError(
                _("“%s” is not a PDF, PNG or JPEG file (checked by its content).") % upload.name
            )
        mime, ext = kind
        stem = "".join(
            ch for ch in (upload.name or "file").rsplit(".", 1)[0] if ch.isalnum() or ch in "-_ "
        )[:60]
        result.append(Evidence(name=f"{stem or 'file'}.{ext}", content_type=mime, data=data))
    return result
