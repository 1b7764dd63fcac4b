"""Django's ``flush``, able to empty the evidence tables on SQLite too.

On PostgreSQL flush TRUNCATEs, which the append-only row triggers do not see. On SQLite it
DELETEs row by row, which the triggers refuse; so the triggers are lifted for the flush and
created again in the same transaction. Flushing is destroying the whole database, done by whoever
owns it, never by the application.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

from evidence.append_only import sqlite_triggers_lifted


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        with transaction.atomic(using=database), sqlite_triggers_lifted(connections[database]):
            return super().handle(**options)
