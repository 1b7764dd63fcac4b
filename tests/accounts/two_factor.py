"""Helpers for the two-factor tests: an authenticator app written from RFC 6238, and signing
in through the real pages (so allauth records the authentication, as in a browser)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

PASSWORD = "accord-test-pass"


def totp(secret: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows for ``secret`` at ``at`` (RFC 6238, HMAC-SHA1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def verified(user):
    """allauth.mfa adds a factor only for a verified address (else whoever typed a wrong
    address at sign-up could lock its owner out)."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def sign_in(client: Client, email: str, password: str = PASSWORD):
    """POST the login form; returns the response (a redirect to the next stage or the app)."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client: Client, password: str = PASSWORD):
    """Confirm the password again (allauth counts only an explicit re-authentication as
    fresh, not the sign-in itself)."""
    return client.post(reverse("account_reauthenticate"), {"password": password})


def activate_totp(client: Client) -> str:
    """Set up an authenticator app on the signed-in ``client``; returns its secret."""
    assert reauthenticate(client).status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, (page.status_code, page.get("Location"))
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert done.status_code == 302, done.content.decode()[:2000]
    return secret
