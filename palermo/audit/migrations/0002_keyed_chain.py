"""The audit chain is keyed (HMAC) from the next row on; rows already written keep their SHA-256 hashes."""

from django.conf import settings
from django.db import migrations, models


def start_keyed_chain_after_existing_rows(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    for head in ChainHead.objects.all():
        head.keyed_from = head.seq + 1
        head.save(update_fields=["keyed_from"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.AddField(model_name="chainhead", name="keyed_from", field=models.PositiveBigIntegerField(default=1)),
        migrations.RunPython(start_keyed_chain_after_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=models.deletion.DO_NOTHING, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="actor"),
        ),
    ]
