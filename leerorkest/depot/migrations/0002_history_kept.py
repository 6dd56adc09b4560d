from django.db import migrations

from leerorkest.db.append_only import AppendOnly


class Migration(migrations.Migration):
    """Instrument history is never changed or removed; loans are closed, never removed (L6)."""

    dependencies = [("depot", "0001_initial")]

    operations = [
        AppendOnly("depot_instrumentevent"),
        AppendOnly("depot_loan", refuse=("DELETE",)),
        AppendOnly("depot_pupilloan", refuse=("DELETE",)),
    ]
