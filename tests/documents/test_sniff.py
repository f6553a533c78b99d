"""`sigap.documents.sniff`: the kind from the bytes, refusals, and clean copies."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sigap.documents.sniff import Kind, Refused, clean, sniff
from tests.documents import files

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.4\n", Kind.PDF),
        (b"\x89PNG\r\n\x1a\n\x00", Kind.PNG),
        (b"\xff\xd8\xff\xe1", Kind.JPEG),
        (b"GIF89a", None),
        (b"<!DOCTYPE html>", None),
        (b"PK\x03\x04", None),  # a .docx or .zip
        (b"MZ\x90\x00", None),  # a Windows program
        (b"", None),
    ],
)
def test_sniff(head: bytes, kind: Kind | None) -> None:
    assert sniff(head) is kind


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "kosong.pdf", "empty"),
        (b"<html><script>alert(1)</script></html>", "ktp.pdf", "not_allowed"),
        (files.png(), "ktp.pdf", "name_mismatch"),  # a file that lies about its type
        (files.pdf(), "foto.jpg", "name_mismatch"),
        (files.pdf()[:-200], "akta.pdf", "pdf_broken"),
        (files.pdf_with_javascript(), "akta.pdf", "pdf_active"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "rusak.png", "image_broken"),
        (b"\xff\xd8\xff" + b"\x00" * 64, "rusak.jpg", "image_broken"),
    ],
)
def test_refusals(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        clean(data, name, max_bytes=5 * MB)
    assert refused.value.reason == reason


def test_too_large_is_refused_before_anything_else() -> None:
    with pytest.raises(Refused) as refused:
        clean(files.pdf(), "akta.pdf", max_bytes=100)
    assert refused.value.reason == "too_large"


def test_a_decompression_bomb_is_refused_without_decoding_it() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 Mpx in a few kB
    assert len(out.getvalue()) < 100_000
    with pytest.raises(Refused) as refused:
        clean(out.getvalue(), "bom.png", max_bytes=5 * MB)
    assert refused.value.reason == "image_broken"


def test_a_photo_loses_its_exif_gps_and_comment_but_keeps_its_orientation() -> None:
    original = files.jpeg_with_gps(64, 48)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get(0x8825) is not None
    result = clean(original, "KTP.JPG", max_bytes=5 * MB)
    assert result.kind is Kind.JPEG
    with Image.open(io.BytesIO(result.data)) as after:
        assert not after.getexif()
        assert "comment" not in after.info and "exif" not in after.info
        assert after.size == (48, 64)  # orientation 6 applied to the pixels
    assert b"KameraHP" not in result.data and b"secret comment" not in result.data


def test_bytes_hidden_after_a_png_are_dropped() -> None:
    data = files.png() + b"<?php system($_GET['c']); ?>"
    result = clean(data, "pas-foto.png", max_bytes=5 * MB)
    assert result.kind is Kind.PNG and b"php" not in result.data


def test_a_clean_pdf_is_kept_as_it_is_and_a_name_without_extension_is_fine() -> None:
    body = files.pdf()
    assert clean(body, "akta.pdf", max_bytes=5 * MB).data == body
    assert clean(body, "scan", max_bytes=5 * MB).kind is Kind.PDF
