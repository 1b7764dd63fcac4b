"""What one partnership shows in the partner room, and its co-signed gates, under our layout.

Members read it; managers and owners choose what is shared (the charters, fit card parts, each
evidence entry's level) and ask the partner to confirm a decision; owners set the co-sign rule.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scoping import (
    OrgRequest,
    get_scoped_or_404,
    member_required,
    owner_required,
    writer_required,
)
from core.pages import render_page, wants_partial
from evidence.models import EvidenceEntry
from partnerships.models import Partnership

from ..forms import (
    ConfirmationRequestForm,
    CosignOverrideForm,
    CosignPolicyForm,
    EntrySharingForm,
    SharingForm,
)
from ..gates import cosign_blockers, cosign_required, policy_for
from ..models import CosignPolicy, DecisionKind, GateConfirmation, SharingLevel
from ..services import cosign, sharing

ENTRIES_PER_PAGE = 50


def _partnership(request: OrgRequest, partnership_uuid) -> Partnership:
    return get_scoped_or_404(
        request, Partnership.objects.select_related("partner"), uuid=partnership_uuid
    )


@member_required()
def partnership(request: OrgRequest, partnership_uuid):
    """GET: what the partner sees of this partnership; POST (managers): the sharing choice."""
    item = _partnership(request, partnership_uuid)
    current = sharing.sharing_for(item)
    if request.method == "POST":
        if not request.membership.can_write:
            raise PermissionDenied("Viewers cannot change what is shared.")
        form = SharingForm(request.POST)
        if form.is_valid():
            sharing.sharing_set(
                partnership=item,
                actor=request.user,
                share_charters=form.cleaned_data["share_charters"],
                fit_card_parts=form.cleaned_data["fit_card_parts"],
            )
            messages.success(request, "Sharing saved: the partner room shows it now.")
            return redirect("partnerroom:manage_partnership", partnership_uuid=item.uuid)
    else:
        form = SharingForm(
            initial={
                "share_charters": current.share_charters,
                "fit_card_parts": current.fit_card_parts,
            }
        )
    entries = (
        EvidenceEntry.objects.filter(organization=request.organization, partnership=item)
        .select_related("room_sharing")
        .order_by("-observed_on", "-sequence")
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    override = CosignPolicy.objects.filter(partnership=item).first()
    return render_page(
        request,
        "partnerroom/manage/partnership.html",
        {
            "partnership": item,
            "form": form,
            "page": page,
            "levels": SharingLevel.choices,
            "cosign": {
                kind: {
                    "label": label,
                    "required": cosign_required(item, kind),
                    "blockers": cosign_blockers(item, kind),
                }
                for kind, label in DecisionKind.choices
            },
            "override_form": CosignOverrideForm(
                initial={
                    "override": override.override if override else "inherit",
                    "go": override.go if override else True,
                    "no_go": override.no_go if override else True,
                    "unwind": override.unwind if override else True,
                }
            ),
            "request_form": ConfirmationRequestForm(),
            "confirmations": GateConfirmation.objects.filter(partnership=item)
            .select_related("requested_by")
            .order_by("-requested_at", "-pk")[:20],
        },
        partial="entries",
        status=422 if request.method == "POST" else 200,
    )


@writer_required
@require_POST
def entry(request: OrgRequest, entry_uuid):
    """Set one evidence entry's level in the partner room (an htmx swap of its row)."""
    found = get_scoped_or_404(
        request, EvidenceEntry.objects.select_related("partnership"), uuid=entry_uuid
    )
    form = EntrySharingForm(request.POST)
    if form.is_valid():
        shared = sharing.entry_sharing_set(
            entry=found, level=form.cleaned_data["level"], actor=request.user
        )
        found.room_sharing = shared
    if wants_partial(request):
        return render(
            request,
            "partnerroom/manage/partnership.html#entry_row",
            {"entry": found, "levels": SharingLevel.choices, "membership": request.membership},
            status=200 if form.is_valid() else 422,
        )
    if not form.is_valid():
        messages.error(request, "Choose hidden, summary or full.")
    return redirect("partnerroom:manage_partnership", partnership_uuid=found.partnership.uuid)


@owner_required
def cosign_policy(request: OrgRequest):
    """The organization's rule for co-signed gates."""
    policy = policy_for(request.organization)
    form = CosignPolicyForm(
        request.POST or None,
        initial={
            "scope": policy.scope,
            "go": policy.go,
            "no_go": policy.no_go,
            "unwind": policy.unwind,
        },
    )
    if request.method == "POST" and form.is_valid():
        cosign.cosign_policy_set(
            organization=request.organization, actor=request.user, **form.cleaned_data
        )
        messages.success(request, "Co-sign rule saved.")
        return redirect("partnerroom:manage_cosign")
    overrides = CosignPolicy.objects.filter(
        organization=request.organization, partnership__isnull=False
    ).select_related("partnership")
    return render(
        request,
        "partnerroom/manage/cosign.html",
        {"form": form, "overrides": overrides},
        status=422 if request.method == "POST" else 200,
    )


@owner_required
@require_POST
def cosign_override(request: OrgRequest, partnership_uuid):
    item = _partnership(request, partnership_uuid)
    form = CosignOverrideForm(request.POST)
    if form.is_valid():
        cosign.cosign_override_set(partnership=item, actor=request.user, **form.cleaned_data)
        messages.success(request, "Co-sign rule for this partnership saved.")
    else:
        messages.error(request, "Choose an option.")
    return redirect("partnerroom:manage_partnership", partnership_uuid=item.uuid)


@writer_required
@require_POST
def confirmation_request(request: OrgRequest, partnership_uuid):
    """Ask the partner's signer to confirm a go / no-go or unwind in the current phase."""
    item = _partnership(request, partnership_uuid)
    form = ConfirmationRequestForm(request.POST)
    if form.is_valid():
        try:
            cosign.confirmation_request(
                partnership=item,
                kind=form.cleaned_data["kind"],
                requested_by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{item.partner.name}'s signers were asked to confirm.")
    else:
        messages.error(request, "Choose the decision to confirm.")
    return redirect("partnerroom:manage_partnership", partnership_uuid=item.uuid)


@writer_required
@require_POST
def confirmation_withdraw(request: OrgRequest, confirmation_uuid):
    found = get_scoped_or_404(
        request, GateConfirmation.objects.select_related("partnership"), uuid=confirmation_uuid
    )
    try:
        cosign.confirmation_withdraw(confirmation=found, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The request was withdrawn.")
    return redirect("partnerroom:manage_partnership", partnership_uuid=found.partnership.uuid)
