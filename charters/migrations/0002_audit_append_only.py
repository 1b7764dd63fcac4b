"""PostgreSQL only: the database refuses UPDATE and DELETE on audit events (append-only).

``TRUNCATE`` (test-database flushes) is not a row operation and is unaffected.
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION charters_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'charter audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS charters_audit_append_only ON charters_auditevent;
CREATE TRIGGER charters_audit_append_only
    BEFORE UPDATE OR DELETE ON charters_auditevent
    FOR EACH ROW EXECUTE FUNCTION charters_audit_refuse_change();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS charters_audit_append_only ON charters_auditevent;
DROP FUNCTION IF EXISTS charters_audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("charters", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
