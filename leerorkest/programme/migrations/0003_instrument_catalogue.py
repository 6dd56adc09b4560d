"""The instrument catalogue (leerorkest.programme.catalogue) as reference data."""

from django.db import migrations

from leerorkest.programme import catalogue


def add(apps, schema_editor):
    catalogue.install(apps.get_model("programme", "InstrumentType"))


def remove(apps, schema_editor):
    apps.get_model("programme", "InstrumentType").objects.filter(
        code__in=[row[0] for row in catalogue.INSTRUMENTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_pupil_links")]

    operations = [migrations.RunPython(add, remove)]
