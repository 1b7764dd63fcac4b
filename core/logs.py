"""Log records as a person running Accord wants to read them (issue 18.9).

A refused request (a viewer's write: 403; a missing page: 404) is the caller's mistake, not
the server's: one warning line says which path, and no traceback follows it. A 500 keeps
its traceback.
"""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Drop the traceback of ``django.request`` records below 500; keep the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
