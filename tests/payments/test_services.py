"""Payment write functions: record, reconcile, import a statement. Each bad input is refused
with an error naming its field, and nothing is half-written."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.payments.models import Payment, StatementImport
from sigap.payments.selectors import paid_amount, paid_by_request, unreconciled
from sigap.payments.services import payment_import_statement, payment_reconcile, payment_record
from sigap.service_requests.models import ServiceRequest
from tests import factories
from tests.conftest import local

FIXTURE = (Path(__file__).parent / "data" / "statement.csv").read_text()
CODES = ("7K3M9P2QXA", "H4ND8R2WQZ")  # the receipt codes in the fixture's descriptions


def _record(world, **kw):
    values = {
        "user": world.users["cashier"],
        "unit": world.counter_a,
        "source": "kuitansi",
        "reference": "KW/2025/0001",
        "amount": 15_000,
        "paid_at": local(2025, 3, 3, 9, 30),
    }
    values.update(kw)
    return payment_record(**values)


def _refused(call, field):
    before = (Payment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    assert (Payment.objects.count(), AuditEntry.objects.count()) == before
    return exc.value.message_dict[field][0]


# --- payment_record ------------------------------------------------------------------------------


def test_a_payment_with_a_receipt_code_is_reconciled_and_audited(world):
    sr = factories.submit(world, at=local(2025, 3, 3))
    payment = _record(world, reference=" kw/2025/0001 ", receipt_code=sr.receipt_code.lower())
    assert (payment.reference, payment.request, payment.recorded_by) == (
        "KW/2025/0001",
        sr,
        world.users["cashier"],
    )
    assert paid_amount(sr) == 15_000
    entry = AuditEntry.objects.get(action="payment.record")
    assert entry.data["request"] == sr.receipt_code and entry.data["amount"] == 15_000


def test_a_payment_without_a_request_waits_for_the_cashier(world):
    payment = _record(world)
    assert payment.request is None
    assert list(unreconciled(world.users["cashier"])) == [payment]
    assert list(unreconciled(world.users["officer_a"])) == []  # not the officer's to see


def test_a_reference_used_twice_is_refused_naming_the_payment_on_record(world):
    sr = factories.submit(world, at=local(2025, 3, 3))
    _record(world, receipt_code=sr.receipt_code)
    message = _refused(lambda: _record(world, reference="kw/2025/ 0001"), "reference")
    assert "already recorded" in message and sr.receipt_code in message
    assert "Rp 15,000" in message
    # The same reference from another source is another payment.
    assert _record(world, source="qris").source == "qris"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"receipt_code": "ZZZZZZZZZZ"}, "receipt_code"),
        ({"amount": 0}, "amount"),
        ({"amount": -5_000}, "amount"),
        ({"amount": "15000.50"}, "amount"),
        ({"amount": "lima ribu"}, "amount"),
        ({"reference": "   "}, "reference"),
        ({"reference": "R" * 65}, "reference"),
        ({"source": "intake"}, "source"),
        ({"source": "cek"}, "source"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, kw, field):
    _refused(lambda: _record(world, **kw), field)


def test_a_payment_in_the_future_is_refused(world):
    _refused(lambda: _record(world, paid_at=timezone.now() + timedelta(hours=1)), "paid_at")


def test_a_request_outside_the_cashiers_units_is_an_unknown_request(world):
    other = factories.submit(world, at=local(2025, 3, 3), service=world.rujukan)  # Puskesmas B
    message = _refused(lambda: _record(world, receipt_code=other.receipt_code), "receipt_code")
    assert other.receipt_code in message


def test_only_a_cashier_of_the_unit_records(world):
    with pytest.raises(PermissionDenied):
        _record(world, user=world.users["officer_a"])
    with pytest.raises(PermissionDenied):
        _record(world, unit=world.puskesmas_b)
    assert not Payment.objects.exists()


# --- payment_reconcile ---------------------------------------------------------------------------


def _reconcile(world, **kw):
    values = {
        "user": world.users["cashier"],
        "source": "kuitansi",
        "reference": "KW/2025/0001",
        "amount": 15_000,
        "receipt_code": "",
    }
    values.update(kw)
    return payment_reconcile(**values)


def test_reconciling_ties_the_payment_to_its_request(world):
    payment = _record(world)
    sr = factories.submit(world, at=local(2025, 3, 3))
    done = _reconcile(world, reference="kw/2025/0001", receipt_code=sr.receipt_code)
    assert done.pk == payment.pk and done.request == sr and done.reconciled_at is not None
    assert paid_by_request([sr.pk]) == {sr.pk: 15_000}
    assert AuditEntry.objects.filter(action="payment.reconcile").count() == 1


def test_an_amount_that_does_not_match_the_record_is_refused(world):
    payment = _record(world)
    sr = factories.submit(world, at=local(2025, 3, 3))
    message = _refused(
        lambda: _reconcile(world, amount=25_000, receipt_code=sr.receipt_code), "amount"
    )
    assert "Rp 15,000 is on record" in message and "Rp 25,000" in message
    payment.refresh_from_db()
    assert payment.request is None


def test_a_reference_already_used_is_refused_naming_its_request(world):
    first = factories.submit(world, at=local(2025, 3, 3))
    second = factories.submit(world, at=local(2025, 3, 4))
    _record(world, receipt_code=first.receipt_code)
    message = _refused(lambda: _reconcile(world, receipt_code=second.receipt_code), "reference")
    assert "already used" in message and first.receipt_code in message
    assert paid_amount(second) == 0


def test_an_unknown_reference_or_request_is_refused(world):
    sr = factories.submit(world, at=local(2025, 3, 3))
    _refused(lambda: _reconcile(world, receipt_code=sr.receipt_code), "reference")
    payment = _record(world)
    _refused(lambda: _reconcile(world, receipt_code="ZZZZZZZZZZ"), "receipt_code")
    payment.refresh_from_db()
    assert payment.request is None


def test_a_payment_of_another_units_cashier_cannot_be_reconciled(world):
    _record(world)
    other = factories.user("cashier_b", Role.CASHIER, world.puskesmas_b)
    sr = factories.submit(world, at=local(2025, 3, 3), service=world.rujukan)
    _refused(lambda: _reconcile(world, user=other, receipt_code=sr.receipt_code), "reference")
    with pytest.raises(PermissionDenied):
        _reconcile(world, user=world.users["head_a"], receipt_code=sr.receipt_code)


# --- payment_import_statement --------------------------------------------------------------------


def _requests_of_the_fixture(world) -> list[ServiceRequest]:
    found = []
    for day, code in zip((3, 4), CODES, strict=True):
        sr = factories.submit(world, at=local(2025, 3, day, 8))
        ServiceRequest.objects.filter(pk=sr.pk).update(receipt_code=code)
        found.append(ServiceRequest.objects.get(pk=sr.pk))
    return found


def _import(world, text=FIXTURE, apply=True, **kw):
    values = {
        "user": world.users["cashier"],
        "unit": world.counter_a,
        "source": "bank",
        "text": text,
        "filename": "rekening-koran-maret.csv",
        "apply": apply,
    }
    values.update(kw)
    return payment_import_statement(**values)


def test_the_dry_run_shows_what_the_import_would_do_and_writes_nothing(world):
    _requests_of_the_fixture(world)
    preview = _import(world, apply=False)
    assert [(x.line, x.receipt_code) for x in preview.lines] == [
        (2, CODES[0]),
        (3, ""),
        (5, CODES[1]),
    ]
    assert (preview.reconciled, preview.unreconciled, preview.skipped) == (2, 1, 1)
    assert not Payment.objects.exists() and not StatementImport.objects.exists()
    assert not AuditEntry.objects.filter(action="payment.import").exists()


def test_applying_reconciles_by_receipt_code_and_keeps_the_rest_for_the_cashier(world):
    first, second = _requests_of_the_fixture(world)
    preview = _import(world)
    assert preview.applied is not None
    assert paid_by_request([first.pk, second.pk]) == {first.pk: 15_000, second.pk: 65_000}
    (waiting,) = unreconciled(world.users["cashier"])
    assert (waiting.reference, waiting.statement_line) == ("TRF2503030002", 3)
    assert waiting.description == "TRF DARI BUDI SANTOSO"
    batch = StatementImport.objects.get()
    assert (batch.lines, batch.payments, batch.reconciled) == (4, 3, 2)
    entry = AuditEntry.objects.get(action="payment.import")
    assert entry.data["payments"] == 3 and entry.data["sha256"] == preview.sha256


def test_a_bad_line_refuses_the_whole_file_naming_line_and_column(world):
    _requests_of_the_fixture(world)
    text = FIXTURE.replace("04/03/2025;08:30", "04/13/2025;08:30")
    message = _refused(lambda: _import(world, text=text), "file")
    assert message == "Line 5, column “Tanggal”: “04/13/2025” is not a date (write DD/MM/YYYY)."
    assert not StatementImport.objects.exists()


def test_a_reference_twice_in_the_file_names_both_lines(world):
    text = FIXTURE.replace("TRF2503040004", "TRF2503030001")
    message = _refused(lambda: _import(world, text=text), "file")
    assert "Line 5" in message and "already on line 2" in message


def test_a_reference_already_recorded_is_refused_naming_the_payment(world):
    first, _second = _requests_of_the_fixture(world)
    _record(world, source="bank", reference="TRF2503030001", receipt_code=first.receipt_code)
    message = _refused(lambda: _import(world), "file")
    assert message.startswith("Line 2: The reference TRF2503030001 is already recorded")
    assert first.receipt_code in message
    assert Payment.objects.count() == 1  # only the one recorded before


def test_every_problem_of_the_file_is_listed(world):
    text = FIXTURE.replace("15.000,00;1.015", "lima;1.015").replace("TRF2503040004", "")
    with pytest.raises(ValidationError) as exc:
        _import(world, text=text)
    messages = exc.value.message_dict["file"]
    assert [m.split(":")[0] for m in messages] == [
        "Line 2, column “Kredit”",
        "Line 5, column “Referensi”",
    ]


def test_a_receipt_code_outside_the_cashiers_units_is_left_unreconciled(world):
    other = factories.submit(world, at=local(2025, 3, 3), service=world.rujukan)
    ServiceRequest.objects.filter(pk=other.pk).update(receipt_code=CODES[0])
    preview = _import(world)
    assert preview.reconciled == 0 and Payment.objects.filter(request__isnull=True).count() == 3


def test_the_import_is_for_a_cashier_of_the_unit(world):
    with pytest.raises(PermissionDenied):
        _import(world, user=world.users["officer_a"])
    with pytest.raises(PermissionDenied):
        _import(world, unit=world.puskesmas_b)
    _refused(lambda: _import(world, source="kuitansi"), "source")
    _refused(lambda: _import(world, text="Tanggal;Referensi;Kredit\n"), "file")
