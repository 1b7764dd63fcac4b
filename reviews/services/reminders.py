"""Overdue marks, reminders and escalations for unanswered reviews.

On the organization's reminder day each owner gets one reminder listing their open reviews; on
the escalation day each approver gets one escalation. A review is claimed (``reminded_at`` /
``escalated_at`` stamped under a row lock) in the same transaction that queues the e-mail under
its idempotency key, so only one run ever reminds or escalates a review.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization
from core.clock import org_today
from core.events import emit_many
from core.i18n import member_language
from notifications.services import email_queue
from partnerships.models import Partnership

from ..events import review_data
from ..models import HealthReview


def _escalation_recipient(partnership: Partnership, approvers: list):
    """The partnership's approver; else the first member who may approve (not the owner)."""
    if partnership.approver_id and partnership.approver_id != partnership.owner_id:
        return partnership.approver
    for user in approvers:
        if user.pk != partnership.owner_id:
            return user
    return partnership.approver


def _claim(ids: list[int], field: str, now) -> list[int]:
    """Lock and stamp the reviews not yet stamped; return those this caller won."""
    won = list(
        HealthReview.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=ids, **{f"{field}__isnull": True})
        .values_list("pk", flat=True)
    )
    if won:
        HealthReview.objects.filter(pk__in=won).update(**{field: now})
    return won


def _rows(reviews: list[HealthReview]) -> list[dict]:
    return [
        {
            "partnership": r.partnership.name,
            "partner": r.partnership.partner.name,
            "owner": r.partnership.owner.display_name,
            "due_on": r.due_on,
            "url": reverse("reviews:review", kwargs={"uuid": r.uuid}),
        }
        for r in reviews
    ]


def _send_claimed(*, organization, reviews, field, now, key, user, template, context) -> int:
    """Claim ``reviews`` for ``field`` and queue one e-mail for those won, atomically."""
    with transaction.atomic():
        won = set(_claim([r.pk for r in reviews], field, now))
        if not won:
            return 0
        email_queue(
            key=key,
            to=user.email,
            language=member_language(user, organization),
            template=template,
            context={**context, "user": user, "rows": _rows([r for r in reviews if r.pk in won])},
            organization=organization,
        )
    return len(won)


@transaction.atomic
def overdue_mark(*, organization: Organization, today: datetime.date) -> int:
    """Mark due reviews past their due date overdue and announce each (``review.overdue``).

    The reviews are locked (skipping those another run holds) and must still be due, so two
    overlapping runs never mark, or announce, one review twice.
    """
    won = list(
        HealthReview.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(organization=organization, state=HealthReview.State.DUE, due_on__lt=today)
        .values_list("pk", flat=True)
    )
    if not won:
        return 0
    HealthReview.objects.filter(pk__in=won).update(state=HealthReview.State.OVERDUE)
    marked = (
        HealthReview.objects.filter(pk__in=won)
        .select_related("cycle", "partnership__partner")
        .order_by("pk")
    )
    emit_many(
        organization=organization,
        type="review.overdue",
        items=(review_data(review) for review in marked.iterator(chunk_size=2000)),
    )
    return len(won)


def reminders_send(*, organization: Organization, now: datetime.datetime | None = None) -> dict:
    """Mark overdue reviews, remind owners on the reminder day, escalate on the escalation day.

    One reminder per owner and one escalation per approver per cycle, listing every review
    concerned. Days are the organization's own: a review due today is not overdue until the
    organization's today has passed its due date. Escalations ignore the digest preference.
    """
    now = now or timezone.now()
    today = org_today(organization, now)
    result = {"overdue": 0, "reminded": 0, "escalated": 0}
    result["overdue"] = overdue_mark(organization=organization, today=today)

    open_reviews = HealthReview.objects.filter(
        organization=organization, state__in=HealthReview.OPEN_STATES
    ).select_related("partnership__partner", "partnership__owner", "partnership__approver", "cycle")

    groups: dict[tuple, list[HealthReview]] = defaultdict(list)
    for review in open_reviews.filter(cycle__remind_on__lte=today, reminded_at__isnull=True):
        groups[(review.cycle_id, review.partnership.owner_id)].append(review)
    for (cycle_id, owner_id), reviews in groups.items():
        result["reminded"] += _send_claimed(
            organization=organization,
            reviews=reviews,
            field="reminded_at",
            now=now,
            key=f"review-reminder:{owner_id}:{cycle_id}",
            user=reviews[0].partnership.owner,
            template="review-reminder",
            context={
                "organization": organization,
                "cycle": reviews[0].cycle,
                "list_url": reverse("reviews:list"),
            },
        )

    approvers = [
        m.user
        for m in Membership.objects.filter(organization=organization, can_approve=True)
        .select_related("user")
        .order_by("created_at", "pk")
    ]
    groups = defaultdict(list)
    recipients = {}
    for review in open_reviews.filter(cycle__escalate_on__lte=today, escalated_at__isnull=True):
        recipient = _escalation_recipient(review.partnership, approvers)
        if recipient is None:
            continue
        recipients[recipient.pk] = recipient
        groups[(review.cycle_id, recipient.pk)].append(review)
    for (cycle_id, recipient_id), reviews in groups.items():
        result["escalated"] += _send_claimed(
            organization=organization,
            reviews=reviews,
            field="escalated_at",
            now=now,
            key=f"review-escalation:{recipient_id}:{cycle_id}",
            user=recipients[recipient_id],
            template="review-escalation",
            context={
                "organization": organization,
                "cycle": reviews[0].cycle,
                "list_url": reverse("reviews:list") + "?state=overdue",
            },
        )
    return result
