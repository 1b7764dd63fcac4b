"""What integrations receive about health reviews: the ``data`` of the ``review.*`` events.

The review services announce a review that became due, was submitted or went overdue, and a
disagreement between our answers and the partner's, through ``core.events``. Every payload
names the review, its cycle and the partnership by UUID, as the REST API does, so a receiver
can fetch the rest with ``GET /api/v1/reviews``. The answers themselves are not sent: they are
the team's judgement about a partner, and a receiver with a read token can read them.
"""

from __future__ import annotations

from core.events import partnership_ref


def review_data(review, **extra) -> dict:
    """``{"review": …, "cycle": …, "partnership": …}`` for ``review`` (with its cycle and
    partnership's partner loaded), plus ``extra``."""
    return {
        "review": {
            "id": str(review.uuid),
            "state": review.state,
            "phase": review.phase,
            "due_on": review.due_on.isoformat(),
        },
        "cycle": {"id": str(review.cycle.uuid), "starts_on": review.cycle.starts_on.isoformat()},
        "partnership": partnership_ref(review.partnership),
        **extra,
    }


def disagreement_data(disagreement, review) -> dict:
    """The ``review.disagreement`` payload: the review and which answers differ."""
    return review_data(
        review,
        disagreement={"id": str(disagreement.uuid), "differs": list(disagreement.kinds)},
    )
