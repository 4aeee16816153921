# A contract's last change, for open data's "last modified" (360Giving dateModified).

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def from_what_is_known(apps, schema_editor):
    """Existing contracts last changed when they were answered, or else when offered."""
    Contract = apps.get_model("contracts", "Contract")
    Contract.objects.update(updated_at=Coalesce("answered_at", "offered_at"))


class Migration(migrations.Migration):
    dependencies = [
        ('contracts', '0013_safeguarding_step_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='contract',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(from_what_is_known, migrations.RunPython.noop),
    ]
