"""Make the next seal key current; charters sealed with older keys keep verifying."""

from django.core.management.base import BaseCommand, CommandError

from core import keyring


class Command(BaseCommand):
    help = (
        "Issue a new seal key from the keyring's root and make it current. Older keys stay "
        "trusted, so every executed charter sealed with them still verifies and names its key."
    )

    def handle(self, *args, **options):
        try:
            previous = keyring.current_key_id()
        except keyring.KeyringMissing:
            previous = None
        try:
            key_id = keyring.rotate()
        except keyring.KeyringMissing as exc:
            raise CommandError(str(exc)) from None
        before = f" (was {previous})" if previous else ""
        self.stdout.write(f"The current seal key is now {key_id}{before}.")
