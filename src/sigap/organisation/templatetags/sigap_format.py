"""`{% load sigap_format %}`: every figure, sum, date and duration on a page, in the page's
language, through `sigap.web.formatting` (the one formatting layer; docs/foundation.md,
"Formats"). A value that is missing prints "—".

    {{ n|number }}              1.234.567      (at most 2 decimals, none shown if zero)
    {{ x|decimal:2 }}           81,50          (exactly 2 decimals; default 1)
    {{ share|percent }}         95,4 %         (a 0–1 ratio; `percent:0` for 95 %)
    {{ x|percent_points }}      95,4 %         (a value already 0–100)
    {{ rp|rupiah }}             Rp 50.000
    {{ d|long_date }}           2 Desember 2026
    {{ d|short_date }}          2 Des 2026
    {{ d|weekday_date }}        Rabu, 2 Desember 2026
    {{ t|clock }}               14.30
    {{ at|long_datetime }}      2 Desember 2026 14.30
    {{ at|short_datetime }}     2 Des 2026 14.30
    {{ key|period }}            Triwulan III 2025
    {{ m|month_name }}          Oktober        (a month's number, 1–12)
    {{ n|working_days }}        3 hari kerja
    {{ h|hours_minutes }}       2 jam 30 menit
    {{ q|p_value }}             < 0,001
    {{ q|p_value_as:"q" }}      q < 0,001 / q = 0,012
"""

from __future__ import annotations

from typing import Any

from django import template

from sigap.rules.nip import format_nip
from sigap.web import formatting as f

register = template.Library()


@register.filter
def nip(value: str) -> str:
    """Print an NIP the way it appears on official documents: 19850317 201001 1 002."""
    return format_nip(value) if value and len(value) == 18 else value


def _num(value: Any) -> Any:
    """Template values can be strings ("" from a missing lookup): only numbers are formatted."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return value


@register.filter
def number(value: Any, places: int = 2) -> str:
    return f.number(_num(value), int(places))


@register.filter
def decimal(value: Any, places: int = 1) -> str:
    return f.decimal(_num(value), int(places))


@register.filter
def percent(value: Any, places: int = 1) -> str:
    return f.percent(_num(value), int(places))


@register.filter
def percent_points(value: Any, places: int = 1) -> str:
    return f.percent_points(_num(value), int(places))


@register.filter
def rupiah(value: Any) -> str:
    return f.money(_num(value))


@register.filter
def long_date(value: Any) -> str:
    return f.long_date(value or None)


@register.filter
def short_date(value: Any) -> str:
    return f.short_date(value or None)


@register.filter
def weekday_date(value: Any) -> str:
    return f.weekday_date(value or None)


@register.filter
def clock(value: Any) -> str:
    return f.clock(value or None)


@register.filter
def long_datetime(value: Any) -> str:
    return f.long_datetime(value or None)


@register.filter
def short_datetime(value: Any) -> str:
    return f.short_datetime(value or None)


@register.filter
def month_name(value: Any) -> str:
    return f.month_name(value)


@register.filter
def period(value: Any) -> str:
    return f.period(value or None)


@register.filter
def working_days(value: Any, places: int = 1) -> str:
    return f.working_days(_num(value), int(places))


@register.filter
def hours_minutes(value: Any) -> str:
    return f.hours_minutes(_num(value))


@register.filter
def p_value(value: Any) -> str:
    return f.p_value(_num(value))


@register.filter
def p_value_as(value: Any, name: str) -> str:
    """`q|p_value_as:"q"` → "q = 0,012" or "q < 0,001" (the sign belongs to the figure)."""
    return f.p_value_clause(name, _num(value))
