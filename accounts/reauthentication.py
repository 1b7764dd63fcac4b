"""Re-authentication before commitments (SPEC §12).

Approving a decision, recording a go / no-go or an unwind, sending or signing a charter,
changing roles, removing members, creating API tokens or webhook endpoints, and changing
single sign-on commit the organization; a session left open on someone's laptop must not be
enough. allauth asks for the password (or the second factor) again when the last
confirmation is older than ``ACCOUNT_REAUTHENTICATION_TIMEOUT``, keeps the posted form, and
replays it once confirmed.

``ACCORD_REAUTHENTICATE_COMMITMENTS`` switches it (on by default; off in the test settings,
like the rate limits, and the tests of this feature switch it on).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from allauth.account import app_settings as allauth_account_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from django.conf import settings

from .fresh_sign_in import FreshSignIn, Method, confirmed_by


def _enabled(request) -> bool:
    return getattr(settings, "ACCORD_REAUTHENTICATE_COMMITMENTS", True)


def commitment(view):
    """Ask for a fresh authentication before a POST to ``view``; a GET shows the page."""
    return reauthentication_required(_recorded(view), allow_get=True, enabled=_enabled)


def commitment_when(is_commitment: Callable) -> Callable:
    """Like ``commitment``, for a view where only some posts commit the organization (a
    status change commits it when it unwinds the partnership); ``is_commitment(request)``
    tells which."""

    def decorate(view):
        return reauthentication_required(
            _recorded(view),
            allow_get=True,
            enabled=lambda request: _enabled(request) and is_commitment(request),
        )

    return decorate


def freshly_authenticated(request) -> bool:
    """Whether the person confirmed who they are within the re-authentication window, for
    an audit trail or timeline that records the commitment was made with a fresh sign-in."""
    return bool(
        getattr(request, "user", None)
        and request.user.is_authenticated
        and did_recently_reauthenticate(request)
    )


def fresh_sign_in(request) -> FreshSignIn | None:
    """When and how the person last re-authenticated, if it is still within the window
    (None otherwise): what the records of a commitment say about it."""
    if not freshly_authenticated(request):
        return None
    confirmations = [
        record
        for record in get_authentication_records(request, request.user)
        if record.get("reauthenticated")
        and record.get("method") in allauth_account_settings.REAUTHENTICATION_METHODS
        and record.get("method") in Method.values
    ]
    if not confirmations:
        return None
    last = confirmations[-1]
    return FreshSignIn(
        user_id=request.user.pk,
        at=datetime.fromtimestamp(last["at"], tz=UTC),
        method=last["method"],
    )


def _recorded(view):
    """Run ``view`` with its fresh sign-in known to the audit and timeline writers, so the
    rows the commitment writes say it was confirmed (and nothing when it was not)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with confirmed_by(fresh_sign_in(request)):
            return view(request, *args, **kwargs)

    return wrapper
