"""Data migration: the stored search vector of every existing material on PostgreSQL, from
the same columns and weights as leerorkest.knowledge.search (title A, summary B, text C).
The text is stored HTML; PostgreSQL's parser drops the tags. Nothing to do on SQLite."""

from django.contrib.postgres.search import SearchVector
from django.db import migrations


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Material = apps.get_model("knowledge", "Material")
    Material.objects.using(schema_editor.connection.alias).update(
        search_vector=SearchVector("title", weight="A", config="dutch")
        + SearchVector("summary", weight="B", config="dutch")
        + SearchVector("body", weight="C", config="dutch")
    )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_withdrawn_status_and_search_vector")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
