"""The amount typed at intake leaves the request: what a request paid is now the sum of its
reconciled payments (sigap.payments). Typed amounts were first kept as payments marked "typed at
intake" (payments 0002), so history is not lost and never counts as evidence."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('service_requests', '0003_tracking_lookup'),
        ('payments', '0002_intake_amounts'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='servicerequest',
            name='request_paid_not_negative',
        ),
        migrations.RemoveField(
            model_name='servicerequest',
            name='amount_paid',
        ),
    ]
