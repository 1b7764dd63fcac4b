from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .scoping import current_membership
from .two_factor import needs_second_factor


class OrganizationMiddleware:
    """Attach the current organization and membership to every request (one query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = current_membership(request)
        request.membership = membership
        request.organization = membership.organization if membership else None
        return self.get_response(request)


class TwoFactorPolicyMiddleware:
    """Send a member the organization's policy covers, and who has no second factor, to set
    one up before anything else (``accounts.two_factor``).

    The sign-in pages themselves (allauth's, under ``/accounts/``: two-factor setup,
    re-authentication, log out, password, e-mail) and static files stay reachable, or nobody
    could comply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._exempt(request.path) or not needs_second_factor(
            getattr(request, "membership", None)
        ):
            return self.get_response(request)
        messages.warning(
            request,
            f"{request.organization.name} requires two-factor authentication. Set up an "
            "authenticator app or a passkey to continue.",
        )
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("mfa_index")
            return response
        return redirect("mfa_index")

    @staticmethod
    def _exempt(path: str) -> bool:
        allauth_root = reverse("account_login").rsplit("login/", 1)[0]
        return path.startswith((allauth_root, settings.STATIC_URL))
