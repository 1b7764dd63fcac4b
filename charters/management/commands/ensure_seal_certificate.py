from django.conf import settings
from django.core.management.base import BaseCommand

from charters.seal import ensure_certificate


class Command(BaseCommand):
    help = (
        "Create the installation's self-signed charter seal certificate and key if missing "
        "(SEAL_CERT_FILE / SEAL_KEY_FILE). Configured files are left as they are."
    )

    def handle(self, *args, **options):
        if ensure_certificate():
            self.stdout.write(
                f"Created a self-signed seal certificate at {settings.SEAL_CERT_FILE}"
            )
        else:
            self.stdout.write(f"Seal certificate present at {settings.SEAL_CERT_FILE}")
