"""Rate counters need no crash safety: on PostgreSQL the table is UNLOGGED, so counting writes no
WAL and its commits never wait for a disk flush (after a crash the table starts empty)."""

from django.db import migrations


def unlogged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sigap_api_ratecounter SET UNLOGGED")


def logged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sigap_api_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("sigap_api", "0001_initial")]
    operations = [migrations.RunPython(unlogged, logged)]
