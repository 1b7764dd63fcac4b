"""A provider's client secret, encrypted at rest.

The secret must be sent to the provider, so it cannot be kept as a hash. It is encrypted with
Fernet under a key derived from ``SECRET_KEY`` with HKDF (its own ``info``, so it shares no
key with other secrets); ``SECRET_KEY_FALLBACKS`` keep it readable through a key rotation.
Whoever reads a leaked backup without the settings cannot act as the organization's client.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"accord accounts: single sign-on client secrets"


class SecretUnreadable(Exception):
    """The stored secret was encrypted under a key this installation no longer has."""


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
                        key.encode("utf-8")
                    )
                )
            )
            for key in keys
        ]
    )


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    try:
        return _fernet().decrypt(stored.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable("The client secret cannot be decrypted.") from exc
