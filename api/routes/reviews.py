"""Health reviews: the list as on the reviews page, one review, and submitting it."""

from __future__ import annotations

from uuid import UUID

from ninja import Query, Router

from accounts.scoping import get_scoped_or_404, scoped
from reviews import selectors, services
from reviews.forms import HealthReviewForm
from reviews.models import HealthReview as ReviewModel

from ..auth import require_write
from ..pagination import Ordering
from ..schemas.reviews import HealthReview, ReviewFilters, ReviewPage, SubmitIn
from .common import page_of, valid_or_raise

router = Router(tags=["Health reviews"])

SOONEST_FIRST = Ordering("due", ("due_on", "id"))
LATEST_FIRST = Ordering("-due", ("-due_on", "-id"))


def _review(request, review_id: UUID) -> ReviewModel:
    return get_scoped_or_404(
        request,
        ReviewModel.objects.select_related("partnership__partner", "cycle", "submitted_by"),
        uuid=review_id,
    )


@router.get("/reviews", response=ReviewPage, summary="List health reviews")
def list_reviews(request, filters: Query[ReviewFilters]):
    """``open`` (due and overdue, soonest first) by default; ``mine`` is the open reviews of
    partnerships the token's maker owns."""
    qs = selectors.reviews_for_list(scoped(request, ReviewModel), filters.state, request.user)
    if filters.partnership:
        qs = qs.filter(partnership__uuid=filters.partnership)
    soonest = filters.state in ("open", "overdue", "mine")
    return page_of(
        qs,
        ordering=SOONEST_FIRST if soonest else LATEST_FIRST,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get("/reviews/{review_id}", response=HealthReview, summary="Get a health review")
def get_review(request, review_id: UUID):
    return _review(request, review_id)


@router.post("/reviews/{review_id}/submit", response=HealthReview, summary="Submit a health review")
def submit_review(request, review_id: UUID, payload: SubmitIn):
    """Answer the three questions and give the overall health, once; optionally record an
    evidence entry with it. A fired unwind trigger needs notes and is e-mailed to the member
    who may authorize the unwind."""
    require_write(request)
    review = _review(request, review_id)
    data = payload.dict(exclude={"evidence"})
    data["evidence_boundary_status"] = "intact"  # the form's default when no entry comes with it
    if payload.evidence is not None:
        data.update({f"evidence_{k}": v for k, v in payload.evidence.dict().items()})
    form = HealthReviewForm(data)
    cleaned = valid_or_raise(form)
    services.review_submit(
        review=review,
        submitted_by=request.user,
        boundary_violated=cleaned["boundary_violated"],
        evidence_less_trustworthy=cleaned["evidence_less_trustworthy"],
        renegotiation_trigger=cleaned["renegotiation_trigger"],
        unwind_trigger_fired=cleaned["unwind_trigger_fired"],
        health=cleaned["health"],
        notes=cleaned["notes"],
        evidence=form.evidence(),
    )
    return _review(request, review_id)
