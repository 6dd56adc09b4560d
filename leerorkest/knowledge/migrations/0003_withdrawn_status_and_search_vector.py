"""Editors can withdraw a published material (a new status), and PostgreSQL searches a stored
`dutch` tsvector through a GIN index instead of building the vector for every row per query.
SQLite keeps its stem columns; the vector column stays empty there and gets no index (SQLite
has no GIN). Existing rows get their vectors in the next (data) migration."""

import django.contrib.postgres.search
from django.db import migrations, models

INDEX = "knowledge_material_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON knowledge_material USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_material_learning_goals")]

    operations = [
        migrations.RemoveConstraint(model_name="material", name="material_status_valid"),
        migrations.AddField(
            model_name="material",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="material",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Waiting for review"),
                    ("published", "Published"),
                    ("rejected", "Returned with a note"),
                    ("withdrawn", "Withdrawn by the editors"),
                ],
                default="draft",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="material",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["draft", "submitted", "published", "rejected", "withdrawn"])
                ),
                name="material_status_valid",
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
