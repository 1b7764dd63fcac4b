"""PostgreSQL only: refuse UPDATE and DELETE on the evidence table, and index full-text search.

The trigger is the database's own guarantee that the log is append-only; ``TRUNCATE`` (used
only by test-database flushes) is not a row operation and is unaffected.
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION evidence_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evidence entries are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS evidence_append_only ON evidence_evidenceentry;
CREATE TRIGGER evidence_append_only
    BEFORE UPDATE OR DELETE ON evidence_evidenceentry
    FOR EACH ROW EXECUTE FUNCTION evidence_refuse_change();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS evidence_append_only ON evidence_evidenceentry;
DROP FUNCTION IF EXISTS evidence_refuse_change();
"""

# Replaced by a stored search column in migration 0004.
SEARCH_INDEX_SQL = """
CREATE INDEX IF NOT EXISTS evidence_entry_search ON evidence_evidenceentry USING gin (
    to_tsvector('english'::regconfig,
        coalesce(claim, '') || ' ' || coalesce(artifact, '') || ' ' || coalesce(limits, ''))
);
"""

DROP_SEARCH_INDEX_SQL = "DROP INDEX IF EXISTS evidence_entry_search;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGGER_SQL, params=None)
    schema_editor.execute(SEARCH_INDEX_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_TRIGGER_SQL)
    schema_editor.execute(DROP_SEARCH_INDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_evidence_policy")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
