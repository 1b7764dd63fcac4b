"""Tell integrations that something happened: ``emit(organization=…, type=…, data=…)``.

The apps' services call this inside their own transaction when a change is made (a phase
changed, evidence recorded, a charter executed). Delivering the event (webhooks) sits above
every app in the layers, so the services cannot import it; instead this module hands the
event to the handler named in ``settings.EVENT_HANDLER`` (``webhooks.events.emit``), found
when the first event is emitted. With no handler configured, events go nowhere.

``emit_many`` is the same for a batch (a cycle's reviews): the handler named in
``settings.EVENT_MANY_HANDLER`` looks the subscribers up once, and reads the items only when
someone wants the type, so a cycle of 10,000 reviews costs one query when nobody listens.

``ref`` builds the small ``{"id", "name"}`` objects the payloads use, as the REST API names
objects by UUID.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

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


def emit_many(*, organization, type: str, items: Iterable[dict]) -> None:
    """Hand one event ``type`` per item of ``items`` (each item is an event's ``data``).

    ``items`` may be a generator: the batch handler consumes it only when an endpoint wants
    the type. Without a batch handler each item goes through ``emit``.
    """
    dotted = getattr(settings, "EVENT_MANY_HANDLER", "")
    if dotted:
        _handler(dotted)(organization=organization, type=type, items=items)
        return
    if getattr(settings, "EVENT_HANDLER", ""):
        for data in items:
            emit(organization=organization, type=type, data=data)


def ref(obj, **extra) -> dict:
    """``{"id": <uuid>, "name": <str>}`` for any model with a ``uuid``, plus ``extra``."""
    if obj is None:
        return None
    label = getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)
    return {"id": str(obj.uuid), "name": str(label), **extra}


def partnership_ref(partnership) -> dict:
    """The partnership with its partner, as every partnership-related event names it."""
    return ref(partnership, partner=ref(partnership.partner))
