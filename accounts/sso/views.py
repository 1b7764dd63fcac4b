"""The owner's single sign-on page: the provider, its domains, the role of newcomers and the
SSO-only switch. Saving it changes who may sign in, so it asks for a fresh authentication."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import apply_validation_error

from ..models import SingleSignOn
from ..reauthentication import commitment
from ..scoping import OrgRequest, owner_required
from .forms import SingleSignOnForm
from .services import remove_single_sign_on, save_single_sign_on


def _current(request: OrgRequest) -> SingleSignOn | None:
    return (
        SingleSignOn.objects.filter(organization=request.organization)
        .prefetch_related("domains")
        .first()
    )


@owner_required
@commitment
def single_sign_on(request: OrgRequest):
    sso = _current(request)
    form = SingleSignOnForm(request.POST or None, initial=SingleSignOnForm.initial_for(sso))
    if request.method == "POST" and form.is_valid():
        try:
            save_single_sign_on(
                request.organization,
                form.settings_value(),
                by=request.user,
                keep_session_key=request.session.session_key,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Single sign-on saved.")
            return redirect("accounts:sso")
    callback = None
    if sso is not None:
        callback = request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": sso.provider_id})
        )
    return render(
        request,
        "accounts/sso.html",
        {"form": form, "sso": sso, "callback_url": callback},
        status=422 if form.is_bound and form.errors else 200,
    )


@owner_required
@commitment
@require_POST
def remove(request: OrgRequest):
    remove_single_sign_on(request.organization)
    messages.success(request, "Single sign-on removed: members sign in with their passwords.")
    return redirect("accounts:sso")
