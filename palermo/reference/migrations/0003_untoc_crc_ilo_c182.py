"""Load the instruments the programme text names and the reference data lacked: the Palermo Convention itself
(UNTOC), the Convention on the Rights of the Child and ILO C182, with each programme country's status `unknown`
until sourced. The loaders are idempotent: a database loaded by 0002 after these rows were added changes nothing."""

from django.db import migrations

from palermo.reference import loading


def load(apps, schema_editor):
    loading.load_instruments(apps.get_model("reference", "LegalInstrument"))
    loading.load_instrument_statuses(apps.get_model("reference", "InstrumentStatus"))


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0002_load_reference_data"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
