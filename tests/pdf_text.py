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


# A literal string, the operators that move to a new line (T*, Td, TD, Tm), and BT/ET.
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|\bBT\b|\bET\b|T\*|\bT[dDm]\b", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_NAMED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> str:
    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _NAMED.get(code, code)

    # The built-in fonts draw WinAnsi (cp1252): \226 is "–", \227 is "—".
    return _ESCAPE.sub(one, literal[1:-1]).decode("cp1252", errors="replace")


def pdf_blocks(content: bytes) -> list[list[str]]:
    """The text a reader sees, as blocks (one BT…ET: a paragraph or a table cell) of lines.

    ReportLab may split one line into several strings (at a change of font, or around "<"), so
    the strings of a line are joined as they are; a new line starts at T*, Td, TD or Tm."""
    blocks: list[list[str]] = []
    data = pdf_text(content).encode("latin-1")
    lines: list[str] | None = None
    line = ""
    for token in _TOKEN.findall(data):
        if token == b"BT":
            lines, line = [], ""
        elif lines is None:
            continue
        elif token.startswith(b"("):
            line += _unescape(token)
        elif token == b"ET":
            blocks.append([x for x in [*lines, line] if x.strip()])
            lines = None
        else:
            if line.strip():
                lines.append(line)
            line = ""
    return [b for b in blocks if b]
