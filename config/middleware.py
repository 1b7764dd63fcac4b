"""Installation-wide response rules: the Permissions-Policy header and a staff-only admin."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header value: ``camera=(), fullscreen=(self)`` from ``{"camera": [], ...}``."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): the browser features
    Accord never uses (camera, microphone, location, payment, USB, …) are off for our pages
    and anything embedded in them, so injected content cannot ask for them either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class StaffOnlyAdminMiddleware:
    """The admin site exists only for signed-in staff: anyone else gets the 404 of a page that
    does not exist (no admin login form to guess passwords at; staff sign in through the one
    login, with its rate limits and lockouts, then open ``settings.ADMIN_URL``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        admin_url = getattr(settings, "ADMIN_URL", "")
        self.prefix = f"/{admin_url.strip('/')}/" if admin_url else None

    def __call__(self, request):
        if self.prefix and request.path.startswith(self.prefix):
            user = getattr(request, "user", None)
            if not (user and user.is_authenticated and user.is_active and user.is_staff):
                raise Http404("Not found.")
        return self.get_response(request)
