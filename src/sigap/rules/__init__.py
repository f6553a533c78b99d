"""Official Indonesian rules as pure Python: no Django, no I/O, each function citing its regulation.

docs/rules-api.md lists every public name with its legal basis.
"""

from sigap.rules.calendar import (
    EPOCH,
    LOCAL_DAY_OFF_REASON,
    MAX_YEAR,
    MIN_YEAR,
    CalendarDay,
    WorkingCalendar,
    due_date,
    paused_working_days,
)
from sigap.rules.nik import (
    PROVINCE_CODES,
    InvalidNik,
    Nik,
    NikPart,
    is_valid_nik,
    mask_nik,
    parse_nik,
)
from sigap.rules.nip import (
    InvalidNip,
    Nip,
    NipPart,
    format_nip,
    is_valid_nip,
    make_nip,
    parse_nip,
)

__all__ = [
    "EPOCH",
    "LOCAL_DAY_OFF_REASON",
    "MAX_YEAR",
    "MIN_YEAR",
    "PROVINCE_CODES",
    "CalendarDay",
    "InvalidNik",
    "InvalidNip",
    "Nik",
    "NikPart",
    "Nip",
    "NipPart",
    "WorkingCalendar",
    "due_date",
    "format_nip",
    "is_valid_nik",
    "is_valid_nip",
    "make_nip",
    "mask_nik",
    "parse_nik",
    "parse_nip",
    "paused_working_days",
]
