"""An alert handled before steps were kept keeps what was recorded: the free text becomes its
closing step, by whoever handled it and when, so it stays closed and says what was done."""

from django.db import migrations

CARRIED_OVER = "Handled before steps were recorded one by one; no note was kept."


def forwards(apps, schema_editor):
    SafeguardingAlert = apps.get_model("contracts", "SafeguardingAlert")
    SafeguardingStep = apps.get_model("contracts", "SafeguardingStep")
    handled = SafeguardingAlert.objects.exclude(handled_at__isnull=True, action_taken="")
    SafeguardingStep.objects.bulk_create(
        SafeguardingStep(
            authority_id=alert.authority_id,
            alert=alert,
            kind="closed",
            note=alert.action_taken.strip() or CARRIED_OVER,
            taken_by_id=alert.handled_by_id,
            taken_at=alert.handled_at or alert.raised_at,
        )
        for alert in handled.iterator()
    )


def backwards(apps, schema_editor):
    """The closing step goes back into the free text; earlier steps have nowhere to go back to."""
    SafeguardingStep = apps.get_model("contracts", "SafeguardingStep")
    for step in SafeguardingStep.objects.filter(kind="closed").select_related("alert"):
        alert = step.alert
        alert.handled_at, alert.handled_by_id = step.taken_at, step.taken_by_id
        alert.action_taken = "" if step.note == CARRIED_OVER else step.note
        alert.save(update_fields=["handled_at", "handled_by", "action_taken"])


class Migration(migrations.Migration):
    dependencies = [
        ('contracts', '0008_safeguarding_steps'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
