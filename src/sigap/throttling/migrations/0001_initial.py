"""The rate-limit counters move here from sigap.api (the limiter left the API app so that the apps
taking public input need not import it). The table keeps its rows and, on PostgreSQL, its UNLOGGED
setting: only its name changes; sigap_api.0003 drops the model from the API app's state."""

from django.db import migrations, models

RENAME = "ALTER TABLE sigap_api_ratecounter RENAME TO sigap_throttling_ratecounter"
BACK = "ALTER TABLE sigap_throttling_ratecounter RENAME TO sigap_api_ratecounter"


class Migration(migrations.Migration):
    initial = True

    dependencies = [("sigap_api", "0002_ratecounter_unlogged")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(RENAME, BACK)],
            state_operations=[
                migrations.CreateModel(
                    name="RateCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=160)),
                        ("bucket", models.BigIntegerField()),
                        ("hits", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "rate-limit counter",
                        "verbose_name_plural": "rate-limit counters",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("key", "bucket"), name="uniq_rate_counter"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
