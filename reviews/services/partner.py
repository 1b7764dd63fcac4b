"""The partner's side of each cycle: who answers, opening the partner reviews, the partner's
weekly e-mail, and the partner's answer.

A partnership whose partner has a health-review contact (``PartnerReviewer``) gets one
``PartnerReview`` per cycle, next to ours. Each health-review contact gets one e-mail per cycle
listing the reviews to answer in the partner room and the open disagreements; the outbox key
``partner-review-request:{contact}:{cycle}`` makes it exactly once, however often the cycle runs.
The e-mail carries no secret: it links to the room, which asks for a sign-in link when needed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.i18n import resolve_language
from notifications.services import email_queue
from partnerships.models import Contact, PartnershipEvent
from partnerships.services import event_record

from ..disagreements import disagreement_check, open_for_partner
from ..models import HealthReview, PartnerReview, PartnerReviewer, ReviewCycle
from .submissions import _answers_check


def partner_reviewer_set(*, contact: Contact, on: bool, actor=None) -> bool:
    """Make ``contact`` their partner's health-review contact (or stop). Returns whether they
    are one afterwards. Several contacts of one partner may be; each gets the e-mail."""
    if on:
        PartnerReviewer.objects.get_or_create(
            contact=contact,
            defaults={
                "organization_id": contact.organization_id,
                "partner_id": contact.partner_id,
                "added_by": actor,
            },
        )
        return True
    PartnerReviewer.objects.filter(contact=contact).delete()
    return False


def is_partner_reviewer(contact: Contact) -> bool:
    return PartnerReviewer.objects.filter(contact=contact, partner_id=contact.partner_id).exists()


def partner_reviews_skip(*, organization, before: datetime.date) -> int:
    """Partner reviews of cycles before ``before`` that nobody answered become missed."""
    return PartnerReview.objects.filter(
        organization=organization, cycle__starts_on__lt=before, state=PartnerReview.State.DUE
    ).update(state=PartnerReview.State.SKIPPED)


def partner_reviews_open(*, cycle: ReviewCycle, notify: bool = True, backfill: bool = False) -> int:
    """Open the partner side of ``cycle`` and queue each health-review contact's e-mail.

    Only the organization's latest cycle is opened: the partner is asked about the current
    week, so replaying an older week's start (``cycle_start`` for a past day) asks nothing
    (``backfill=True`` opens a past cycle anyway, without e-mail, for demo data). Safe to run
    twice: one partner review per partnership and cycle (a unique constraint, inserted with
    ``ignore_conflicts``), and a contact is e-mailed only when this call opened reviews for
    their partner, under the outbox key ``partner-review-request:{contact}:{cycle}``, so a
    second run sends nothing. Returns how many e-mails this call queued.
    """
    organization = cycle.organization
    later = ReviewCycle.objects.filter(organization=organization, starts_on__gt=cycle.starts_on)
    if not backfill and later.exists():
        return 0
    reviewers = list(
        PartnerReviewer.objects.filter(organization=organization).select_related(
            "contact", "partner"
        )
    )
    if not reviewers:
        return 0
    partner_ids = {r.partner_id for r in reviewers}
    opened = set(PartnerReview.objects.filter(cycle=cycle).values_list("partnership_id", flat=True))
    ours = [
        (review_id, partnership_id, partner_id)
        for review_id, partnership_id, partner_id in HealthReview.objects.filter(
            cycle=cycle, partnership__partner_id__in=partner_ids
        ).values_list("pk", "partnership_id", "partnership__partner_id")
        if partnership_id not in opened
    ]
    PartnerReview.objects.bulk_create(
        [
            PartnerReview(
                organization=organization,
                partnership_id=partnership_id,
                cycle=cycle,
                review_id=review_id,
                due_on=cycle.due_on,
            )
            for review_id, partnership_id, _partner in ours
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    new_for = {partner_id for _review, _partnership, partner_id in ours}
    if not notify or not new_for:
        return 0
    by_partner: dict[int, list[PartnerReview]] = defaultdict(list)
    for item in (
        PartnerReview.objects.filter(
            cycle=cycle, state=PartnerReview.State.DUE, partnership__partner_id__in=new_for
        )
        .select_related("partnership")
        .order_by("partnership__name")
    ):
        by_partner[item.partnership.partner_id].append(item)
    queued = 0
    for reviewer in reviewers:
        items = by_partner.get(reviewer.partner_id)
        if items:
            queued += bool(_request_email(reviewer=reviewer, cycle=cycle, items=items))
    return queued


def _request_email(*, reviewer: PartnerReviewer, cycle: ReviewCycle, items):
    """The partner's weekly e-mail: this cycle's reviews and every open disagreement."""
    disagreements = [
        {
            "partnership": d.partnership.name,
            "cycle": d.cycle.starts_on,
            "kinds": d.kinds,
        }
        for d in open_for_partner(reviewer.partner)[:20]
    ]
    return email_queue(
        key=f"partner-review-request:{reviewer.contact_id}:{cycle.pk}",
        to=reviewer.contact.email,
        language=resolve_language(reviewer.contact, cycle.organization),
        template="partner-review-request",
        context={
            "contact": reviewer.contact,
            "partner": reviewer.partner,
            "organization": cycle.organization,
            "cycle": cycle,
            "rows": [
                {
                    "partnership": item.partnership.name,
                    "due_on": item.due_on,
                    "url": reverse("partnerroom:review", kwargs={"review_uuid": item.uuid}),
                }
                for item in items
            ],
            "disagreements": disagreements,
            "room_url": reverse("partnerroom:home"),
        },
        organization=cycle.organization,
    )


ANSWER_FIELDS = [
    "boundary_violated",
    "evidence_less_trustworthy",
    "renegotiation_trigger",
    "unwind_trigger_fired",
    "health",
    "notes",
    "state",
    "submitted_by_contact",
    "submitted_by_name",
    "submitted_at",
]


@transaction.atomic
def partner_review_submit(
    *,
    partner_review: PartnerReview,
    contact: Contact,
    boundary_violated: str,
    evidence_less_trustworthy: str,
    renegotiation_trigger: str,
    unwind_trigger_fired: bool,
    health: str,
    notes: str = "",
) -> PartnerReview:
    """The partner's health-review contact answers the partner side of one review, once.

    Only a health-review contact of the partnership's own partner may answer (the room checks
    the session; this checks the person). The row is locked and must still be due, so a double
    submit is refused. Once saved, the two sides are compared (``disagreement_check``).
    """
    locked = (
        PartnerReview.objects.select_for_update(of=("self",))
        .select_related("partnership__partner", "review")
        .get(pk=partner_review.pk)
    )
    partnership = locked.partnership
    if contact.partner_id != partnership.partner_id or not is_partner_reviewer(contact):
        raise ValidationError("Only the partner's health-review contact answers this review.")
    if locked.state != PartnerReview.State.DUE:
        raise ValidationError(
            {"health": f"This review is already {locked.get_state_display().lower()}."}
        )
    _answers_check(health=health, unwind_trigger_fired=unwind_trigger_fired, notes=notes)
    locked.boundary_violated = boundary_violated.strip()
    locked.evidence_less_trustworthy = evidence_less_trustworthy.strip()
    locked.renegotiation_trigger = renegotiation_trigger.strip()
    locked.unwind_trigger_fired = bool(unwind_trigger_fired)
    locked.health = health
    locked.notes = (notes or "").strip()
    locked.state = PartnerReview.State.SUBMITTED
    locked.submitted_by_contact = contact
    locked.submitted_by_name = contact.name
    locked.submitted_at = timezone.now()
    locked.save(update_fields=ANSWER_FIELDS)
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.REVIEW,
        summary=f"Partner's health review submitted by {contact.name}: "
        f"{locked.get_health_display()}"
        + (" — unwind trigger fired" if locked.unwind_trigger_fired else ""),
        detail=locked.notes,
        to_value=health,
        url=reverse("reviews:history", kwargs={"uuid": partnership.uuid}),
    )
    disagreement_check(review=locked.review)
    return locked
