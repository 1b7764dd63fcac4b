"""What the partner answers in the room: the partner side of the health review, and the
confirmation (or dispute) of a co-signed gate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_validation_error
from reviews.disagreements import boundary_violated_in, open_for_partner
from reviews.forms import PartnerReviewForm
from reviews.services import is_partner_reviewer, partner_review_submit

from .. import selectors
from ..forms import GateAnswerForm
from ..models import RoomEvent
from ..services.cosign import confirmation_answer
from ..session import RoomRequest, room_required


@require_GET
@room_required
def reviews(request: RoomRequest):
    """The partner's health reviews, open and past, and where the two sides disagree."""
    room = request.room
    return render(
        request,
        "partnerroom/room/reviews.html",
        {
            "room": room,
            "reviews": list(selectors.room_reviews(room)[:50]),
            "disagreements": list(open_for_partner(room.partner)[:50]),
            "can_answer": is_partner_reviewer(room.contact),
        },
    )


@require_http_methods(["GET", "POST"])
@room_required
def review(request: RoomRequest, review_uuid):
    """One partner review: the form while due (for the health-review contact), else answers."""
    room = request.room
    item = selectors.room_review_or_404(room, review_uuid)
    can_answer = item.is_open and is_partner_reviewer(room.contact)
    form = PartnerReviewForm(request.POST or None) if can_answer else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.info(request, _("This review cannot be answered here any more."))
            return redirect("partnerroom:review", review_uuid=item.uuid)
        if form.is_valid():
            data = form.cleaned_data
            try:
                partner_review_submit(
                    partner_review=item,
                    contact=room.contact,
                    boundary_violated=data["boundary_violated"],
                    evidence_less_trustworthy=data["evidence_less_trustworthy"],
                    renegotiation_trigger=data["renegotiation_trigger"],
                    unwind_trigger_fired=data["unwind_trigger_fired"],
                    health=data["health"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                request.room_event_kind = RoomEvent.Kind.REVIEW_ANSWERED
                messages.success(
                    request,
                    _("Thank you: your review of %(partnership)s is in.")
                    % {"partnership": item.partnership.name},
                )
                return redirect("partnerroom:review", review_uuid=item.uuid)
        status = 422
    disagreement = getattr(item, "disagreement", None) if item.state == "submitted" else None
    compared = None
    if disagreement is not None:
        # What both sides see of a disagreement: the compared facts, not our prose.
        ours = item.review
        compared = {
            "our_health": ours.get_health_display(),
            "their_health": item.get_health_display(),
            "our_boundary": "violated"
            if boundary_violated_in(ours.boundary_violated)
            else "intact",
            "their_boundary": "violated"
            if boundary_violated_in(item.boundary_violated)
            else "intact",
            "our_unwind": ours.unwind_trigger_fired,
            "their_unwind": item.unwind_trigger_fired,
        }
    return render(
        request,
        "partnerroom/room/review.html",
        {
            "room": room,
            "item": item,
            "partnership": item.partnership,
            "form": form,
            "disagreement": disagreement,
            "compared": compared,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@room_required
def gate(request: RoomRequest, confirmation_uuid):
    """A decision we asked the partner to confirm: the signer confirms or disputes it."""
    room = request.room
    confirmation = selectors.room_confirmation_or_404(room, confirmation_uuid)
    can_answer = (
        room.access.signs_gates
        and confirmation.state == "pending"
        and confirmation.used_at is None
        and confirmation.from_phase == confirmation.partnership.phase
    )
    form = GateAnswerForm(request.POST or None) if can_answer else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.info(request, _("This decision cannot be answered here."))
            return redirect("partnerroom:gate", confirmation_uuid=confirmation.uuid)
        if form.is_valid():
            confirm = form.cleaned_data["answer"] == "confirm"
            try:
                confirmation_answer(
                    confirmation=confirmation,
                    access=room.access,
                    confirm=confirm,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your answer is recorded and shown to both sides."))
                return redirect("partnerroom:gate", confirmation_uuid=confirmation.uuid)
        status = 422
    return render(
        request,
        "partnerroom/room/gate.html",
        {"room": room, "confirmation": confirmation, "form": form},
        status=status,
    )
