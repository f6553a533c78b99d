"""Keep the amounts officers typed at intake (ServiceRequest.amount_paid, removed by
service_requests 0004) as payments of source "intake", reconciled to their request: the request
page still shows them, marked as not evidence; the paid amount and the overcharge signal ignore
them."""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    ServiceRequest = apps.get_model("service_requests", "ServiceRequest")
    Payment = apps.get_model("payments", "Payment")
    batch = []
    typed = (
        ServiceRequest.objects.filter(amount_paid__gt=0)
        .order_by("pk")
        .values_list("pk", "receipt_code", "unit_id", "amount_paid", "submitted_at")
    )
    for pk, code, unit_id, amount, at in typed.iterator(chunk_size=BATCH):
        batch.append(
            Payment(
                source="intake",
                reference=f"ENTRI-{code}",
                amount=amount,
                paid_at=at,
                unit_id=unit_id,
                request_id=pk,
                reconciled_at=at,
                recorded_at=at,
            )
        )
        if len(batch) >= BATCH:
            Payment.objects.bulk_create(batch)
            batch = []
    Payment.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    ServiceRequest = apps.get_model("service_requests", "ServiceRequest")
    Payment = apps.get_model("payments", "Payment")
    for request_id, amount in Payment.objects.filter(source="intake").values_list(
        "request_id", "amount"
    ):
        ServiceRequest.objects.filter(pk=request_id).update(amount_paid=amount)
    Payment.objects.filter(source="intake").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("service_requests", "0003_tracking_lookup"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
