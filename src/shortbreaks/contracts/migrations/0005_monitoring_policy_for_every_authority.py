from django.db import migrations


def give_every_authority_its_monitoring_policy(apps, schema_editor):
    Authority = apps.get_model("core", "Authority")
    MonitoringPolicy = apps.get_model("contracts", "MonitoringPolicy")
    for authority in Authority.objects.exclude(pk__in=MonitoringPolicy.objects.values("authority")):
        MonitoringPolicy.objects.create(authority=authority, version=1)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_milestones"), ("core", "0001_initial")]

    operations = [migrations.RunPython(give_every_authority_its_monitoring_policy, migrations.RunPython.noop)]
