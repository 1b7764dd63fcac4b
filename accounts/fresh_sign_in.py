"""What a record says about the fresh sign-in that confirmed a commitment (SPEC §12).

A commitment (approving a decision, a go / no-go, an unwind, sending or signing a charter,
an API token, a webhook endpoint) asks the person to confirm who they are again; the audit
trail and the timeline then say that it happened, when and how, so a reader can tell a
confirmed commitment from one made in a session left open.

The commitment views set the fresh sign-in for the duration of the request
(``accounts.reauthentication``); the writers of audit and timeline rows read it here with
``current()``. Services stay request-free: what they see is this small value, never the
request, and a task or a command sees ``None``, so a record never claims a sign-in that did
not happen.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How the person confirmed (allauth's re-authentication methods)."""

    PASSWORD = "password", _("password")
    SECOND_FACTOR = "mfa", _("second factor")
    CODE = "code", _("e-mailed code")


@dataclass(frozen=True)
class FreshSignIn:
    """When and how the person (``user_id``) last confirmed who they are."""

    user_id: int
    at: datetime
    method: str

    def fields(self) -> dict:
        """The values of a record's ``reauthenticated_at`` / ``reauthenticated_with``."""
        return {"reauthenticated_at": self.at, "reauthenticated_with": self.method}


NONE_FIELDS = {"reauthenticated_at": None, "reauthenticated_with": ""}

_current: ContextVar[FreshSignIn | None] = ContextVar("accord_fresh_sign_in", default=None)


def current() -> FreshSignIn | None:
    """The fresh sign-in behind the commitment being made now (None: none, or not a
    commitment view)."""
    return _current.get()


def record_fields(actor) -> dict:
    """What a new audit or timeline row by ``actor`` stores about the fresh sign-in: only a
    row of the person who confirmed says so (not the phase change an approval applies in the
    name of the person who proposed it, nor an automatic step)."""
    fresh = current()
    if fresh is None or actor is None or getattr(actor, "pk", None) != fresh.user_id:
        return dict(NONE_FIELDS)
    return fresh.fields()


@contextlib.contextmanager
def confirmed_by(fresh: FreshSignIn | None):
    """Let the records written inside the block say they were confirmed by ``fresh``."""
    token = _current.set(fresh)
    try:
        yield
    finally:
        _current.reset(token)


def method_field():
    """The ``reauthenticated_with`` column every recording model shares."""
    return models.CharField(max_length=8, blank=True, choices=Method.choices)
