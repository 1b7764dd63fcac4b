import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.client import client_ip
from core.queue import enqueue
from notifications.models import OutboundEmail

from .services import invitation_for_token


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

    def is_email_verified(self, request, email: str) -> bool:
        """An address reached through its invitation link is verified: the link was e-mailed
        there. So an invited person signs up and joins at once, even when verification is
        mandatory."""
        token = request.session.get("accord_pending_invitation") if request else None
        invitation = invitation_for_token(token) if token else None
        if invitation is not None and invitation.is_usable:
            return invitation.email.lower() == (email or "").strip().lower()
        return super().is_email_verified(request, email)

    def get_signup_redirect_url(self, request):
        pending = request.session.get("accord_pending_invitation")
        if pending:
            return reverse("accounts:invitation_accept", args=[pending])
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
        # is unique per call; delivery itself is still claimed exactly once.
        row = OutboundEmail.objects.create(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            to=email,
            subject=message.subject[:250],
            body_text=text or "Open the HTML part of this message.",
            body_html=html,
        )
        enqueue("notifications.tasks.deliver_email", row.pk)
