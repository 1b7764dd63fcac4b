from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """After sign-up: back to a pending invitation, else the dashboard, else onboarding."""

    def get_signup_redirect_url(self, request):
        pending = request.session.get("accord_pending_invitation")
        if pending:
            return reverse("accounts:invitation_accept", args=[pending])
        if request.user.is_authenticated and request.user.memberships.exists():
            return reverse("dashboard")
        return reverse("accounts:onboarding")
