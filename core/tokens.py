"""Secret tokens and one-time codes.

A token in a link (signing, invitation, calendar feed, partner room) is at least 256 random
bits, handed to its owner once and stored only as its SHA-256: someone who reads the database
learns nothing they can use. A token of that size needs no key or slow hash; guessing it is
hopeless. A short one-time code is different: a million candidates can be tried offline against
a plain hash, so codes are hashed with a keyed HMAC (``SECRET_KEY``) and a context that ties the
code to what it unlocks.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 32  # 256 bits


def make_token(nbytes: int = TOKEN_BYTES) -> str:
    """A fresh URL-safe random token (``nbytes`` of entropy, 256 bits by default)."""
    if nbytes < 16:
        raise ValueError("A secret token needs at least 128 bits.")
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Whether ``token`` is the one whose hash was stored (constant-time comparison)."""
    return hmac.compare_digest(hash_token(token), stored_hash)


def make_code(digits: int = 6) -> str:
    """A numeric one-time code of ``digits`` digits, leading zeros kept."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def hash_code(code: str, *, context: str) -> str:
    """The stored form of a one-time code: HMAC-SHA256 keyed by ``SECRET_KEY`` over the
    context (for example the signer's id) and the code."""
    key = settings.SECRET_KEY.encode()
    message = f"{context}:{code.strip()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_matches(code: str, stored_hash: str, *, context: str) -> bool:
    """Whether ``code`` matches the stored hash for ``context`` (constant-time)."""
    return hmac.compare_digest(hash_code(code, context=context), stored_hash)
