"""A service's ``ValidationError`` shown on the form whose input caused it.

Services validate the rules that need the database (a gate, a duplicate, a date against the
phase) and raise ``ValidationError``, keyed by field where they can. The view shows those
errors next to the fields they name; anything that names no field of the form becomes a
form-wide error, so nothing a service says is lost.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_validation_error(form, exc: ValidationError) -> None:
    """Add every message of ``exc`` to ``form``, by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
