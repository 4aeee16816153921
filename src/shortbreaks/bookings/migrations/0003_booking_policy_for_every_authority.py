from django.db import migrations


def give_every_authority_its_booking_policy(apps, schema_editor):
    Authority = apps.get_model("core", "Authority")
    BookingPolicy = apps.get_model("bookings", "BookingPolicy")
    for authority in Authority.objects.exclude(pk__in=BookingPolicy.objects.values("authority")):
        BookingPolicy.objects.create(authority=authority)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_request_rounds"), ("core", "0001_initial")]

    operations = [migrations.RunPython(give_every_authority_its_booking_policy, migrations.RunPython.noop)]
