"""Spot purchases and in-house agreements once copied the council's internal justification into
the contract's conditions, which the provider reads: take it out again (it stays on the
opportunity, for council staff)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    for contract in Contract.objects.filter(kind__in=["spot", "in_house"], conditions__startswith="Justification: "):
        if contract.opportunity_id and contract.conditions == f"Justification: {contract.opportunity.justification}":
            contract.conditions = ""
            contract.save(update_fields=["conditions"])


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0010_safeguarding_alert_free_text_removed"),
        ("procurement", "0016_procurement_policy_for_every_authority"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
