"""The organisations already here (put in by the council, or the demo) get the address of
their first location, and their first provider as main contact and administrator: an
organisation never has no administrator. A separate migration from the new columns, so no
rows are changed in the transaction that alters the table (PostgreSQL refuses that)."""

from django.db import migrations


def existing_are_approved(apps, schema_editor):
    Organisation = apps.get_model("directory", "Organisation")
    Location = apps.get_model("directory", "Location")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    for organisation in Organisation.objects.all().iterator():
        changed = []
        location = Location.objects.filter(organisation=organisation).order_by("name", "pk").first()
        if location is not None and not organisation.postcode:
            street = ", ".join(part for part in (location.address_1, location.address_2) if part)
            organisation.address_line, organisation.town = street[:300], location.city[:100]
            organisation.postcode = location.postcode[:10]
            changed += ["address_line", "town", "postcode"]
        members = RoleAssignment.objects.filter(organisation=organisation, role="provider").order_by("granted_at", "pk")
        first = members.select_related("user").first()
        if first is not None:
            if not organisation.contact_name:
                organisation.contact_name = (first.user.full_name or first.user.email)[:200]
                changed.append("contact_name")
            if not members.filter(administers=True).exists():
                first.administers = True
                first.save(update_fields=["administers"])
        if changed:
            organisation.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_organisation_registration"),
        ("accounts", "0005_people_sign_up_and_invitations"),
    ]

    operations = [migrations.RunPython(existing_are_approved, migrations.RunPython.noop)]
