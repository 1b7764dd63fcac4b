"""allauth.mfa tied to Accord: authenticator secrets are encrypted at rest.

allauth stores a TOTP key and the seed of the recovery codes in the ``mfa_authenticator``
table; with the default adapter they are there in the clear, so whoever reads the database
could compute every second factor. They are encrypted with a key derived from
``MFA_ENCRYPTION_KEY`` (or, when unset, ``SECRET_KEY``), which lives in the environment.
"""

from __future__ import annotations

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings

from . import signals  # noqa: F401  (connects the receivers of allauth's signals)

PREFIX = "fernet:"


def _fernet() -> Fernet:
    """The cipher for authenticator secrets; a stable key per installation."""
    secret = getattr(settings, "MFA_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(f"accord.mfa:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """Encrypt a TOTP key or recovery-code seed before allauth stores it."""
        return PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        """Decrypt what ``encrypt`` stored; a value stored in the clear before encryption was
        switched on is read as it is."""
        if not encrypted_text.startswith(PREFIX):
            return encrypted_text
        return _fernet().decrypt(encrypted_text[len(PREFIX) :].encode()).decode()
