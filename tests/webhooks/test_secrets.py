"""Endpoint secrets: whsec_ secrets usable by standardwebhooks, stored only encrypted with a
key derived from SECRET_KEY (and readable again after a SECRET_KEY rotation with fallbacks)."""

from __future__ import annotations

import pytest
from django.db import connection
from standardwebhooks import Webhook

from webhooks.endpoints import endpoint_create, endpoint_rotate_secret, endpoint_secrets
from webhooks.models import Endpoint
from webhooks.secrets import SecretUnreadable, decrypt, encrypt, make_secret

pytestmark = pytest.mark.django_db


def _stored() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Endpoint._meta.db_table}")  # noqa: S608 (a constant)
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_a_secret_is_a_standard_webhooks_secret():
    secret = make_secret()
    assert secret.startswith("whsec_") and len(secret) > 40
    Webhook(secret)  # accepted by the package receivers use


def test_the_secret_is_stored_only_encrypted(org, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    endpoint, secret = endpoint_create(
        organization=org, created_by=owner, url="http://127.0.0.1/h", event_types=["review.due"]
    )
    rotated = endpoint_rotate_secret(endpoint=endpoint)
    stored = _stored()
    for raw in (secret, rotated):
        assert raw not in stored and raw.removeprefix("whsec_") not in stored
    endpoint.refresh_from_db()
    assert endpoint_secrets(endpoint) == [rotated, secret]


def test_another_secret_key_cannot_read_it(settings):
    stored = encrypt("whsec_c2VjcmV0")
    settings.SECRET_KEY = "another-installation"
    with pytest.raises(SecretUnreadable):
        decrypt(stored)


def test_a_rotated_secret_key_with_fallbacks_still_reads_it(settings):
    old_key = settings.SECRET_KEY
    stored = encrypt("whsec_c2VjcmV0")
    settings.SECRET_KEY = "the-new-key"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert decrypt(stored) == "whsec_c2VjcmV0"
