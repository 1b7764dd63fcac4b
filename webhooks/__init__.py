"""Signed webhooks (Standard Webhooks) per organization, delivered from an outbox.

- ``models``: endpoints (URL, event types, encrypted secret), events, deliveries, attempts
- ``events``: ``emit()`` and the list of event types; what other apps call
- ``secrets``: ``whsec_`` secrets, encrypted at rest with a key derived from ``SECRET_KEY``
- ``addresses``: refusing URLs that resolve to private, loopback or link-local addresses
- ``transport``: one HTTP POST to an address already checked (no DNS rebinding)
- ``signing``: the ``webhook-*`` headers, signed with the ``standardwebhooks`` package
- ``endpoints``: endpoint services (create, change, rotate the secret, test, delete)
- ``delivery``: claiming, sending, logging, backing off, resending, disabling
- ``tasks``: the Celery tasks (deliver one, send what is due)
- ``views``: the owners' settings pages (``/org/webhooks/``)
"""
