from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..forms import OrganizationCreateForm, OrganizationSettingsForm, ProfileForm
from ..models import Membership
from ..scoping import OrgRequest, owner_required, switch_organization
from ..services import organization_create


@login_required
def onboarding(request):
    """A signed-in person without (or wanting another) organization creates one."""
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = organization_create(
            name=form.cleaned_data["name"],
            owner=request.user,
            time_zone=form.cleaned_data["time_zone"],
        )
        switch_organization(request, org)
        messages.success(request, f"{org.name} is ready. Invite your team next.")
        return redirect("dashboard")
    return render(request, "accounts/onboarding.html", {"form": form})


@login_required
@require_POST
def switch(request, org_uuid):
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=request.user, organization__uuid=org_uuid)
        .first()
    )
    if membership is None:
        raise Http404
    switch_organization(request, membership.organization)
    messages.info(request, f"Now working in {membership.organization.name}.")
    return redirect("dashboard")


@owner_required
def organization_settings(request: OrgRequest):
    form = OrganizationSettingsForm(request.POST or None, instance=request.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Organization settings saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
