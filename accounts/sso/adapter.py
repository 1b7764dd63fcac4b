"""allauth's social account adapter, tied to the organizations' own providers.

allauth's ``openid_connect`` provider does the protocol; its apps are built here, per
request, from ``SingleSignOn`` rows, with the client secret decrypted only in memory (a
``SocialApp`` row would keep it in the clear). A provider vouches only for its own domains:
its addresses there count as verified and find the existing user of that address; any other
address is refused.
"""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.shortcuts import redirect

from ..models import SingleSignOn
from . import services


def social_app(sso: SingleSignOn) -> SocialApp:
    """The allauth app of an organization's provider (never saved)."""
    domains = [d.domain for d in sso.domains.all()]
    return SocialApp(
        provider=services.PROVIDER,
        provider_id=sso.provider_id,
        name=f"{sso.organization.name} single sign-on",
        client_id=sso.client_id,
        secret=services.client_secret(sso),
        settings={
            "server_url": sso.issuer,
            "hidden": True,  # reached by e-mail domain, never listed as a button
            "verified_email": domains,
            "email_authentication": True,
            "oauth_pkce_enabled": True,
        },
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        """Only the organizations' providers: ``provider`` is allauth's provider name or one
        organization's ``provider_id``."""
        rows = SingleSignOn.objects.filter(enabled=True).select_related("organization")
        if provider and provider != services.PROVIDER:
            rows = rows.filter(provider_id=provider)
        if client_id:
            rows = rows.filter(client_id=client_id)
        return [social_app(sso) for sso in rows.prefetch_related("domains")]

    def can_authenticate_by_email(self, login, email: str) -> bool:
        """An existing user is found by address only for the provider's own domains."""
        sso = services.sso_for_provider(login.account.provider)
        return sso is not None and services.covers_email(sso, email)

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """The organization's provider signs up its own people, even where sign-up is
        closed."""
        sso = services.sso_for_provider(sociallogin.account.provider)
        return sso is not None and services.covers_email(sso, sociallogin.user.email)

    def pre_social_login(self, request, sociallogin) -> None:
        """Refuse an identity whose address is outside the provider's domains, and connecting
        a provider's identity to an account of another address (the provider signs in its
        own people as themselves, nothing else)."""
        sso = services.sso_for_provider(sociallogin.account.provider)
        if sociallogin.state.get("process") == "connect":
            messages.error(request, "Single sign-on cannot be connected to another account.")
            raise ImmediateHttpResponse(redirect("accounts:profile"))
        email = sociallogin.user.email or next(
            (e.email for e in sociallogin.email_addresses if e.primary), ""
        )
        if sso is None or not services.covers_email(sso, email):
            messages.error(
                request,
                "Your organization's sign-on service vouched for an address outside its "
                "domains, so Accord cannot sign you in with it.",
            )
            raise ImmediateHttpResponse(redirect("account_login"))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip() or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        if name and not user.full_name:
            user.full_name = name[:150]
        return user
