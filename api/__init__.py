"""The REST API (django-ninja) under ``/api/v1/``, and the organization API tokens it accepts.

- ``models``: ``ApiToken`` (stored only as a hash, scoped read or write, expiring, revocable)
- ``tokens``: the token services (create, revoke, authenticate)
- ``auth``: the bearer authentication every operation runs, the per-token rate limit and the
  write check
- ``problems``: every error as ``application/problem+json``
- ``pagination``: opaque cursors over each list's ordering (stable under inserts)
- ``schemas/`` and ``routes/``: one module per resource; routes call the same selectors,
  forms and service functions as the pages
- ``main``: the ``NinjaAPI`` itself (OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``)
- ``views``: the owners' settings page for tokens (``/org/api-tokens/``)
"""
