"""The starting privacy notice and accessibility statement gain real links (asking for a copy
in the service, the ICO, the EASS). A council's page still holding the old starting words is
changed in those words only; anything a council wrote itself is left alone."""

from django.db import migrations

CHANGES = {
    "privacy": [
        (
            "You can ask for a copy of what we hold about you, ask us to correct it, or ask us to erase it "
            "where the law allows.",
            "A family can [ask for a copy of everything we hold about it](/family/information/) in this "
            "service, after signing in: we reply within a month. You can also ask us to correct what we hold, "
            "or to erase it where the law allows.",
        ),
        (
            "complain to the Information Commissioner's Office (ico.org.uk, 0303 123 1113).",
            "complain to the [Information Commissioner's Office (ICO)](https://ico.org.uk/make-a-complaint/) "
            "on 0303 123 1113.",
        ),
    ],
    "accessibility": [
        (
            "contact the Equality Advisory and Support Service (EASS).",
            "contact the [Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/).",
        )
    ],
}


def link_the_starting_words(apps, schema_editor):
    SitePage = apps.get_model("core", "SitePage")
    for page in SitePage.objects.filter(kind__in=CHANGES):
        body = page.body
        for old, new in CHANGES[page.kind]:
            body = body.replace(old, new)
        if body != page.body:
            SitePage.objects.filter(pk=page.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_site_pages")]

    operations = [migrations.RunPython(link_the_starting_words, migrations.RunPython.noop)]
