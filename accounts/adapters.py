import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from core.client import client_ip
from notifications.services import email_store

from . import signals  # noqa: F401  (connects the receivers of allauth's signals)
from .scoping import switch_organization
from .services import invitation_for_token, invitation_for_uuid
from .sso.services import join_through_sso, password_sign_in_refused, sso_for_provider

PENDING_INVITATION = "accord_pending_invitation"
INVITATION_COOKIE = "accord_invitation"
INVITATION_COOKIE_SALT = "accord.invitation"


def pending_invitation(request):
    """The usable invitation this browser opened before signing up or in, if any."""
    value = request.session.get(PENDING_INVITATION) if request is not None else None
    invitation = invitation_for_uuid(value) if value else None
    return invitation if invitation is not None and invitation.is_usable else None


def pending_invitation_path(request) -> str | None:
    """The invitation link to return to after sign-up.

    The session only knows the invitation's uuid; the link's token, needed to build the link
    again, is in a signed cookie in the invitee's own browser (which had it in its address
    bar anyway), so it is never at rest on our side.
    """
    invitation = pending_invitation(request)
    if invitation is None:
        return None
    token = request.get_signed_cookie(INVITATION_COOKIE, default=None, salt=INVITATION_COOKIE_SALT)
    if not token:
        return None
    opened = invitation_for_token(token)
    if opened is None or opened.pk != invitation.pk:
        return None
    return reverse("accounts:invitation_accept", args=[token])


class AccountAdapter(DefaultAccountAdapter):
    """Accord's allauth adapter.

    After sign-up a person goes back to a pending invitation, else to the dashboard, else to
    onboarding. allauth's e-mails (verification, password reset) go through the outbox like
    every other e-mail, so a failed send is retried and visible instead of lost.
    """

    def get_client_ip(self, request) -> str:
        """allauth's rate limits use the same client IP as our audit trails and axes
        (``TRUSTED_PROXY_COUNT``), and a short ``X-Forwarded-For`` is not a 500."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's IP address.")
        return ip

    def pre_login(self, request, user, **kwargs):
        """An organization that made single sign-on the only way in refuses its members every
        other sign-in (password, passkey, e-mailed code), whatever page it came from.

        Whoever an organization's own provider signed in is one of its people: they join it
        (as the role the owner chose) and land in it, before the page after sign-in (and
        sign-up) is chosen.
        """
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        provider_id = sociallogin.account.provider if sociallogin is not None else None
        refusing = password_sign_in_refused(user, provider_id)
        if refusing is not None:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(
                request,
                f"{refusing.name} signs in only through its single sign-on: enter your "
                "work e-mail address and leave the password empty.",
            )
            return redirect("account_login")
        sso = sso_for_provider(provider_id)
        if sso is not None:
            join_through_sso(user, sso)
            switch_organization(request, sso.organization)
        return super().pre_login(request, user, **kwargs)

    def is_email_verified(self, request, email: str) -> bool:
        """An address reached through its invitation link is verified: the link was e-mailed
        there. So an invited person signs up and joins at once, even when verification is
        mandatory."""
        invitation = pending_invitation(request)
        if invitation is not None:
            return invitation.email.lower() == (email or "").strip().lower()
        return super().is_email_verified(request, email)

    def get_signup_redirect_url(self, request):
        pending = pending_invitation_path(request)
        if pending:
            return pending
        if request.user.is_authenticated and request.user.memberships.exists():
            return reverse("dashboard")
        return reverse("accounts:onboarding")

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"),
            "",
        )
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        # Each request for a mail is a new intent (a second reset link is wanted), so the key
        # is unique per call; delivery itself is still claimed exactly once. The ``account:``
        # prefix marks the message sensitive: it carries a key, link or code, so the outbox
        # redacts it the moment it is sent.
        email_store(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            to=email,
            subject=message.subject,
            text=text or "Open the HTML part of this message.",
            html=html,
            sensitive=True,
        )
