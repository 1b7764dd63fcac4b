"""Deployment checks for sign-in (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sign_up_hides_registered_addresses(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """allauth can keep sign-up from revealing registered addresses only when every new address
    is verified by e-mail first; with optional verification it must say "already registered"."""
    if getattr(settings, "ACCOUNT_EMAIL_VERIFICATION", "") == "mandatory":
        return []
    return [
        checks.Warning(
            "Sign-up tells visitors which e-mail addresses are registered.",
            hint="Set ACCOUNT_EMAIL_VERIFICATION=mandatory (the production default).",
            id="accounts.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def admin_has_its_own_path(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The admin is mounted only at ``ADMIN_URL``; in production there is no default path."""
    if getattr(settings, "ADMIN_URL", ""):
        return []
    return [
        checks.Warning(
            "The admin site is switched off: ADMIN_URL is not set.",
            hint="Set ADMIN_URL to a path of your own (e.g. ops-3f9c2a/) to reach it as staff.",
            id="accounts.W002",
        )
    ]
