"""Small helpers the fit card views share."""

from __future__ import annotations

from django.http import Http404

# Revision numbers are stored as PostgreSQL integers: anything larger names no revision.
MAX_REVISION = 2**31 - 1


def revision_param(request, name: str) -> int:
    """The revision number in query parameter ``name``; 404 when it is not one."""
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        raise Http404("Choose a revision.") from None
    if not 1 <= value <= MAX_REVISION:
        raise Http404("No such revision.")
    return value
