"""Uploads spooled to disk leave nothing half-written behind when the disk fills.

Django writes an uploaded file larger than FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary
file while it reads the request. When a write fails (ENOSPC) the exception carries a traceback
that references that file, so it stays open — and on disk — until the garbage collector gets
to the cycle. This handler closes (and so deletes) the partial file at once, then lets the
error through to the 503 answer of `sigap.operations.middleware`.
"""

from __future__ import annotations

from django.core.files.uploadhandler import (
    TemporaryFileUploadHandler as DjangoTemporaryFileUploadHandler,
)


class TemporaryFileUploadHandler(DjangoTemporaryFileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        try:
            self.file.write(raw_data)
        except OSError:
            self.file.close()  # a NamedTemporaryFile: closing it deletes it
            raise
