"""Room settings for owners, under our layout: who has access to each partner's room,
inviting and revoking, and the room's audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scoping import OrgRequest, get_scoped_or_404, owner_required, scoped
from partnerships.models import Contact, Partner
from reviews.models import PartnerReviewer

from ..forms import AccessFlagsForm, InviteForm
from ..models import RoomAccess, RoomEvent
from ..services import access as services

EVENTS_PER_PAGE = 50


@owner_required
def rooms(request: OrgRequest):
    """Every partner, with how many contacts have access to its room."""
    partners = (
        scoped(request, Partner)
        .annotate(
            with_access=Count(
                "room_accesses", filter=Q(room_accesses__revoked_at__isnull=True), distinct=True
            )
        )
        .order_by("name")
    )
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    return render(request, "partnerroom/manage/rooms.html", {"page": page})


def _partner(request: OrgRequest, partner_uuid) -> Partner:
    return get_scoped_or_404(request, Partner, uuid=partner_uuid)


@owner_required
def room(request: OrgRequest, partner_uuid):
    """One partner's room: who has access (and as what), inviting, the latest audit lines."""
    partner = _partner(request, partner_uuid)
    contacts = Contact.objects.filter(organization=request.organization, partner=partner)
    form = InviteForm(request.POST or None, contacts=contacts)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.access_grant(
                contact=data["contact"],
                granted_by=request.user,
                require_code=data["require_code"],
                signs_gates=data["signs_gates"],
                reviews_health=data["reviews_health"],
            )
            messages.success(request, f"{data['contact'].name} can now open the room.")
            return redirect("partnerroom:manage_room", partner_uuid=partner.uuid)
        messages.error(request, "Choose one of this partner's contacts.")
    accesses = list(
        RoomAccess.objects.filter(organization=request.organization, partner=partner)
        .select_related("contact", "granted_by", "revoked_by")
        .order_by("revoked_at", "contact__name")
    )
    reviewers = set(
        PartnerReviewer.objects.filter(partner=partner).values_list("contact_id", flat=True)
    )
    events = (
        RoomEvent.objects.filter(organization=request.organization, partner=partner)
        .select_related("contact", "actor", "partnership")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "partnerroom/manage/room.html",
        {
            "partner": partner,
            "accesses": accesses,
            "reviewers": reviewers,
            "form": form,
            "events": events,
            "partnerships": partner.partnerships.filter(organization=request.organization),
        },
    )


def _access(request: OrgRequest, access_uuid) -> RoomAccess:
    return get_scoped_or_404(
        request, RoomAccess.objects.select_related("contact", "partner"), uuid=access_uuid
    )


@owner_required
@require_POST
def access_update(request: OrgRequest, access_uuid):
    """Change what a contact does in the room (health reviews, gates, code at sign-in)."""
    access = _access(request, access_uuid)
    form = AccessFlagsForm(request.POST)
    if access.is_active and form.is_valid():
        data = form.cleaned_data
        try:
            services.access_grant(
                contact=access.contact,
                granted_by=request.user,
                require_code=data["require_code"],
                signs_gates=data["signs_gates"],
                reviews_health=data["reviews_health"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Access of {access.contact.name} updated.")
    else:
        messages.error(request, "This access was revoked; invite the contact again.")
    return redirect("partnerroom:manage_room", partner_uuid=access.partner.uuid)


@owner_required
@require_POST
def access_revoke(request: OrgRequest, access_uuid):
    """Revoke a contact's access now: their sessions end and unused links stop working."""
    access = _access(request, access_uuid)
    services.access_revoke(access=access, actor=request.user)
    messages.success(request, f"{access.contact.name} no longer has access to the room.")
    return redirect("partnerroom:manage_room", partner_uuid=access.partner.uuid)


@owner_required
def audit(request: OrgRequest, partner_uuid):
    """The room's whole audit trail, newest first."""
    partner = _partner(request, partner_uuid)
    events = (
        RoomEvent.objects.filter(organization=request.organization, partner=partner)
        .select_related("contact", "actor", "partnership")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "partnerroom/manage/audit.html", {"partner": partner, "page": page})
