"""Guitar and keyboard join the catalogue (installing is idempotent)."""

from django.db import migrations

from leerorkest.programme import catalogue


def add(apps, schema_editor):
    catalogue.install(apps.get_model("programme", "InstrumentType"))


class Migration(migrations.Migration):
    dependencies = [("programme", "0003_instrument_catalogue")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
