"""The owners' API tokens page: make a token (shown once), see when each was last used and
from where, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from accounts.reauthentication import commitment
from accounts.scoping import OrgRequest, get_scoped_or_404, owner_required, scoped
from core.forms import apply_validation_error
from core.pages import redirect_to, render_page

from .forms import TokenForm
from .models import ApiToken
from .tokens import token_create, token_revoke

TEMPLATE = "api/tokens.html"


def _context(request: OrgRequest, **extra) -> dict:
    tokens = scoped(request, ApiToken).select_related("created_by", "revoked_by")
    return {"tokens": tokens, "form": extra.pop("form", None) or TokenForm(), **extra}


@owner_required
def tokens(request: OrgRequest):
    return render_page(request, TEMPLATE, _context(request), partial="tokens")


@require_POST
@owner_required
@commitment
def token_new(request: OrgRequest):
    """Make a token and show it once: the page answers the POST with the raw token in it
    (never in a flash message, which would store it in the session)."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = token_create(
                organization=request.organization,
                created_by=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            response = render_page(
                request,
                TEMPLATE,
                _context(request, new_token=raw, new_token_row=token),
                partial="tokens",
                status=201,
            )
            response["Cache-Control"] = "no-store"
            return response
    return render_page(
        request, TEMPLATE, _context(request, form=form), partial="tokens", status=422
    )


@require_POST
@owner_required
def token_revoke_view(request: OrgRequest, token_uuid):
    token = get_scoped_or_404(request, ApiToken, uuid=token_uuid)
    if token_revoke(token=token, revoked_by=request.user):
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect_to(request, "api:tokens")
