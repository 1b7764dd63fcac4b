"""The login form routes an organization's e-mail domains to its provider, and the owner's
single sign-on settings form."""

from __future__ import annotations

import requests
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from ..models import Role, SingleSignOn
from . import services


class LoginForm(AllauthLoginForm):
    """E-mail and password; an address of a domain with single sign-on needs no password
    and goes to its organization's provider instead."""

    single_sign_on: SingleSignOn | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password"]
        password.required = False
        password.widget.attrs.pop("required", None)
        password.help_text = (
            "Signing in through your organization's single sign-on? Leave it empty."
        )
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"

    def clean(self):
        cleaned = forms.Form.clean(self)
        if self._errors:
            return cleaned
        self.single_sign_on = services.sso_for_email(cleaned.get("login"))
        if self.single_sign_on is not None:
            return cleaned
        if not cleaned.get("password"):
            self.add_error("password", "Enter your password.")
            return cleaned
        return super().clean()

    def login(self, request, redirect_url=None):
        if self.single_sign_on is None:
            return super().login(request, redirect_url)
        return start_single_sign_on(
            request, self.single_sign_on, self.cleaned_data["login"], redirect_url
        )


def start_single_sign_on(request, sso: SingleSignOn, email: str, next_url=None):
    """Send the browser to the organization's provider (``login_hint`` fills the address in).

    The answer to the login form is a page that moves on to the provider by itself (and has a
    link), not a redirect: our Content-Security-Policy allows forms to post only to us
    (``form-action 'self'``), which a browser applies to the redirects after the post too.
    A provider that cannot be reached is a message on the login page, not an error page.
    """
    adapter = get_social_adapter(request)
    try:
        provider = adapter.get_provider(request, sso.provider_id)
        redirect_to_provider = provider.redirect(
            request,
            "login",
            next_url=next_url,
            auth_params={"login_hint": email},
        )
        return render(
            request,
            "account/sso_redirect.html",
            {"provider_url": redirect_to_provider["Location"], "sso": sso},
        )
    except (requests.RequestException, ValueError, KeyError):
        messages.error(
            request,
            f"The sign-on service of {sso.organization.name} cannot be reached right now. "
            "Try again in a moment, or ask an owner to check its issuer URL.",
        )
        return redirect("account_login")


class SingleSignOnForm(forms.Form):
    issuer = forms.URLField(
        label="Issuer URL",
        max_length=300,
        help_text="Your provider's issuer, e.g. https://login.example.com/realms/staff "
        "(Accord reads its /.well-known/openid-configuration).",
    )
    client_id = forms.CharField(label="Client ID", max_length=200)
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted and never shown again. Leave empty to keep the current "
        "one, or to read it from the environment variable named below.",
    )
    forget_secret = forms.BooleanField(
        label="Forget the stored secret (read it from the environment)", required=False
    )
    domains = forms.CharField(
        label="E-mail domains",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. Addresses of these domains sign in through your provider.",
    )
    new_member_role = forms.ChoiceField(
        label="Role of people who sign in for the first time",
        choices=Role.choices,
        initial=Role.VIEWER,
    )
    sso_only = forms.BooleanField(
        label="Single sign-on is the only way in for our members",
        required=False,
        help_text="Passwords, passkeys and e-mailed codes are refused to members of this "
        "organization.",
    )
    enabled = forms.BooleanField(label="Enabled", required=False, initial=True)

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data["issuer"].rstrip("/")
        if not issuer.startswith("https://") and not settings.SSO_ALLOW_INSECURE_ISSUER:
            raise forms.ValidationError("The issuer must be an https:// address.")
        return issuer

    def clean_domains(self) -> list[str]:
        try:
            return services.clean_domains(self.cleaned_data["domains"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["domains"]) from None

    def settings_value(self) -> services.SsoSettings:
        data = self.cleaned_data
        return services.SsoSettings(
            issuer=data["issuer"],
            client_id=data["client_id"],
            client_secret=data["client_secret"],
            domains=data["domains"],
            new_member_role=data["new_member_role"],
            sso_only=data["sso_only"],
            enabled=data["enabled"],
            forget_secret=data["forget_secret"],
        )

    @classmethod
    def initial_for(cls, sso: SingleSignOn | None) -> dict:
        if sso is None:
            return {"enabled": True, "new_member_role": Role.VIEWER}
        return {
            "issuer": sso.issuer,
            "client_id": sso.client_id,
            "domains": "\n".join(d.domain for d in sso.domains.all()),
            "new_member_role": sso.new_member_role,
            "sso_only": sso.sso_only,
            "enabled": sso.enabled,
        }
