from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """After signing up, a person without an organization is sent to create one."""

    def get_signup_redirect_url(self, request):
        pending = request.session.get("accord_pending_invitation")
        if pending:
            return reverse("accounts:invitation_accept", args=[pending])
        return reverse("accounts:onboarding")
