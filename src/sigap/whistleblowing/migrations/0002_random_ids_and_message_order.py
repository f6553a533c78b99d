"""Random ids for every WBS row, and the conversation's order in its own field.

Rows written before keep their ids: their ciphertexts are bound to them (the AEAD's associated
data names the message and file ids), and their order is numbered here from those ids.
"""

from django.conf import settings
from django.db import migrations, models

import sigap.whistleblowing.models


def number_messages(apps, schema_editor):
    Message = apps.get_model("whistleblowing", "Message")
    place: dict[int, int] = {}
    for message in Message.objects.order_by("report_id", "pk"):
        place[message.report_id] = place.get(message.report_id, 0) + 1
        message.seq = place[message.report_id]
        message.save(update_fields=["seq"])


class Migration(migrations.Migration):

    dependencies = [
        ('whistleblowing', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='message',
            options={'ordering': ['report', 'seq'], 'verbose_name': 'whistleblowing message', 'verbose_name_plural': 'whistleblowing messages'},
        ),
        migrations.AddField(
            model_name='message',
            name='seq',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(number_messages, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='attachment',
            name='id',
            field=models.BigIntegerField(default=sigap.whistleblowing.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='inspectorkey',
            name='id',
            field=models.BigIntegerField(default=sigap.whistleblowing.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='keywrap',
            name='id',
            field=models.BigIntegerField(default=sigap.whistleblowing.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='message',
            name='id',
            field=models.BigIntegerField(default=sigap.whistleblowing.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='receiptthrottle',
            name='id',
            field=models.BigIntegerField(default=sigap.whistleblowing.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='report',
            name='id',
            field=models.BigIntegerField(default=sigap.whistleblowing.models.random_id, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AddConstraint(
            model_name='message',
            constraint=models.UniqueConstraint(fields=('report', 'seq'), name='uniq_wbs_message_seq'),
        ),
    ]
