from django.db import migrations

from leerorkest.depot import sizes


def add(apps, schema_editor):
    sizes.install(apps.get_model("depot", "Size"), apps.get_model("programme", "InstrumentType"))


class Migration(migrations.Migration):
    dependencies = [("depot", "0002_history_kept"), ("programme", "0003_instrument_catalogue")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
