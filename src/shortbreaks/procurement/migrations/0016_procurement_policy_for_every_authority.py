from django.db import migrations


def give_every_authority_its_procurement_policy(apps, schema_editor):
    Authority = apps.get_model("core", "Authority")
    ProcurementPolicy = apps.get_model("procurement", "ProcurementPolicy")
    for authority in Authority.objects.exclude(pk__in=ProcurementPolicy.objects.values("authority")):
        ProcurementPolicy.objects.create(authority=authority)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0015_joint_commissioning"), ("core", "0001_initial")]

    operations = [migrations.RunPython(give_every_authority_its_procurement_policy, migrations.RunPython.noop)]
