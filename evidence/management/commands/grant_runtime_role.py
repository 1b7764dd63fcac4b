"""Give the application's PostgreSQL runtime role its privileges (run as the owner role)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evidence.roles import RoleError, grant_runtime_role


class Command(BaseCommand):
    help = (
        "Grant ROLE USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on every table except the "
        "evidence tables (SELECT/INSERT only) and USAGE on sequences. Run after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            with transaction.atomic(using=options["database"]):
                statements = grant_runtime_role(options["role"], using=options["database"])
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{options['role']}: {len(statements)} statements applied.")
