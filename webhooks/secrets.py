"""Endpoint secrets: ``whsec_`` and 32 random bytes in base64, encrypted at rest.

An HMAC secret must be known to sign, so unlike a token it cannot be kept as a hash. It is
stored encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under a key derived from
``SECRET_KEY`` with HKDF: someone who reads the database (a leaked backup) without the
settings cannot sign as Accord. ``SECRET_KEY_FALLBACKS`` are tried too, so rotating
``SECRET_KEY`` the Django way keeps existing secrets readable; rotating an endpoint's secret
re-encrypts it under the current key.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "whsec_"
SECRET_BYTES = 32
_INFO = b"accord webhooks: endpoint signing secrets"


class SecretUnreadable(Exception):
    """The stored secret was encrypted under a key this installation no longer has."""


def make_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _fernet_key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    try:
        return _fernet().decrypt(stored.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable("The endpoint's secret cannot be decrypted.") from exc


def hint(secret: str) -> str:
    """What a page may show of a secret: its prefix and first characters."""
    return secret[: len(PREFIX) + 4] + "…"
