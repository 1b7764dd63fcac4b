"""When our health review and the partner's differ: how the two are compared, the record of a
disagreement, and where other apps read the open ones.

Both sides answer the same seed questions, but only three answers are facts that can be
compared without reading prose; the others (what evidence is less trustworthy, what would
trigger renegotiation) are each side's judgement and are shown side by side, not compared.

How the answers map:

1. **Overall health** differs when the two sides chose different colours (green / amber / red).
2. **Boundary** — the first seed question, "What boundary was violated this cycle?". An answer
   says *intact* when it is empty or starts with a word that means nothing happened ("none",
   "no", "nothing", "n/a", "nil", "-"), which is what the form's help text asks for ("Write
   “none” if no boundary was violated"); any other answer says *violated*. The boundary part
   differs when one side says violated and the other intact. So "None: disputes stayed in
   scope" is intact, and "Support answered tickets outside the agreed hours" is violated.
3. **Unwind trigger** differs when one side says it fired and the other says it did not.

Any of the three makes a disagreement: one ``ReviewDisagreement`` per cycle's review, recorded
the moment the second side answers (whichever side that is). It is shown on our review history
and review list, in the owner's weekly digest, in the partner's weekly e-mail and in the partner
room, and other apps read it through ``open_for`` / ``open_for_organization``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.events import emit
from core.i18n import member_language
from notifications.services import email_queue
from partnerships.models import PartnershipEvent
from partnerships.services import event_record

from .events import disagreement_data
from .models import HealthReview, PartnerReview, ReviewDisagreement

# Words that, opening an answer to "What boundary was violated this cycle?", mean none was.
NOTHING_WORDS = frozenset({"none", "no", "nothing", "n/a", "na", "nil", "-", "—", "–"})
_FIRST_WORD = re.compile(r"^\s*([^\s.,:;!?()]+)")


def boundary_violated_in(answer: str) -> bool:
    """Whether an answer to the first seed question says a boundary was violated.

    Empty, or opening with one of ``NOTHING_WORDS`` (any case, punctuation after it allowed):
    intact. Anything else: violated.
    """
    text = (answer or "").strip()
    if not text:
        return False
    match = _FIRST_WORD.match(text)
    first = match.group(1).lower() if match else text.lower()
    return first not in NOTHING_WORDS


def differences(ours, theirs) -> dict[str, bool]:
    """What differs between two submitted answers (any objects with the review's fields)."""
    return {
        "health_differs": ours.health != theirs.health,
        "boundary_differs": boundary_violated_in(ours.boundary_violated)
        != boundary_violated_in(theirs.boundary_violated),
        "unwind_differs": bool(ours.unwind_trigger_fired) != bool(theirs.unwind_trigger_fired),
    }


def _owner_notice(disagreement: ReviewDisagreement, review: HealthReview) -> None:
    partnership = review.partnership
    owner = partnership.owner
    email_queue(
        key=f"review-disagreement:{disagreement.pk}:{owner.pk}",
        to=owner.email,
        language=member_language(owner, partnership.organization),
        template="review-disagreement",
        context={
            "user": owner,
            "partnership": partnership,
            "organization": partnership.organization,
            "disagreement": disagreement,
            "review": review,
            "partner_review": disagreement.partner_review,
            "url": reverse("reviews:history", kwargs={"uuid": partnership.uuid}),
        },
        organization=partnership.organization,
    )


@transaction.atomic
def disagreement_check(*, review: HealthReview) -> ReviewDisagreement | None:
    """Compare our review with the partner's once both are submitted; record a disagreement.

    Called by both submit functions, so it runs when the second answer arrives, whichever side
    that is. One record per review (the database says so): a second call finds it and changes
    nothing. The partnership's timeline and its owner hear about it at once.
    """
    review = HealthReview.objects.select_related(
        "partnership__owner", "partnership__organization", "partnership__partner", "cycle"
    ).get(pk=review.pk)
    partner_review = PartnerReview.objects.filter(review=review).first()
    if partner_review is None:
        return None
    if (
        review.state != HealthReview.State.SUBMITTED
        or partner_review.state != PartnerReview.State.SUBMITTED
    ):
        return None
    existing = ReviewDisagreement.objects.filter(review=review).first()
    if existing is not None:
        return existing
    found = differences(review, partner_review)
    if not any(found.values()):
        return None
    try:
        with transaction.atomic():
            disagreement = ReviewDisagreement.objects.create(
                organization_id=review.organization_id,
                partnership_id=review.partnership_id,
                cycle_id=review.cycle_id,
                review=review,
                partner_review=partner_review,
                **found,
            )
    except IntegrityError:  # the other side's submit recorded it at the same moment
        return ReviewDisagreement.objects.get(review=review)
    event_record(
        partnership=review.partnership,
        kind=PartnershipEvent.Kind.REVIEW,
        summary="Health review disagreement with the partner: " + ", ".join(disagreement.kinds),
        by_system=True,
        url=reverse("reviews:history", kwargs={"uuid": review.partnership.uuid}),
    )
    _owner_notice(disagreement, review)
    emit(
        organization=review.partnership.organization,
        type="review.disagreement",
        data=disagreement_data(disagreement, review),
    )
    return disagreement


@transaction.atomic
def disagreement_resolve(*, disagreement: ReviewDisagreement, actor, resolution: str):
    """Close a disagreement once both sides talked it through; the note says how."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": "Say how the disagreement was settled."})
    locked = ReviewDisagreement.objects.select_for_update(of=("self",)).get(pk=disagreement.pk)
    if locked.resolved_at is not None:
        raise ValidationError({"resolution": "This disagreement is already resolved."})
    locked.resolved_at = timezone.now()
    locked.resolved_by = actor
    locked.resolution = resolution
    locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    event_record(
        partnership=locked.partnership,
        kind=PartnershipEvent.Kind.REVIEW,
        summary="Health review disagreement resolved",
        detail=resolution,
        actor=actor,
    )
    return locked


def _open() -> QuerySet:
    return ReviewDisagreement.objects.filter(resolved_at__isnull=True).select_related(
        "cycle", "review", "partner_review", "partnership__partner"
    )


def open_for(partnership) -> list[ReviewDisagreement]:
    """The partnership's open disagreements, newest first (for its page; one query)."""
    return list(_open().filter(partnership=partnership).order_by("-cycle__starts_on", "-pk"))


def open_for_organization(organization) -> QuerySet:
    """The organization's open disagreements, newest first (for the dashboard)."""
    return _open().filter(organization=organization).order_by("-cycle__starts_on", "-pk")


def open_for_partner(partner) -> QuerySet:
    """A partner's open disagreements (the partner room, the partner's e-mail)."""
    return _open().filter(partnership__partner=partner).order_by("-cycle__starts_on", "-pk")


def open_partnership_ids(organization, partnership_ids) -> set[int]:
    """Which of these partnerships have an open disagreement (one query, for lists)."""
    return set(
        ReviewDisagreement.objects.filter(
            organization=organization,
            resolved_at__isnull=True,
            partnership_id__in=list(partnership_ids),
        ).values_list("partnership_id", flat=True)
    )
