"""Read a bank statement (rekening koran) exported as CSV: pure functions, no database.

No bank publishes one format, so columns are found by their header name (Indonesian or English,
any case), never by position; the delimiter is a comma, a semicolon or a tab. Needed: a date, a
reference, a credit amount; optional: a time, a description, a debit. Lines without a credit
(debits, fees) are skipped and counted. Amounts are read in either convention ("150.000,00",
"150,000.00", "Rp 150.000"). Every problem names its line (the header is line 1) and column.

>>> parse_amount("Rp 150.000,00"), parse_amount("150,000.00"), parse_amount("87000")
(150000, 150000, 87000)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Accepted header names per column, compared lower-cased without dots or extra spaces.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("tanggal", "tanggal transaksi", "tgl", "tgl transaksi", "date", "transaction date"),
    "time": ("jam", "waktu", "time"),
    "description": ("keterangan", "uraian", "deskripsi", "description", "remark", "berita"),
    "reference": (
        "referensi",
        "no referensi",
        "nomor referensi",
        "reference",
        "ref",
        "reference no",
        "no ref",
    ),
    "credit": ("kredit", "credit", "mutasi kredit", "cr"),
    "debit": ("debit", "debet", "mutasi debit", "db"),
}
REQUIRED = ("date", "reference", "credit")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y")
TIME_FORMATS = ("%H:%M:%S", "%H:%M")


@dataclass(frozen=True, slots=True)
class StatementLine:
    line: int  # in the file, the header being line 1
    paid_at: datetime
    reference: str
    description: str
    amount: int


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    column: str  # the header as written in the file ("" for the line as a whole)
    message: str


@dataclass(frozen=True, slots=True)
class Statement:
    lines: list[StatementLine]
    errors: list[LineError]
    skipped: int  # lines without a credit


def normalise_reference(value: str) -> str:
    """References are compared without case or spaces: "trf 0012 34" is "TRF001234"."""
    return "".join(value.split()).upper()


def _key(header: str) -> str:
    return " ".join(header.replace(".", " ").replace("_", " ").lower().split())


def parse_amount(value: str) -> int | None:
    """Whole rupiah from a statement cell; None when it is not an amount. Empty is 0."""
    text = value.strip().replace("Rp", "").replace("rp", "").replace(" ", "").replace("\xa0", "")
    if text in ("", "-"):
        return 0
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
    elif last_comma >= 0:
        # "150,00" is a decimal comma; "150,000" groups thousands.
        decimal_sep = "," if len(text) - last_comma - 1 != 3 else ""
    elif last_dot >= 0:
        decimal_sep = "." if len(text) - last_dot - 1 != 3 else ""
    else:
        decimal_sep = ""
    if decimal_sep:
        whole, _sep, fraction = text.rpartition(decimal_sep)
    else:
        whole, fraction = text, ""
    whole = whole.replace(".", "").replace(",", "")
    try:
        amount = Decimal(f"{whole}.{fraction or '0'}")
    except InvalidOperation:
        return None
    if amount != amount.to_integral_value():
        return None  # a rupiah amount with sen is not a retribusi payment
    return int(amount)


def _parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    # "31/03/2025 10:15" in one cell
    day, _sep, rest = value.strip().partition(" ")
    if rest:
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(day, fmt).date()
            except ValueError:
                continue
    return None


def _parse_time(value: str) -> time | None:
    text = value.strip()
    if not text:
        return time(0, 0)
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return None


def _time_in_date_cell(value: str) -> time | None:
    _day, _sep, rest = value.strip().partition(" ")
    return _parse_time(rest) if rest else None


def parse_statement(text: str, tz: tzinfo) -> Statement:
    """Every credit line of the statement, or the errors; never a part of it silently."""
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return Statement([], [LineError(1, "", _("The file is empty."))], 0)
    where: dict[str, int] = {}
    for index, name in enumerate(header):
        for column, accepted in COLUMNS.items():
            if _key(name) in accepted and column not in where:
                where[column] = index
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        return Statement(
            [],
            [
                LineError(1, COLUMNS[c][0].title(), _("This column is missing from the header."))
                for c in missing
            ],
            0,
        )
    names = {column: header[index].strip() for column, index in where.items()}
    lines: list[StatementLine] = []
    errors: list[LineError] = []
    skipped = 0
    first_line: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            errors.append(
                LineError(
                    number,
                    "",
                    _("The line has %(got)d fields; the header has %(want)d.")
                    % {"got": len(cells), "want": len(header)},
                )
            )
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            return cells[where[column]].strip() if column in where else ""

        credit = parse_amount(cell("credit"))
        if credit is None or credit < 0:
            errors.append(
                LineError(number, names["credit"], _("“%s” is not an amount.") % cell("credit"))
            )
            continue
        if credit == 0:
            skipped += 1  # a debit, a fee or a balance line: not a payment received
            continue
        day = _parse_date(cell("date"))
        if day is None:
            errors.append(
                LineError(
                    number,
                    names["date"],
                    _("“%s” is not a date (write DD/MM/YYYY).") % cell("date"),
                )
            )
            continue
        at = _parse_time(cell("time")) if "time" in where else _time_in_date_cell(cell("date"))
        if at is None:
            at = time(0, 0) if "time" not in where else None
        if at is None:
            errors.append(
                LineError(number, names["time"], _("“%s” is not a time (HH:MM).") % cell("time"))
            )
            continue
        reference = normalise_reference(cell("reference"))
        if not reference:
            errors.append(LineError(number, names["reference"], _("The reference is empty.")))
            continue
        if len(reference) > 64:
            errors.append(
                LineError(
                    number, names["reference"], _("The reference is longer than 64 characters.")
                )
            )
            continue
        if reference in first_line:
            errors.append(
                LineError(
                    number,
                    names["reference"],
                    _("The reference %(ref)s is already on line %(line)d.")
                    % {"ref": reference, "line": first_line[reference]},
                )
            )
            continue
        first_line[reference] = number
        lines.append(
            StatementLine(
                line=number,
                paid_at=datetime.combine(day, at, tzinfo=tz),
                reference=reference,
                description=cell("description")[:300],
                amount=credit,
            )
        )
    return Statement(lines, errors, skipped)


RECEIPT_TOKEN = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{10}(?![0-9A-Z])")


def receipt_candidates(*texts: str) -> set[str]:
    """Ten-character tokens that could be receipt codes, from a description or a reference
    ("BAYAR RETRIBUSI 7K3M9P2QXA" → {"7K3M9P2QXA"}); the database decides which exist."""
    found: set[str] = set()
    for text in texts:
        found.update(RECEIPT_TOKEN.findall(text.upper()))
    return found
