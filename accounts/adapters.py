import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from core.queue import enqueue
from notifications.models import OutboundEmail


class AccountAdapter(DefaultAccountAdapter):
    """Accord's allauth adapter.

    After sign-up a person goes back to a pending invitation, else to the dashboard, else to
    onboarding. allauth's e-mails (verification, password reset) go through the outbox like
    every other e-mail, so a failed send is retried and visible instead of lost.
    """

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
