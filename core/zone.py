"""The viewer's time zone, made the active zone for every request.

Pages show instants (a signature, an upload, an e-mail sent) in the zone of whoever reads
them: the zone the person chose in their settings, else their organization's, else UTC. The
middleware runs after the organization is attached; it reads attributes only, so ``core``
stays below every app.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

DEFAULT = "UTC"


def viewer_zone(request) -> ZoneInfo:
    """The person's own zone when they set one, else the organization's, else UTC."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    organization = getattr(request, "organization", None)
    for name in (chosen, getattr(organization, "time_zone", "")):
        if name and name != DEFAULT:
            try:
                return ZoneInfo(name)
            except (KeyError, ValueError):
                continue
    return ZoneInfo(DEFAULT)


class ViewerTimeZoneMiddleware:
    """Activate ``viewer_zone`` for the request (and nothing after it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(viewer_zone(request))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
