"""Answering a health review: the seed's three questions, the unwind trigger and overall health.

A review is submitted once. The row is locked and must still be open, so a double click or a
retried POST is refused rather than applied twice; the optional evidence entry, the timeline
event and the unwind e-mail happen in the same transaction as the answer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.clock import org_today
from core.events import emit
from core.i18n import member_language
from evidence.services import evidence_record
from notifications.services import email_queue
from partnerships.models import Partnership, PartnershipEvent
from partnerships.services import event_record

from ..disagreements import disagreement_check
from ..events import review_data
from ..models import HealthReview

ANSWER_FIELDS = [
    "boundary_violated",
    "evidence_less_trustworthy",
    "renegotiation_trigger",
    "unwind_trigger_fired",
    "health",
    "notes",
    "state",
    "submitted_by",
    "submitted_at",
]


def _answers_check(*, health: str, unwind_trigger_fired: bool, notes: str) -> None:
    errors = {}
    if health not in ("green", "amber", "red"):
        errors["health"] = "Choose the overall health: green, amber or red."
    if unwind_trigger_fired and not (notes or "").strip():
        errors["notes"] = "The unwind trigger fired: say what was observed."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_submit(
    *,
    review: HealthReview,
    submitted_by,
    boundary_violated: str,
    evidence_less_trustworthy: str,
    renegotiation_trigger: str,
    unwind_trigger_fired: bool,
    health: str,
    notes: str = "",
    evidence: dict | None = None,
) -> HealthReview:
    """Submit a health review once; optionally add an evidence entry from it.

    The row is locked and must still be open, so a double submit (or a retried POST) is
    refused rather than applied twice. Only the review's own row is locked (``of=self``): the
    partnership, partner and organization rows it reads stay free for evidence and signing
    running at the same time. A fired unwind trigger is e-mailed to the member who may
    authorize the unwind (or the approver when nobody is named). Evidence given without a date
    is dated the organization's today, not the server's. When the partner has already answered
    their side, the two are compared (``disagreement_check``).
    """
    locked = (
        HealthReview.objects.select_for_update(of=("self",))
        .select_related("partnership__partner", "partnership__organization", "cycle")
        .get(pk=review.pk)
    )
    if locked.state not in HealthReview.OPEN_STATES:
        raise ValidationError(
            {"health": f"This review is already {locked.get_state_display().lower()}."}
        )
    _answers_check(health=health, unwind_trigger_fired=unwind_trigger_fired, notes=notes)
    partnership = locked.partnership
    locked.boundary_violated = boundary_violated.strip()
    locked.evidence_less_trustworthy = evidence_less_trustworthy.strip()
    locked.renegotiation_trigger = renegotiation_trigger.strip()
    locked.unwind_trigger_fired = bool(unwind_trigger_fired)
    locked.health = health
    locked.notes = (notes or "").strip()
    locked.state = HealthReview.State.SUBMITTED
    locked.submitted_by = submitted_by
    locked.submitted_at = timezone.now()
    locked.save(update_fields=ANSWER_FIELDS)
    review_url = reverse("reviews:review", kwargs={"uuid": locked.uuid})
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.REVIEW,
        summary=f"Health review submitted: {locked.get_health_display()}"
        + (" — unwind trigger fired" if locked.unwind_trigger_fired else ""),
        detail=locked.notes,
        to_value=health,
        actor=submitted_by,
        url=review_url,
    )
    if evidence and (evidence.get("artifact") or "").strip():
        evidence_record(
            partnership=partnership,
            claim=evidence.get("claim") or partnership.claim_sentence,
            artifact=evidence["artifact"],
            quality=evidence.get("quality") or "",
            observed_on=evidence.get("observed_on") or org_today(partnership.organization),
            recorded_by=submitted_by,
            limits=evidence.get("limits") or "",
            boundary_status=evidence.get("boundary_status") or "intact",
        )
    if partnership.missed_review_cycles:
        Partnership.objects.filter(pk=partnership.pk).update(missed_review_cycles=0)
    if locked.unwind_trigger_fired:
        authorizer = partnership.unwind_authorizer or partnership.approver or partnership.owner
        email_queue(
            key=f"unwind-fired:{locked.pk}",
            to=authorizer.email,
            language=member_language(authorizer, partnership.organization),
            template="review-unwind-fired",
            context={
                "review": locked,
                "partnership": partnership,
                "authorizer": authorizer,
                "submitted_by": submitted_by,
                "url": review_url,
            },
            organization=partnership.organization,
        )
    emit(
        organization=partnership.organization,
        type="review.submitted",
        data=review_data(
            locked,
            health=locked.health,
            unwind_trigger_fired=locked.unwind_trigger_fired,
            submitted_by=getattr(submitted_by, "email", None),
        ),
    )
    disagreement_check(review=locked)
    return locked
