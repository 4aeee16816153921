"""The database itself refuses to change a ledger entry (and, on PostgreSQL, to delete one):
corrections are new entries that reverse old ones."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION families_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Ledger entries are never changed or deleted: post a reversal';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER families_ledger_append_only BEFORE UPDATE OR DELETE ON families_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION families_ledger_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS families_ledger_append_only ON families_ledgerentry;
DROP FUNCTION IF EXISTS families_ledger_append_only();
"""
# SQLite empties tables with DELETE between tests, so there only updates are refused.
SQLITE_FORWARD = """
CREATE TRIGGER families_ledger_append_only BEFORE UPDATE ON families_ledgerentry
BEGIN SELECT RAISE(ABORT, 'Ledger entries are never changed: post a reversal'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS families_ledger_append_only;"


def forward(apps, schema_editor):
    sql = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    schema_editor.execute(sql)


def backward(apps, schema_editor):
    sql = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
