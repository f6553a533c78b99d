"""The national competency dictionary of PermenPANRB 38/2017 (sigap.competency.dictionary):
idempotent (`install` changes nothing on a second run) and reversible."""

from django.db import migrations

from sigap.competency import dictionary


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    dictionary.install(apps.get_model("competency", "Competency"), apps.get_model("competency", "CompetencyLevel"))


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    dictionary.uninstall(apps.get_model("competency", "Competency"))


class Migration(migrations.Migration):
    dependencies = [("competency", "0001_foundation")]

    operations = [migrations.RunPython(forwards, backwards)]
