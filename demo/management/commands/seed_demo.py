"""``manage.py seed_demo``: load the demo organizations Northwind and Globex (``make run``)."""

from django.core.management.base import BaseCommand

from demo.data.accounts import PASSWORD
from demo.loaders import seed


class Command(BaseCommand):
    help = "Create the demo organizations Northwind and Globex with realistic data (idempotent)."

    def handle(self, *args, **options):
        seed(report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Log in as owner@demo.test, manager@demo.test or viewer@demo.test "
                f"(Northwind) or other@demo.test (Globex); password: {PASSWORD}"
            )
        )
