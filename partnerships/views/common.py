"""Small helpers shared by this app's views."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone


def wants_partial(request) -> bool:
    """An htmx request that will swap part of the page (not a history restore, which needs
    the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(request, template: str, context: dict, *, partial: str, status: int = 200):
    """Render the whole page, or only ``partial`` of it for htmx."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    return render(request, name, context, status=status)


def today(request):
    """Today in the organization's time zone (deadlines are days, not instants)."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo(request.organization.time_zone)
    return timezone.localdate(timezone=tz)


def redirect_to(request, name: str, **kwargs):
    """Redirect after a successful write; htmx gets a client-side redirect instead."""
    from django.shortcuts import redirect
    from django.urls import reverse
    from django_htmx.http import HttpResponseClientRedirect

    url = reverse(name, kwargs=kwargs)
    if wants_partial(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def is_validation_only(request) -> bool:
    """An htmx request that checks one field as the person leaves it; nothing is saved."""
    return request.method == "POST" and request.headers.get("X-Validate-Only") == "1"


def render_validation(request, template: str, context: dict, form):
    """Re-render the form so the changed field can be swapped in with its errors (status 200:
    this is feedback while typing, not a failed submission)."""
    form.is_valid()
    return render(request, f"{template}#form", context)
