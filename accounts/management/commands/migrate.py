"""``manage.py migrate`` as the database's owner role.

The app runs as a runtime role that owns nothing, so it cannot alter tables or switch off the
evidence log's triggers. Changing the schema needs the owner: with ``MIGRATION_DATABASE_URL``
set, migrations run through that connection (the ``migrate`` alias) instead of the default
one. Without it (SQLite, tests, a single-role setup) this is Django's ``migrate`` unchanged.
"""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

OWNER_ALIAS = "migrate"


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Uses MIGRATION_DATABASE_URL (the owner role) when it is set."

    def handle(self, *args, **options):
        owner_configured = OWNER_ALIAS in settings.DATABASES
        if owner_configured and options.get("database", DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS:
            options["database"] = OWNER_ALIAS
        return super().handle(*args, **options)
