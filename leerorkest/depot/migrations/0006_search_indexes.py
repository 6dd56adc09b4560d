"""Trigram indexes for the stock list's search (target F2): "contains" searches on asset tag,
serial number and make use an index on PostgreSQL instead of reading 100,000 rows. SQLite
has no trigram indexes and does without (its demo is small)."""

from django.db import migrations, models

FIELDS = ("asset_tag", "serial", "make")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for field in FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS depot_instrument_{field}_trgm ON depot_instrument "
            f"USING gin (UPPER({field}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS depot_instrument_{field}_trgm")


class Migration(migrations.Migration):
    dependencies = [("depot", "0005_agreements_inspections_reminders")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="instrument",
            index=models.Index(fields=["organisation", "status"], name="instrument_status_count"),
        ),
    ]
