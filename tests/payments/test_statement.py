"""Reading a bank statement CSV: columns by name, both number conventions, every problem named
by its line and column. Pure functions: no database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sigap.payments.statement import (
    normalise_reference,
    parse_amount,
    parse_statement,
    receipt_candidates,
)

WIB = ZoneInfo("Asia/Jakarta")
FIXTURE = Path(__file__).parent / "data" / "statement.csv"


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("15.000,00", 15_000),
        ("15,000.00", 15_000),
        ("Rp 1.250.000", 1_250_000),
        ("87000", 87_000),
        ("150,000", 150_000),
        ("150.000", 150_000),
        ("150,5", None),  # sen: not a retribusi amount
        ("", 0),
        ("-", 0),
        ("lima ribu", None),
    ],
)
def test_amounts_in_either_convention(cell, amount):
    assert parse_amount(cell) == amount


def test_the_fixture_gives_its_credit_lines_and_skips_the_debit():
    statement = parse_statement(FIXTURE.read_text(), WIB)
    assert statement.errors == []
    assert statement.skipped == 1
    assert [(x.line, x.reference, x.amount) for x in statement.lines] == [
        (2, "TRF2503030001", 15_000),
        (3, "TRF2503030002", 15_000),
        (5, "TRF2503040004", 65_000),
    ]
    assert statement.lines[0].paid_at == datetime(2025, 3, 3, 9, 15, tzinfo=WIB)
    assert statement.lines[0].description == "RETRIBUSI KTP-EL 7K3M9P2QXA"


def test_columns_are_found_by_name_in_any_order_and_case_with_commas():
    text = "KREDIT,no. referensi,Uraian,Tanggal Transaksi\n25000,qr 1234,bayar,2025-03-03\n"
    (line,) = parse_statement(text, WIB).lines
    assert (line.reference, line.amount, line.description) == ("QR1234", 25_000, "bayar")
    assert line.paid_at == datetime(2025, 3, 3, 0, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        ("31/02/2025;09:00;x;R1;;15.000\n", 2, "Tanggal", "not a date"),
        ("03/03/2025;9 pagi;x;R1;;15.000\n", 2, "Jam", "not a time"),
        ("03/03/2025;09:00;x;R1;;lima ribu\n", 2, "Kredit", "not an amount"),
        ("03/03/2025;09:00;x;;;15.000\n", 2, "Referensi", "empty"),
        ("03/03/2025;09:00;x\n", 2, "", "has 3 fields; the header has 6"),
        (
            "03/03/2025;09:00;x;R1;;15.000\n03/03/2025;09:05;y;r 1;;20.000\n",
            3,
            "Referensi",
            "R1 is already on line 2",
        ),
    ],
)
def test_every_problem_names_its_line_and_column(body, line, column, words):
    text = "Tanggal;Jam;Keterangan;Referensi;Debit;Kredit\n" + body
    statement = parse_statement(text, WIB)
    assert [(e.line, e.column) for e in statement.errors] == [(line, column)]
    assert words in statement.errors[0].message


def test_a_missing_column_is_named():
    statement = parse_statement("Tanggal;Keterangan;Kredit\n03/03/2025;x;15.000\n", WIB)
    assert [(e.line, e.column) for e in statement.errors] == [(1, "Referensi")]
    assert statement.lines == []


def test_receipt_codes_are_found_as_whole_tokens():
    assert receipt_candidates("RETRIBUSI 7K3M9P2QXA", "TRF2503030001") == {"7K3M9P2QXA"}
    assert receipt_candidates("bayar 7k3m9p2qxa.") == {"7K3M9P2QXA"}
    assert receipt_candidates("X7K3M9P2QXA") == set()  # part of a longer token


def test_references_compare_without_case_or_spaces():
    assert normalise_reference(" trf 0012 34 ") == "TRF001234"
