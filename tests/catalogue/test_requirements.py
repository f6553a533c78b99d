"""`sigap.catalogue.requirements`: what a standard asks for, and how the online form asks it."""

from __future__ import annotations

import pytest

from sigap.catalogue.requirements import InvalidRequirements, Kind, parse_requirements


def test_plain_texts_are_documents_and_objects_say_their_kind() -> None:
    got = parse_requirements(
        [
            "KTP-el asli pemohon",
            {"name": "Nomor Induk Berusaha", "kind": "field"},
            {"name": "Telah berusia 17 tahun", "kind": "statement"},
            {"name": "Pas foto 3x4", "kind": "document", "optional": True},
        ]
    )
    assert [(r.key, r.kind, r.optional) for r in got] == [
        ("ktp-el-asli-pemohon", Kind.DOCUMENT, False),
        ("nomor-induk-berusaha", Kind.FIELD, False),
        ("telah-berusia-17-tahun", Kind.STATEMENT, False),
        ("pas-foto-3x4", Kind.DOCUMENT, True),
    ]


def test_keys_stay_unique_and_ascii() -> None:
    got = parse_requirements(["Fotokopi KK", "Fotokopi KK ", "Surat “keterangan” dokter"])
    assert [r.key for r in got] == ["fotokopi-kk", "fotokopi-kk-2", "surat-keterangan-dokter"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("KTP", "must be a list"),
        ([""], "requirement 1: no name"),
        ([{"name": "NIB", "kind": "upload"}], "requirement 1: unknown kind"),
        (["KTP", 3], "requirement 2: neither"),
    ],
)
def test_bad_requirements_name_the_item(raw: object, message: str) -> None:
    with pytest.raises(InvalidRequirements, match=message):
        parse_requirements(raw)
