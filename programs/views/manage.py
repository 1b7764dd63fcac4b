"""Owners' program settings, the directory listings, and the revisit suggestion."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.scoping import (
    OrgRequest,
    get_scoped_or_404,
    member_required,
    owner_required,
    writer_required,
)
from core.forms import apply_validation_error
from core.pages import redirect_to
from partnerships.models import Partner
from partnerships.selectors import members

from .. import selectors, services
from ..forms import ListingForm, ProgramSettingsForm
from ..models import RevisitSuggestion


@owner_required
def program_settings(request: OrgRequest):
    """Turn the application page and the directory on, set the thresholds."""
    organization = request.organization
    instance = selectors.settings_for(organization)
    form = ProgramSettingsForm(
        request.POST or None, instance=instance, people=members(organization)
    )
    context = {
        "form": form,
        "program": selectors.effective_program(organization),
        "apply_url": request.build_absolute_uri(
            reverse("programs:apply", kwargs={"org_slug": organization.slug})
        ),
        "directory_url": request.build_absolute_uri(
            reverse("programs:directory", kwargs={"org_slug": organization.slug})
        ),
    }
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.program_settings_save(
                    organization=organization, actor=request.user, **fields
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Program settings saved.")
                return redirect_to(request, "programs:settings")
        return render(request, "programs/settings.html", context, status=422)
    return render(request, "programs/settings.html", context)


def _rows(request, forms_by_partner=None) -> list[dict]:
    rows = []
    for partner in selectors.directory_candidates(request):
        listing = getattr(partner, "directory_listing", None)
        initial = {
            "listed": bool(listing and listing.listed),
            "integrates": listing.integrates if listing else "",
            "website": listing.website if listing else "",
        }
        form = (forms_by_partner or {}).get(partner.pk) or ListingForm(
            initial=initial, prefix=f"p{partner.pk}"
        )
        rows.append({"partner": partner, "listing": listing, "form": form})
    return rows


@member_required()
def directory_manage(request: OrgRequest):
    """Which admitted partners the public directory lists, and with what."""
    context = {
        "rows": _rows(request),
        "program_settings": selectors.settings_for(request.organization),
    }
    return render(request, "programs/directory_manage.html", context)


@require_POST
@writer_required
def listing_save(request: OrgRequest, partner_uuid):
    partner = get_scoped_or_404(request, Partner, uuid=partner_uuid)
    form = ListingForm(request.POST, prefix=f"p{partner.pk}")
    if form.is_valid():
        try:
            services.listing_save(partner=partner, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Directory listing of {partner.name} saved.")
            return redirect_to(request, "programs:directory_manage")
    context = {
        "rows": _rows(request, {partner.pk: form}),
        "program_settings": selectors.settings_for(request.organization),
    }
    return render(request, "programs/directory_manage.html", context, status=422)


@require_POST
@owner_required
def revisit_dismiss(request: OrgRequest, suggestion_uuid):
    suggestion = get_scoped_or_404(request, RevisitSuggestion, uuid=suggestion_uuid)
    services.revisit_dismiss(suggestion=suggestion, actor=request.user)
    messages.info(request, "Suggestion dismissed; the decision stands.")
    return redirect_to(request, "programs:index")
