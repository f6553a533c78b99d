"""The text a ReportLab PDF draws, to assert on in tests (no PDF library needed).

ReportLab writes each page as a content stream (ASCII85- and Flate-encoded) in which text is
drawn as literal strings: `(70,83) Tj`. Decoding the streams gives those strings back."""

from __future__ import annotations

import base64
import contextlib
import re
import zlib


def pdf_text(content: bytes) -> str:
    """Every stream of the PDF, decoded where encoded, as Latin-1 text."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.DOTALL):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data, adobe=True)
        with contextlib.suppress(zlib.error):  # a stream that was not compressed
            data = zlib.decompress(data)
        out.append(data.decode("latin-1"))
    return "\n".join(out)
