"""Receivers for allauth's signals.

Imported by ``accounts.adapters`` (allauth loads the adapter before any of its flows sends a
signal), so they are connected whenever allauth is in use.
"""

from allauth.account.signals import password_reset
from django.dispatch import receiver

# allauth keeps the reset link's key in the session while the new password is typed (so the
# key leaves the address bar); once the reset is done it is a live secret nobody needs, and
# a stored session is readable by whoever reads the database.
RESET_KEY_SESSION_KEY = "_password_reset_key"


@receiver(password_reset, dispatch_uid="accord-forget-reset-key")
def forget_reset_key(sender, request, user, **kwargs) -> None:
    """Drop the used reset key from the session, so no stored session keeps it."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(RESET_KEY_SESSION_KEY, None)
