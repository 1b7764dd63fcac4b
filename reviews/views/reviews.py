"""Health review pages: the organization's list, one review's form, a partnership's history
with both sides' answers, and resolving a disagreement with the partner."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scoping import (
    OrgRequest,
    get_scoped_or_404,
    member_required,
    scoped,
    writer_required,
)
from core.forms import apply_validation_error
from core.pages import render_page
from partnerships.models import Partnership

from .. import disagreements, selectors
from ..forms import DisagreementResolveForm, HealthReviewForm
from ..models import HealthReview, PartnerReview, ReviewDisagreement
from ..services.submissions import review_submit

PAGE_SIZE = 25


@member_required()
def review_list(request: OrgRequest):
    state = request.GET.get("state", "open")
    if state not in selectors.STATE_FILTERS:
        state = "open"
    reviews = selectors.reviews_for_list(scoped(request, HealthReview), state, request.user)
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "filters": [(key, label) for key, (label, _q) in selectors.STATE_FILTERS.items()],
        "counts": selectors.review_counts(request.organization, request.user),
        "next_start": selectors.next_cycle_start(request.organization),
    }
    return render_page(request, "reviews/list.html", context, partial="rows")


# The evidence service names its own fields; on the review form they carry a prefix.
EVIDENCE_FIELDS = ("artifact", "quality", "observed_on", "limits", "claim", "boundary_status")


def _on_review_form(exc: ValidationError) -> ValidationError:
    """``exc`` with the evidence service's field names as the review form names them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            (f"evidence_{name}" if name in EVIDENCE_FIELDS else name): errors
            for name, errors in exc.error_dict.items()
        }
    )


def _review_or_404(request: OrgRequest, uuid) -> HealthReview:
    return get_scoped_or_404(
        request,
        HealthReview.objects.select_related(
            "partnership__partner",
            "partnership__owner",
            "cycle",
            "submitted_by",
            "partner_review",
            "disagreement",
        ),
        uuid=uuid,
    )


@member_required()
def review_detail(request: OrgRequest, uuid):
    """GET shows the review (the form while it is open); POST submits it (managers, owners)."""
    review = _review_or_404(request, uuid)
    if request.method == "POST" and not request.membership.can_write:
        raise PermissionDenied("Viewers cannot submit health reviews.")
    form = HealthReviewForm(request.POST or None) if review.is_open else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.info(request, f"This review is already {review.get_state_display().lower()}.")
            return redirect("reviews:review", uuid=review.uuid)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review_submit(
                    review=review,
                    submitted_by=request.user,
                    boundary_violated=data["boundary_violated"],
                    evidence_less_trustworthy=data["evidence_less_trustworthy"],
                    renegotiation_trigger=data["renegotiation_trigger"],
                    unwind_trigger_fired=data["unwind_trigger_fired"],
                    health=data["health"],
                    notes=data["notes"],
                    evidence=form.evidence(),
                )
            except ValidationError as exc:
                apply_validation_error(form, _on_review_form(exc))
            else:
                messages.success(request, f"Health review of {review.partnership.name} submitted.")
                return redirect("reviews:history", uuid=review.partnership.uuid)
        status = 422
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "partnership": review.partnership,
            "form": form,
            "partner_answer": selectors.partner_answer(review),
            "disagreement": selectors.disagreement_of(review),
        },
        status=status,
    )


@member_required()
def partnership_history(request: OrgRequest, uuid):
    partnership = get_scoped_or_404(
        request, Partnership.objects.select_related("partner", "owner"), uuid=uuid
    )
    reviews = (
        HealthReview.objects.filter(partnership=partnership)
        .select_related("cycle", "submitted_by", "partner_review", "disagreement__resolved_by")
        .order_by("-due_on", "-pk")
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = list(
        HealthReview.objects.filter(partnership=partnership)
        .filter(
            Q(state=HealthReview.State.SUBMITTED)
            | Q(partner_review__state=PartnerReview.State.SUBMITTED)
        )
        .select_related("partner_review")
        .order_by("-due_on")[:12]
    )
    recent.reverse()
    trend = selectors.health_trend(recent, two_sided=True)
    return render(
        request,
        "reviews/history.html",
        {
            "partnership": partnership,
            "page": page,
            "trend": trend,
            "two_sided": bool(trend["partner_points"])
            or any(selectors.partner_answer(r) for r in page.object_list),
            "disagreements": disagreements.open_for(partnership),
            "open_review": next((r for r in page.object_list if r.is_open), None),
            "resolve_form": DisagreementResolveForm(),
        },
    )


@writer_required
@require_POST
def disagreement_resolve(request: OrgRequest, uuid):
    """Close a disagreement with a note on how both sides settled it (managers, owners)."""
    disagreement = get_scoped_or_404(
        request, ReviewDisagreement.objects.select_related("partnership"), uuid=uuid
    )
    form = DisagreementResolveForm(request.POST)
    if form.is_valid():
        try:
            disagreements.disagreement_resolve(
                disagreement=disagreement,
                actor=request.user,
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The disagreement is marked resolved.")
    else:
        messages.error(request, "Say how the disagreement was settled.")
    return redirect("reviews:history", uuid=disagreement.partnership.uuid)
