"""Small generated files for the demo's uploads and products: minimal valid PDFs with a few lines
of text, and small PNG and JPEG images. Pure Python and Pillow, deterministic (the same text gives
the same bytes), no Django.

Every file says it is a demo sample, so nobody mistakes one for a real person's document.
"""

from __future__ import annotations

import io
import unicodedata

from PIL import Image, ImageDraw

DEMO_MARK = "CONTOH DATA DEMO SIGAP - BUKAN DOKUMEN ASLI"


def _ascii(text: str) -> str:
    """The PDF's built-in Helvetica with its standard encoding: plain ASCII only."""
    text = text.replace("—", "-").replace("–", "-").replace("²", "2").replace("→", "->")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF 1.4 with `title` in bold and `lines` below it, and a correct cross-
    reference table (viewers open it without repairing it)."""
    ops = ["BT", "/F2 16 Tf", "56 770 Td", f"({_ascii(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        ops += [f"({_ascii(line)[:95]}) Tj", "0 -16 Td"]
    ops += ["/F1 9 Tf", "0 -24 Td", f"({DEMO_MARK}) Tj", "ET"]
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "jpeg":
        image.convert("RGB").save(out, format="JPEG", quality=70)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def card(label: str, kind: str = "png") -> bytes:
    """A scanned card (KTP-el, KK...): a pale card with a photo box, lines and its label."""
    image = Image.new("RGB", (420, 264), (236, 242, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 411, 255), outline=(70, 110, 170), width=3)
    draw.rectangle((8, 8, 411, 40), fill=(70, 110, 170))
    draw.text((18, 18), _ascii(label)[:50], fill=(255, 255, 255))
    draw.rectangle((300, 62, 390, 182), fill=(190, 200, 215), outline=(120, 130, 150))
    draw.ellipse((322, 78, 368, 124), fill=(150, 160, 180))
    draw.rectangle((315, 130, 375, 182), fill=(150, 160, 180))
    for row in range(6):
        y = 64 + row * 24
        draw.rectangle((24, y, 24 + 90, y + 8), fill=(150, 160, 175))
        draw.rectangle((130, y, 130 + 150 - (row * 17) % 60, y + 8), fill=(90, 100, 120))
    draw.text((18, 232), "CONTOH DEMO", fill=(200, 60, 60))
    return _encode(image, kind)


def photo(kind: str = "jpeg") -> bytes:
    """A passport photo: a head and shoulders on a red background."""
    image = Image.new("RGB", (240, 320), (190, 40, 45))
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 60, 165, 170), fill=(222, 184, 150))
    draw.pieslice((35, 180, 205, 400), 180, 360, fill=(30, 40, 70))
    draw.text((8, 300), "CONTOH DEMO", fill=(255, 255, 255))
    return _encode(image, kind)


def scan(label: str, kind: str = "jpeg") -> bytes:
    """A phone photo of a paper page: off-white, a heading and lines of text."""
    image = Image.new("RGB", (360, 480), (246, 243, 232))
    draw = ImageDraw.Draw(image)
    draw.text((24, 24), _ascii(label)[:44], fill=(30, 30, 30))
    for row in range(16):
        y = 60 + row * 22
        draw.rectangle((24, y, 24 + 300 - (row * 37) % 110, y + 6), fill=(120, 120, 120))
    draw.text((24, 448), "CONTOH DEMO", fill=(200, 60, 60))
    return _encode(image, kind)
