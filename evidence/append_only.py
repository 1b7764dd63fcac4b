"""The database's own refusal to change evidence, on SQLite and on PostgreSQL.

The evidence tables (``APPEND_ONLY_TABLES``) take INSERTs only. The ORM refuses edits too
(``models.AppendOnlyModel``), but the database is the guarantee: a raw UPDATE or DELETE aborts.

- PostgreSQL: a BEFORE UPDATE OR DELETE trigger per table (migrations 0003 and 0007); the
  application runs as a role that may only SELECT and INSERT there and owns nothing, so it can
  neither TRUNCATE nor switch the trigger off (``evidence.roles``).
- SQLite (the ``make run`` default): BEFORE UPDATE and BEFORE DELETE triggers that
  ``RAISE(ABORT, ...)`` (migration 0007). Whoever holds the SQLite file can still drop them:
  on SQLite the triggers stop mistakes and the application, not the file's owner; the signed
  checkpoints outside the database catch the rest.

``manage.py flush`` (and the test runner's flush between transactional tests) empties every
table, evidence included, as TRUNCATE does on PostgreSQL; ``sqlite_triggers_lifted`` lets it.
"""

from __future__ import annotations

import contextlib

APPEND_ONLY_TABLES = ("evidence_evidenceentry", "evidence_evidencecheckpoint")

_OPERATIONS = ("UPDATE", "DELETE")


def _trigger_name(table: str, operation: str) -> str:
    return f"{table}_refuse_{operation.lower()}"


def sqlite_create_sql(tables=APPEND_ONLY_TABLES) -> list[str]:
    """Statements creating the SQLite triggers on ``tables`` (idempotent)."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, op)} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'evidence is append-only: {op} refused on {table}'); END"
        for table in tables
        for op in _OPERATIONS
    ]


def sqlite_drop_sql() -> list[str]:
    """Statements dropping the SQLite triggers (idempotent)."""
    return [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, op)}"
        for table in APPEND_ONLY_TABLES
        for op in _OPERATIONS
    ]


# The PostgreSQL trigger function comes from migration 0003; this adds it to a table.
POSTGRES_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS evidence_append_only ON {table};
CREATE TRIGGER evidence_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION evidence_refuse_change();
"""


@contextlib.contextmanager
def sqlite_triggers_lifted(connection):
    """Drop the SQLite triggers for the duration, then create them again (the caller holds a
    transaction, so a failure leaves them in place). Nothing happens on other engines."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for statement in sqlite_drop_sql():
            cursor.execute(statement)
    try:
        yield
    finally:
        existing = set(connection.introspection.table_names())
        tables = [table for table in APPEND_ONLY_TABLES if table in existing]
        with connection.cursor() as cursor:
            for statement in sqlite_create_sql(tables):
                cursor.execute(statement)
