from django.db import migrations

from leerorkest.db.append_only import AppendOnly


class Migration(migrations.Migration):
    """The parts ledger is never changed or removed: stock is what the movements add up to."""

    dependencies = [("workshop", "0001_initial")]

    operations = [AppendOnly("workshop_partmovement")]
