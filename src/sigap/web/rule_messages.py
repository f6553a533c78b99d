"""The errors of `sigap.rules`, said to a person in their language.

The rules stay pure (no Django, no translations): they raise an exception with a `code` and
`params`, and an English message for logs and developers. A form, a service's ValidationError
or the JSON API shows the sentence made here instead, in the language of the request.
"""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from sigap.rules.competency import JpError
from sigap.rules.nik import InvalidNik
from sigap.rules.nip import InvalidNip


def _day(value: object) -> str:
    return formats.date_format(value, "DATE_FORMAT") if isinstance(value, date) else str(value)


def _month(params: dict[str, object]) -> str:
    year, month = params.get("year"), params.get("month")
    if isinstance(year, int) and isinstance(month, int):
        return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
    return ""


def nik_message(error: InvalidNik) -> str:
    """The sentence for a NIK the Dukcapil structure refuses."""
    p = error.params
    if error.code == "length":
        return _("A NIK has %(expected)d digits; %(got)d were entered.") % {
            "expected": p.get("expected", 16),
            "got": p.get("got", 0),
        }
    if error.code == "digits":
        return _("A NIK contains only the digits 0–9.")
    if error.code == "province":
        return _("The first two digits of the NIK (%(code)s) are not a province code.") % {
            "code": p.get("code", "")
        }
    if error.code == "regency":
        return _("Digits 3–4 of the NIK (the kabupaten/kota code) cannot be 00.")
    if error.code == "district":
        return _("Digits 5–6 of the NIK (the kecamatan code) cannot be 00.")
    if error.code == "birth_date":
        return _(
            "Digits 7–12 of the NIK (%(digits)s) are not a date of birth in the past "
            "(day, month, year; women add 40 to the day)."
        ) % {"digits": p.get("digits", "")}
    if error.code == "serial":
        return _("The last four digits of the NIK cannot be 0000.")
    return _("This NIK is not valid: check the 16 digits on the KTP or KK.")


def nip_message(error: InvalidNip) -> str:
    """The sentence for a NIP the structure of Perka BKN 22/2007 refuses."""
    p = error.params
    if error.code == "length":
        return _("A NIP has %(expected)d digits; %(got)d were entered.") % {
            "expected": p.get("expected", 18),
            "got": p.get("got", 0),
        }
    if error.code == "digits":
        return _("A NIP contains only the digits 0–9.")
    if error.code == "birth_date":
        return _(
            "Digits 1–8 of the NIP (%(digits)s) are not a date of birth (year, month, day)."
        ) % {"digits": p.get("digits", "")}
    if error.code == "birth_range":
        return _(
            "The date of birth in the NIP (%(born)s) must fall between %(earliest)s and today."
        ) % {
            "born": _day(p.get("born")),
            "earliest": _day(p.get("earliest")),
        }
    if error.code == "appointment":
        return _(
            "Digits 9–14 of the NIP (%(digits)s) are not the month of appointment as CPNS "
            "(year, month)."
        ) % {"digits": p.get("digits", "")}
    if error.code == "appointment_age":
        return _(
            "The month of appointment in the NIP (%(month)s) is before the employee turned %(age)d."
        ) % {"month": _month(p), "age": p.get("age", 18)}
    if error.code == "appointment_future":
        return _("The month of appointment in the NIP (%(month)s) is in the future.") % {
            "month": _month(p)
        }
    if error.code == "gender":
        return _("Digit 15 of the NIP is 1 (male) or 2 (female).")
    if error.code == "serial":
        return _("The last three digits of the NIP cannot be 000.")
    return _("This NIP is not valid: check the 18 digits.")


def rule_message(error: Exception) -> str:
    """The sentence for any refusal of the rules that a person can cause by what they typed."""
    if isinstance(error, InvalidNik):
        return nik_message(error)
    if isinstance(error, InvalidNip):
        return nip_message(error)
    return _("This value is not valid.")


def jp_message(error: JpError) -> str:
    """The sentence for a training record whose JP cannot be computed
    (`sigap.rules.competency.training_jp`)."""
    if error.code == "ends_before_start":
        return _("The end date of the training is before its start date.")
    if error.code == "negative_hours":
        return _("The hours cannot be negative.")
    if error.code == "negative_sessions":
        return _("The number of sessions cannot be negative.")
    if error.code == "sessions_required":
        return _("This route counts JP by session: enter the number of sessions held.")
    return _("The JP of this training cannot be computed.")
