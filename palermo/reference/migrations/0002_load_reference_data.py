"""Load the reference data: every ISO 3166-1 country (pycountry) plus Kosovo, and the data/*.json files.

The loaders live in ``palermo.reference.loading`` and receive the historical models. Reversing is a no-op: the rows
stay (deleting countries would cascade into user scopes and partners), and loading again is idempotent.
"""

from django.db import migrations

from palermo.reference import loading


def load(apps, schema_editor):
    loading.load_all(apps.get_model)


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
