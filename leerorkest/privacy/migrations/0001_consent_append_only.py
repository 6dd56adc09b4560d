from django.db import migrations

from leerorkest.db.append_only import AppendOnly


class Migration(migrations.Migration):
    """Consent decisions are history (target P1): the database refuses to change or delete them."""

    dependencies = [("schools", "0003_years_classes_pupils")]

    operations = [AppendOnly("schools_consent")]
