"""Receivers for allauth's signals.

Imported by ``accounts.adapters`` and ``accounts.mfa`` (allauth loads its adapters before any
of its flows sends a signal), so they are connected whenever allauth is in use.
"""

from allauth.account.signals import password_reset
from allauth.mfa.signals import authenticator_removed
from allauth.usersessions.internal.flows import sessions
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


@receiver(authenticator_removed, dispatch_uid="accord-end-sessions-on-factor-removed")
def end_other_sessions_when_a_factor_is_removed(sender, request, user, **kwargs) -> None:
    """Removing a second factor ends the user's other sessions, like a password change: a
    factor is removed because it may be in the wrong hands, and so may those sessions."""
    if request is not None:
        sessions.end_other_sessions(request, user)
