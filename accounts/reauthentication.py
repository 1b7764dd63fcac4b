"""Re-authentication before commitments (SPEC §12).

Approving a decision, recording a go / no-go, sending or signing a charter, changing roles,
removing members, creating API tokens or webhook endpoints commit the organization; a
session left open on someone's laptop must not be enough. allauth asks for the password (or
the second factor) again when the last confirmation is older than
``ACCOUNT_REAUTHENTICATION_TIMEOUT``, keeps the posted form, and replays it once confirmed.

``ACCORD_REAUTHENTICATE_COMMITMENTS`` switches it (on by default; off in the test settings,
like the rate limits, and the tests of this feature switch it on).
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.conf import settings


def _enabled(request) -> bool:
    return getattr(settings, "ACCORD_REAUTHENTICATE_COMMITMENTS", True)


def commitment(view):
    """Ask for a fresh authentication before a POST to ``view``; a GET shows the page."""
    return reauthentication_required(view, allow_get=True, enabled=_enabled)
