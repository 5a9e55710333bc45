# Loads the GB/T 47678.5-2026 catalogue, the 2013 code mapping and the documented defaults
# (fixtures/README.md) into every database, test databases included.

from django.db import migrations


def load(apps, schema_editor):
    from urbangrid.catalog import seed

    seed.load(apps.get_model("catalog", "CatalogType"), apps.get_model("catalog", "TimeLimit"))


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
