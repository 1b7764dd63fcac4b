import importlib

from django.core.management.base import BaseCommand

from accounts import demo

# Each app's demo module exposes seed(orgs, users) and must be safe to run twice.
APP_DEMOS = ["partnerships", "fitcards", "evidence", "charters", "reviews"]


class Command(BaseCommand):
    help = "Create the demo organizations Northwind and Globex with realistic data (idempotent)."

    def handle(self, *args, **options):
        orgs, users = demo.seed()
        for app in APP_DEMOS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(orgs, users)
            self.stdout.write(f"  demo data: {app}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Log in as owner@demo.test, manager@demo.test or viewer@demo.test "
                f"(Northwind) or other@demo.test (Globex); password: {demo.DEMO_PASSWORD}"
            )
        )
