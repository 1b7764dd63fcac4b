"""Create the installation's seal keyring (a root and a first seal key) if there is none."""

from django.core.management.base import BaseCommand

from core import keyring


class Command(BaseCommand):
    help = (
        "Create the installation's seal keyring (root certificate and a first seal key) in "
        "SEAL_KEYRING_DIR if it has none. An existing keyring is left as it is."
    )

    def handle(self, *args, **options):
        created = keyring.ensure_keyring()
        where = keyring.keyring_dir()
        if created:
            self.stdout.write(
                f"Created the seal keyring at {where} (key {keyring.current_key_id()})"
            )
        else:
            self.stdout.write(f"Seal keyring present at {where} (key {keyring.current_key_id()})")
