"""Which account a login attempt names, for django-axes' lockouts.

Axes locks an account and IP pair after repeated failures. allauth calls ``authenticate`` with
``email=`` (not ``username=``), and axes looks for one form field name in the credentials, so
without this it recorded every attempt against an empty username: five wrong passwords for
five made-up addresses then locked a real user out of that IP. Reading the address itself, in
the same normalised form as the sign-in (trimmed, lower-case), makes each attempt count
against the address it named.
"""

from __future__ import annotations

_KEYS = ("email", "username", "login")
MAX_LENGTH = 254  # an e-mail address; axes stores the username in a bounded column


def attempted_account(request, credentials: dict | None = None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the address from the credentials, else from the form."""
    sources = [credentials or {}, getattr(request, "POST", None) or {}]
    for source in sources:
        for key in _KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()[:MAX_LENGTH]
    return None
