from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.forms import apply_validation_error

from ..forms import InvitationForm, RoleForm
from ..models import Invitation, MemberChange, Membership, Role
from ..reauthentication import commitment
from ..scoping import OrgRequest, get_scoped_or_404, member_required, owner_required, scoped
from ..services import (
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)
from ..two_factor import with_two_factor


def _members_context(request: OrgRequest, **extra):
    members = with_two_factor(
        scoped(request, Membership).select_related("user").order_by("user__email")
    )
    invitations = (
        scoped(request, Invitation)
        .filter(state=Invitation.State.PENDING)
        .select_related("invited_by")
        .order_by("-created_at")
    )
    return {
        "members": members,
        "invitations": invitations,
        "invite_form": extra.pop("invite_form", None) or InvitationForm(),
        "role_choices": Role.choices,
        # The latest role changes and removals, with the fresh sign-in that confirmed each.
        "changes": scoped(request, MemberChange).select_related("actor")[:10],
        **extra,
    }


@member_required()
def members(request: OrgRequest):
    return render(request, "accounts/members.html", _members_context(request))


@owner_required
@require_POST
def invite(request: OrgRequest):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation_create(
                organization=request.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            form = InvitationForm()
            if not request.htmx:
                return redirect("accounts:members")
    template = "accounts/members.html"
    if request.htmx:
        template += "#people"
    status = 200 if not form.errors else 422
    return render(request, template, _members_context(request, invite_form=form), status=status)


@owner_required
@require_POST
def revoke_invitation(request: OrgRequest, invitation_uuid):
    invitation = get_scoped_or_404(request, Invitation, uuid=invitation_uuid)
    invitation_revoke(invitation=invitation)
    messages.info(request, f"Invitation for {invitation.email} revoked.")
    if request.htmx:
        return render(request, "accounts/members.html#people", _members_context(request))
    return redirect("accounts:members")


@owner_required
@require_POST
@commitment
def change_role(request: OrgRequest, membership_uuid):
    membership = get_scoped_or_404(
        request, Membership.objects.select_related("user", "organization"), uuid=membership_uuid
    )
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            membership_change_role(
                membership=membership,
                role=form.cleaned_data["role"],
                can_approve=form.cleaned_data["can_approve"],
                actor=request.user,
            )
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = "Choose a valid role."
    if error:
        messages.error(request, error)
    if request.htmx:
        return render(
            request,
            "accounts/members.html#people",
            _members_context(request),
            status=422 if error else 200,
        )
    return redirect("accounts:members")


@owner_required
@require_POST
@commitment
def remove_member(request: OrgRequest, membership_uuid):
    membership = get_scoped_or_404(
        request, Membership.objects.select_related("user", "organization"), uuid=membership_uuid
    )
    try:
        membership_remove(membership=membership, actor=request.user)
        messages.success(request, f"{membership.user} was removed.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return render(request, "accounts/members.html#people", _members_context(request))
    return redirect("accounts:members")
