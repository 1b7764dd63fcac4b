"""PostgreSQL only: keep the search document in a stored generated column.

Computing ``to_tsvector`` per row at query time made a search page re-parse every candidate
entry's text; a stored column is computed once, on INSERT (entries are never updated), and
indexed with GIN. The column is not part of the Django model: nothing writes it but PostgreSQL.
"""

from django.db import migrations

FORWARD_SQL = """
DROP INDEX IF EXISTS evidence_entry_search;
ALTER TABLE evidence_evidenceentry ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig,
            coalesce(claim, '') || ' ' || coalesce(artifact, '') || ' ' || coalesce(limits, ''))
    ) STORED;
CREATE INDEX IF NOT EXISTS evidence_entry_search_vector
    ON evidence_evidenceentry USING gin (search_vector);
"""

BACKWARD_SQL = """
DROP INDEX IF EXISTS evidence_entry_search_vector;
ALTER TABLE evidence_evidenceentry DROP COLUMN IF EXISTS search_vector;
CREATE INDEX IF NOT EXISTS evidence_entry_search ON evidence_evidenceentry USING gin (
    to_tsvector('english'::regconfig,
        coalesce(claim, '') || ' ' || coalesce(artifact, '') || ' ' || coalesce(limits, ''))
);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_append_only_and_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
