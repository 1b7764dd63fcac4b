"""Endpoint services: subscribe a URL, change it, rotate its secret, test it, remove it.

A new secret is returned once, to be shown once; afterwards only its encrypted form exists.
Rotating keeps the previous secret signing for a day (both signatures are sent), so a
receiver can switch secrets without losing a single delivery.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.fresh_sign_in import record_fields

from .addresses import check_url
from .events import EVENT_TYPES, TEST_EVENT, emit
from .models import Endpoint, Event
from .secrets import decrypt, encrypt, make_secret

ROTATION_OVERLAP = datetime.timedelta(hours=24)
MAX_ENDPOINTS = 20


def _validate(*, url: str, event_types: list[str], description: str) -> dict:
    errors: dict[str, str] = {}
    url = (url or "").strip()
    if not url:
        errors["url"] = "Give the receiver's URL."
    elif len(url) > 500:
        errors["url"] = "The URL is too long (500 characters at most)."
    else:
        try:
            check_url(url)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    types = list(dict.fromkeys(event_types or []))
    if not types:
        errors["event_types"] = "Choose at least one event."
    elif any(t not in EVENT_TYPES for t in types):
        errors["event_types"] = "Choose events from the list."
    if len(description or "") > 200:
        errors["description"] = "200 characters at most."
    if errors:
        raise ValidationError(errors)
    return {"url": url, "event_types": types, "description": (description or "").strip()}


@transaction.atomic
def endpoint_create(
    *, organization, created_by, url: str, event_types: list[str], description: str = ""
) -> tuple[Endpoint, str]:
    """Subscribe ``url`` to ``event_types``; returns the endpoint and its new secret."""
    fields = _validate(url=url, event_types=event_types, description=description)
    if Endpoint.objects.filter(organization=organization).count() >= MAX_ENDPOINTS:
        raise ValidationError(f"An organization can have {MAX_ENDPOINTS} endpoints at most.")
    secret = make_secret()
    endpoint = Endpoint.objects.create(
        organization=organization,
        created_by=created_by,
        secret_encrypted=encrypt(secret),
        **fields,
        **record_fields(created_by),
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *, endpoint: Endpoint, url: str, event_types: list[str], description: str, is_enabled: bool
) -> Endpoint:
    """Change what an endpoint receives. Enabling a disabled endpoint starts it afresh: its
    waiting deliveries go out again at their next turn."""
    fields = _validate(url=url, event_types=event_types, description=description)
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    changed = [*fields, "updated_at"]
    if is_enabled and not locked.is_enabled:
        locked.is_enabled = True
        locked.disabled_at = None
        locked.disabled_reason = ""
        locked.failing_since = None
        changed += ["is_enabled", "disabled_at", "disabled_reason", "failing_since"]
    elif not is_enabled and locked.is_enabled:
        locked.is_enabled = False
        locked.disabled_at = timezone.now()
        locked.disabled_reason = "Disabled by an owner."
        changed += ["is_enabled", "disabled_at", "disabled_reason"]
    locked.save(update_fields=changed)
    return locked


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, now: datetime.datetime | None = None) -> str:
    """A new secret signs from now on; the current one keeps signing for ROTATION_OVERLAP.
    Returns the new secret (shown once)."""
    now = now or timezone.now()
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = make_secret()
    locked.previous_secret_encrypted = encrypt(decrypt(locked.secret_encrypted))
    locked.previous_secret_expires_at = now + ROTATION_OVERLAP
    locked.secret_encrypted = encrypt(secret)
    locked.save(
        update_fields=[
            "previous_secret_encrypted",
            "previous_secret_expires_at",
            "secret_encrypted",
            "updated_at",
        ]
    )
    return secret


def endpoint_secrets(endpoint: Endpoint, *, now: datetime.datetime | None = None) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous one while its
    overlap lasts."""
    now = now or timezone.now()
    secrets = [decrypt(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires is not None and expires > now:
        secrets.append(decrypt(endpoint.previous_secret_encrypted))
    return secrets


def endpoint_send_test(*, endpoint: Endpoint, actor) -> Event:
    """Queue a ``webhook.test`` event to this endpoint only (to check the receiver)."""
    if not endpoint.is_enabled:
        raise ValidationError("Enable the endpoint to send it a test event.")
    return emit(
        organization=endpoint.organization,
        type=TEST_EVENT,
        data={
            "endpoint": {"id": str(endpoint.uuid), "url": endpoint.url},
            "sent_by": {"id": str(actor.uuid), "email": actor.email} if actor else None,
            "message": "A test event from Accord. Verify its signature with your secret.",
        },
        endpoints=[endpoint],
    )


def endpoint_delete(*, endpoint: Endpoint) -> None:
    """Remove an endpoint with its delivery log (events stay for other endpoints)."""
    Endpoint.objects.filter(pk=endpoint.pk).delete()
