from django.db import migrations

from shortbreaks.directory import reference


def install(apps, schema_editor):
    reference.install(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
