from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..adapters import INVITATION_COOKIE, INVITATION_COOKIE_SALT, PENDING_INVITATION
from ..models import User
from ..scoping import switch_organization
from ..services import INVITATION_TTL, invitation_accept, invitation_for_token


@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    """The invitation link. GET shows it (mail scanners may open it); POST accepts it.

    A visitor without an account signs up first (the sign-up returns here); one with an
    account logs in first.
    """
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    user = request.user
    wrong_account = user.is_authenticated and user.email.lower() != invitation.email.lower()
    if request.method == "POST":
        if wrong_account and request.POST.get("action") == "switch":
            logout(request)
            return redirect(reverse("accounts:invitation_accept", args=[token]))
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            membership = invitation_accept(invitation=invitation, user=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        request.session.pop(PENDING_INVITATION, None)
        switch_organization(request, membership.organization)
        messages.success(request, f"Welcome to {membership.organization.name}.")
        response = redirect("dashboard")
        response.delete_cookie(INVITATION_COOKIE)
        return response
    # The session (stored server-side) remembers which invitation, never its token.
    request.session[PENDING_INVITATION] = str(invitation.uuid)
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    response = render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "wrong_account": wrong_account,
            "has_account": has_account,
            "login_url": f"{reverse('account_login')}?next={request.path}",
            "signup_url": f"{reverse('account_signup')}?next={request.path}",
        },
    )
    response.set_signed_cookie(
        INVITATION_COOKIE,
        token,
        salt=INVITATION_COOKIE_SALT,
        max_age=int(INVITATION_TTL.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
