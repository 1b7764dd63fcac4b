"""A whole page or only its htmx partial, and where to go after a write.

An htmx request that swaps part of the page gets only that ``{% partialdef %}``; every other
request gets the whole page. A history restore (the Back button after htmx pushed a URL) is an
htmx request too, but the browser replaces the whole document with the answer, so it must get
the whole page, or Back shows a lone table.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


def wants_partial(request) -> bool:
    """An htmx request that swaps part of the page (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(request, template: str, context: dict, *, partial: str, status: int = 200):
    """Render ``template`` whole, or only its ``partial`` for an htmx swap."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    return render(request, name, context, status=status)


def redirect_to(request, name: str, *args, **kwargs):
    """Redirect after a successful write; an htmx swap gets a client-side redirect."""
    url = reverse(name, args=args or None, kwargs=kwargs or None)
    if wants_partial(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def is_validation_only(request) -> bool:
    """An htmx request that checks one field as the person leaves it; nothing is saved."""
    return request.method == "POST" and request.headers.get("X-Validate-Only") == "1"


def render_validation(request, template: str, context: dict, form):
    """Re-render the form so the changed field is swapped in with its errors (200: feedback
    while typing, not a failed submission)."""
    form.is_valid()
    return render(request, f"{template}#form", context)
