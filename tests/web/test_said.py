"""A stored sentence's figures are formatted when it is read, in the reader's language."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import translation

from sigap.web.said import Said, count, day, decimal, from_stored, percent

HANDLING = (
    "On “%(step)s” (%(service)s), this officer's median handling time was %(hours)s hours "
    "over %(events)s events, against a median of %(peers_hours)s hours among %(peers)d peers."
)


def stored_and_back(sentence: Said) -> Said:
    """Through JSON, as the database keeps it."""
    return from_stored(json.loads(json.dumps([sentence.stored()])))[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "Pada “Verifikasi” (KTP-el), median waktu penanganan petugas ini 2,5 jam dari "
               "1.234 kegiatan, dibanding median 1,0 jam pada 3 rekan sejawat."),
        ("en", "On “Verifikasi” (KTP-el), this officer's median handling time was 2.5 hours "
               "over 1,234 events, against a median of 1.0 hours among 3 peers."),
    ],
)  # fmt: skip
def test_figures_follow_the_readers_language(language: str, expected: str) -> None:
    sentence = stored_and_back(
        Said(
            HANDLING,
            {
                "step": "Verifikasi",
                "service": "KTP-el",
                "hours": decimal(2.5, 1),
                "events": count(1234),
                "peers_hours": decimal(1, 1),
                "peers": 3,
            },
        )
    )
    with translation.override(language):
        assert str(sentence) == expected


def test_a_date_is_written_out() -> None:
    sentence = stored_and_back(
        Said(
            "Assessed at level %(actual)d on %(date)s; the position %(position)s requires "
            "level %(required)d.",
            {"actual": 2, "date": day(date(2025, 3, 14)), "position": "Analis", "required": 3},
        )
    )
    assert sentence.params["date"] == {"date": "2025-03-14"}
    with translation.override("id"):
        text = str(sentence)
    assert "14 Maret 2025" in text and "2025-03-14" not in text
    with translation.override("en"):
        assert "on 14 March 2025;" in str(sentence)


def test_a_share_and_two_decimals() -> None:
    sentence = Said("%(a)s / %(b)s", {"a": percent(0.125, 1), "b": decimal(3.456, 2)})
    with translation.override("id"):
        assert str(sentence) == "12,5 % / 3,46"
    with translation.override("en"):
        assert str(sentence) == "12.5% / 3.46"


def test_other_values_are_left_as_they_are() -> None:
    assert str(Said("%(x)s %(n)d", {"x": {"name": "a"}, "n": 4})) == "{'name': 'a'} 4"
