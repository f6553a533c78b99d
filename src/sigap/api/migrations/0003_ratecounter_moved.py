"""RateCounter now belongs to sigap.throttling (its 0001 renamed the table); the API app only
forgets it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sigap_api", "0002_ratecounter_unlogged"),
        ("sigap_throttling", "0001_initial"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateCounter")]
        )
    ]
