"""How sigap prints a figure, a sum of money, a date or a duration to people: one place.

Every function is a pure function of (value, language): `lang` is "id" or "en"; left out, it is
the active Django language (the page's). Pages (through the `sigap_format` template filters),
charts (`sigap.web.charts` pre-computes every label), PDFs and text exports all call these, so
one figure reads the same in a table, on a chart and in a PDF.

    Indonesian                English
    1.234.567                 1,234,567
    95,4 %                    95.4%
    Rp 50.000                 Rp 50,000
    2 Desember 2026           2 December 2026
    2 Desember 2026 14.30     2 December 2026 14:30
    Triwulan III 2025         Q3 2025
    3 hari kerja              3 working days
    2 jam 30 menit            2 hours 30 minutes
    < 0,001                   < 0.001

Choices (docs/foundation.md, "Formats"):

* Indonesian follows PUEBI and Django's own `id` format module: "." groups thousands, "," is the
  decimal comma, a space before "%", the time written 14.30. English writes "95.4%" and day-month
  -year dates (the English readers of an Indonesian public service are not in the US).
* Numbers are rounded half up on their decimal digits (95,65 → 95,7), never cut off and never
  float-rounded to even: the same rule charts.js relies on, since the server computes the labels.
* No value is "—" (em dash): the mark the pages already use in their tables.
* Spreadsheets do not go through here: their cells stay typed numbers and dates
  (`sigap.spreadsheets`), formatted by the spreadsheet program in the reader's own locale.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["id", "en"]
MISSING = "—"

_DECIMAL = {"id": ",", "en": "."}
_GROUP = {"id": ".", "en": ","}
_MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_MONTHS_SHORT = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
_WEEKDAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_ROMAN = ("I", "II", "III", "IV")
# Units after a figure: (singular, plural). Indonesian nouns do not change in the plural.
_UNITS = {
    "id": {
        "working_day": ("hari kerja", "hari kerja"),
        "day": ("hari", "hari"),
        "hour": ("jam", "jam"),
        "minute": ("menit", "menit"),
    },
    "en": {
        "working_day": ("working day", "working days"),
        "day": ("day", "days"),
        "hour": ("hour", "hours"),
        "minute": ("minute", "minutes"),
    },
}


def language(lang: str | None = None) -> Lang:
    """`lang`, or the active Django language, as "id" or "en" (anything English is "en")."""
    if lang is None:
        from django.utils.translation import get_language

        lang = get_language() or "id"
    return "en" if lang.lower().startswith("en") else "id"


# --- numbers ---------------------------------------------------------------------------------


def _exact(value: float | int | Decimal) -> Decimal:
    # repr: the shortest decimal that reads back as the float (95.65, not 95.6499999...).
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _round(value: float | int | Decimal, places: int) -> Decimal:
    return _exact(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rounded(value: float | int | Decimal, places: int) -> float:
    """`value` rounded half up as the labels round it: where a chart draws the point."""
    return float(_round(value, places))


def _digits(value: Decimal, lang: Lang, trim: bool = False) -> str:
    sign = "-" if value < 0 else ""
    whole, _, fraction = format(abs(value), "f").partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    grouped = _GROUP[lang].join([whole, *groups])
    text = grouped + (_DECIMAL[lang] + fraction if fraction else "")
    # No "-0": a figure that rounds to zero has no sign.
    return text if not sign or set(text) <= set("0.,") else sign + text


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float | Decimal) and not math.isfinite(value))


def integer(value: float | int | Decimal | None, lang: str | None = None) -> str:
    """A count, grouped: 1.234.567 / 1,234,567 (a fraction is rounded half up)."""
    if _missing(value):
        return MISSING
    return _digits(_round(value, 0), language(lang))  # type: ignore[arg-type]


def decimal(value: float | int | Decimal | None, places: int = 1, lang: str | None = None) -> str:
    """Exactly `places` decimals, grouped: 95,40 / 95.40."""
    if _missing(value):
        return MISSING
    return _digits(_round(value, places), language(lang))  # type: ignore[arg-type]


def number(value: float | int | Decimal | None, places: int = 2, lang: str | None = None) -> str:
    """At most `places` decimals, trailing zeros dropped: 1.491 (not 1.491,0), 0,25, 2,5."""
    if _missing(value):
        return MISSING
    return _digits(_round(value, places), language(lang), trim=True)  # type: ignore[arg-type]


def percent_points(
    value: float | int | Decimal | None, places: int = 1, lang: str | None = None
) -> str:
    """A value already on the 0–100 scale: 95.4 → "95,4 %" / "95.4%"."""
    if _missing(value):
        return MISSING
    lang = language(lang)
    return decimal(value, places, lang) + (" %" if lang == "id" else "%")


def percent(ratio: float | int | Decimal | None, places: int = 1, lang: str | None = None) -> str:
    """A ratio on the 0–1 scale: 0.954 → "95,4 %" / "95.4%"."""
    if _missing(ratio):
        return MISSING
    return percent_points(_exact(ratio) * 100, places, lang)  # type: ignore[arg-type]


def money(rupiah: float | int | Decimal | None, lang: str | None = None) -> str:
    """Rupiah: "Rp 50.000" / "Rp 50,000"; sen only when there are any ("Rp 1.500,50")."""
    if _missing(rupiah):
        return MISSING
    amount = _round(rupiah, 2)  # type: ignore[arg-type]
    places = 0 if amount == amount.to_integral_value() else 2
    return "Rp " + decimal(amount, places, lang)


def p_value(value: float | None, lang: str | None = None) -> str:
    """A probability as a reader can use it: "< 0,001" for the tiny ones (never "0,0000"),
    three decimals below 0.1, two above."""
    if _missing(value):
        return MISSING
    assert value is not None
    if value < 0.001:
        return "< " + decimal(0.001, 3, lang)
    return decimal(value, 3 if value < 0.1 else 2, lang)


def p_value_clause(name: str, value: float | None, lang: str | None = None) -> str:
    """ "q = 0,012" or "q < 0,001": the sign belongs to the figure."""
    text = p_value(value, lang)
    return f"{name} {text}" if text.startswith("<") else f"{name} = {text}"


# --- dates and periods -----------------------------------------------------------------------


def _local(value: datetime) -> datetime:
    """An aware datetime in the site's (the active) time zone; a naive one as it is."""
    if value.tzinfo is None:
        return value
    from django.utils import timezone

    return timezone.localtime(value)


def long_date(value: date | datetime | None, lang: str | None = None) -> str:
    """2 Desember 2026 / 2 December 2026."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value.day} {_MONTHS[language(lang)][value.month - 1]} {value.year}"


def short_date(value: date | datetime | None, lang: str | None = None) -> str:
    """2 Des 2026 / 2 Dec 2026: for tables."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value.day} {_MONTHS_SHORT[language(lang)][value.month - 1]} {value.year}"


def weekday_date(value: date | None, lang: str | None = None) -> str:
    """Rabu, 2 Desember 2026 / Wednesday, 2 December 2026."""
    if value is None:
        return MISSING
    lang = language(lang)
    return f"{_WEEKDAYS[lang][value.weekday()]}, {long_date(value, lang)}"


def clock(value: time | datetime | None, lang: str | None = None) -> str:
    """14.30 (Indonesian: PUEBI) / 14:30."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = _local(value).time()
    sep = "." if language(lang) == "id" else ":"
    return f"{value.hour:02d}{sep}{value.minute:02d}"


def long_datetime(value: datetime | None, lang: str | None = None) -> str:
    """2 Desember 2026 14.30 / 2 December 2026 14:30, in the site's time zone."""
    if value is None:
        return MISSING
    local = _local(value)
    return f"{long_date(local.date(), lang)} {clock(local.time(), lang)}"


def short_datetime(value: datetime | None, lang: str | None = None) -> str:
    """2 Des 2026 14.30 / 2 Dec 2026 14:30."""
    if value is None:
        return MISSING
    local = _local(value)
    return f"{short_date(local.date(), lang)} {clock(local.time(), lang)}"


def month(value: date | None, lang: str | None = None) -> str:
    """Desember 2026 / December 2026."""
    if value is None:
        return MISSING
    return f"{_MONTHS[language(lang)][value.month - 1]} {value.year}"


def month_name(number: int | None, lang: str | None = None) -> str:
    """A month's number (1–12) by name: 10 → Oktober / October."""
    if number is None or not 1 <= int(number) <= 12:
        return MISSING
    return _MONTHS[language(lang)][int(number) - 1]


def period(key: str | None, lang: str | None = None) -> str:
    """A period key as sigap stores it ("2025", "2025-S1", "2025-Q3", "2025-07") by name:
    Triwulan III 2025 / Q3 2025, Semester I 2025 / H1 2025, Juli 2025 / July 2025.
    Anything else is shown as it is."""
    if not key:
        return MISSING
    lang = language(lang)
    year, _, rest = key.partition("-")
    if not year.isdigit():
        return key
    if not rest:
        return year
    if rest[:1] in ("Q", "S") and rest[1:].isdigit() and 1 <= int(rest[1:]) <= 4:
        n = int(rest[1:])
        if rest[0] == "Q":
            return f"Triwulan {_ROMAN[n - 1]} {year}" if lang == "id" else f"Q{n} {year}"
        if n <= 2:
            return f"Semester {_ROMAN[n - 1]} {year}" if lang == "id" else f"H{n} {year}"
    if rest.isdigit() and 1 <= int(rest) <= 12:
        return f"{_MONTHS[lang][int(rest) - 1]} {year}"
    return key


# --- durations -------------------------------------------------------------------------------


def _with_unit(value: float | int | Decimal, unit: str, places: int, lang: Lang) -> str:
    text = number(value, places, lang)
    singular, plural = _UNITS[lang][unit]
    return f"{text} {singular if _round(value, places) == 1 else plural}"


def working_days(
    value: float | int | Decimal | None, places: int = 1, lang: str | None = None
) -> str:
    """3 hari kerja / 3 working days; 1 working day; 2,5 hari kerja / 2.5 working days."""
    if _missing(value):
        return MISSING
    return _with_unit(value, "working_day", places, language(lang))  # type: ignore[arg-type]


def days(value: float | int | Decimal | None, places: int = 1, lang: str | None = None) -> str:
    """3 hari / 3 days (calendar days)."""
    if _missing(value):
        return MISSING
    return _with_unit(value, "day", places, language(lang))  # type: ignore[arg-type]


def hours_minutes(value: float | timedelta | None, lang: str | None = None) -> str:
    """A step's time, from hours (or a timedelta), to the minute: 2 jam 30 menit /
    2 hours 30 minutes; 45 menit / 45 minutes; 3 jam / 3 hours."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    lang = language(lang)
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value) * 3600
    minutes = int(_round(seconds / 60, 0))
    h, m = divmod(minutes, 60)
    parts = []
    if h:
        parts.append(_with_unit(h, "hour", 0, lang))
    if m or not h:
        parts.append(_with_unit(m, "minute", 0, lang))
    return " ".join(parts)
