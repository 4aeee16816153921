"""Indexes for the directory search at a region's size (docs/architecture.md, Search): the
locations' bounding box, and the search's filters and order covered by one index.

On PostgreSQL, a generated column holds the searchable texts upper-cased, with a trigram index,
so a typed word is matched as a substring (as on SQLite, same results) without upper-casing
every description on every search. pg_trgm ships with PostgreSQL and is a trusted extension, so
the database's owner may create it. SQLite, the embedded default, compares the texts directly."""

from django.db import migrations, models


def add_search_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The three texts a typed word is looked for in, upper-cased once when the row is written
    # rather than on every search (selectors/search.py). A word has no spaces, so it cannot
    # match across the joins.
    schema_editor.execute(
        "ALTER TABLE directory_service ADD COLUMN search_text text GENERATED ALWAYS AS "
        "(UPPER(name::text || ' ' || description || ' ' || send_support)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX service_search_text_trigram ON directory_service USING gin (search_text gin_trgm_ops)"
    )


def drop_search_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE directory_service DROP COLUMN IF EXISTS search_text")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_authority_org_identifier"),
        ("directory", "0009_listing_policy"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="location",
            index=models.Index(fields=["authority", "latitude", "longitude"], name="location_bounding_box"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["authority", "name", "id"],
                include=("organisation", "status", "assured_on", "minimum_age", "maximum_age", "is_free"),
                name="service_public_listing",
            ),
        ),
        migrations.RunPython(add_search_text, drop_search_text),
    ]
