"""Tell integrations that something happened: ``emit(organization=…, type=…, data=…)``.

The apps' services call this inside their own transaction when a change is made (a phase
changed, evidence recorded, a charter executed). Delivering the event (webhooks) sits above
every app in the layers, so the services cannot import it; instead this module hands the
event to the handler named in ``settings.EVENT_HANDLER`` (``webhooks.events.emit``), found
when the first event is emitted. With no handler configured, events go nowhere.

``ref`` builds the small ``{"id", "name"}`` objects the payloads use, as the REST API names
objects by UUID.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.module_loading import import_string


@functools.cache
def _handler(dotted: str):
    return import_string(dotted)


def emit(*, organization, type: str, data: dict) -> None:
    """Hand event ``type`` with ``data`` to the configured handler (in the caller's
    transaction, so the event exists exactly when the change does)."""
    dotted = getattr(settings, "EVENT_HANDLER", "")
    if dotted:
        _handler(dotted)(organization=organization, type=type, data=data)


def ref(obj, **extra) -> dict:
    """``{"id": <uuid>, "name": <str>}`` for any model with a ``uuid``, plus ``extra``."""
    if obj is None:
        return None
    label = getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)
    return {"id": str(obj.uuid), "name": str(label), **extra}


def partnership_ref(partnership) -> dict:
    """The partnership with its partner, as every partnership-related event names it."""
    return ref(partnership, partner=ref(partnership.partner))
