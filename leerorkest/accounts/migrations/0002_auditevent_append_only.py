from django.db import migrations

from leerorkest.db.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [AppendOnly("accounts_auditevent")]
