"""Trigram indexes for the partner list's search (PostgreSQL only).

The search is ``icontains`` on the partner's name and category and the partnership's name,
which Django writes as ``UPPER(col::text) LIKE UPPER('%text%')``: no b-tree index can serve a
match in the middle of a word, so at ten thousand partners every search read every row. A GIN
index of ``pg_trgm`` trigrams over the same ``UPPER(col::text)`` expression serves exactly that
condition. ``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database's owner may create
it. Where it cannot be created the migration says so and leaves the search unindexed, slower
but correct. SQLite has no such index; its databases are small.
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

INDEXES = [
    ("partnerships_partner_name_trgm", "partnerships_partner", "name"),
    ("partnerships_partner_category_trgm", "partnerships_partner", "category"),
    ("partnerships_partnership_name_trgm", "partnerships_partnership", "name"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        log.warning("pg_trgm is not available (%s); the partner search stays unindexed.", error)
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) '
            "gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_missed_review_cycles_flows_launch_plans")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
