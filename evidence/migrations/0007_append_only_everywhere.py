"""Refuse UPDATE and DELETE on the evidence tables on both engines.

SQLite gets BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT) on the entries and the
checkpoints; PostgreSQL, which has had the entries' trigger since 0003, gets it on the
checkpoints too. See ``evidence.append_only``.
"""

from django.db import migrations

from evidence.append_only import POSTGRES_TRIGGER_SQL, sqlite_create_sql, sqlite_drop_sql

CHECKPOINTS = "evidence_evidencecheckpoint"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in sqlite_create_sql():
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER_SQL.format(table=CHECKPOINTS), params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in sqlite_drop_sql():
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS evidence_append_only ON {CHECKPOINTS}")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0006_backfill_file_digests")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
