"""Writing out the few statements the rush runs under its locks, where an ORM query costs more
in Python than PostgreSQL takes to answer it. Names and values go through the models' fields,
which own the schema, so the statements hold on PostgreSQL and SQLite alike."""

from django.db import connection


def name(meta, field: str | None = None) -> str:
    """A model's table, or one of its columns, quoted."""
    return connection.ops.quote_name(meta.db_table if field is None else meta.get_field(field).column)


def values(field, items) -> tuple[str, list]:
    """Placeholders and database values for `IN (...)` on a field."""
    prepared = [field.get_db_prep_value(item, connection) for item in items]
    return ", ".join(["%s"] * len(prepared)), prepared


def value(field, item):
    return field.get_db_prep_value(item, connection)


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
