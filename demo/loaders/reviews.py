"""Load the demo health reviews (``demo/data/reviews.py``).

Each weekly cycle, oldest first, is started with ``cycle_start``, the function the scheduler
calls: it opens one review per reviewed partnership, marks the previous cycle's unanswered
reviews as missed (which recounts ghosting), and queues each owner's digest e-mail. The past
cycles are then answered with ``review_submit``, the review page's service, which also puts
each answer on the partnership's timeline; the current cycle stays open. A ghosting
partnership leaves its latest cycles unanswered, so its missed count comes from the same rule
as in production.

``review_submit`` stamps the answer "now"; the demo's answers were given weeks ago, so their
submission times are set back afterwards (no service backdates an answer).

Safe to run twice: cycles and reviews are unique per day and partnership, digests have their
idempotency keys, and only open reviews of past cycles are answered.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.clock import org_today, org_zone
from demo.data import reviews as data
from reviews.models import HealthReview
from reviews.schedule import latest_start
from reviews.services import cycle_start, review_submit


def _answers(i: int, week: int) -> tuple[str, str, str, str, str]:
    health, boundary, seam, trigger, notes = data.ANSWERS[(i + week) % len(data.ANSWERS)]
    if health == "red" and i % 2 == 0:
        health, boundary = data.NEAR_MISS
    return health, boundary, seam, trigger, notes


def _submitted_at(organization, cycle, today) -> datetime.datetime:
    hour, minute = data.SUBMITTED_AT
    day = min(cycle.due_on, today)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)), org_zone(organization)
    )


def _answer(cycle, week: int, weeks: int, organization, submitter, today) -> None:
    reviews = (
        HealthReview.objects.filter(cycle=cycle)
        .select_related("partnership__owner")
        .order_by("partnership__name")
    )
    for i, review in enumerate(reviews):
        ghosting = data.GHOSTING.get(review.partnership.name, 0)
        if review.state not in HealthReview.OPEN_STATES or week >= weeks - 1 - ghosting:
            continue
        health, boundary, seam, trigger, notes = _answers(i, week)
        review_submit(
            review=review,
            submitted_by=submitter or review.partnership.owner,
            boundary_violated=boundary,
            evidence_less_trustworthy=seam,
            renegotiation_trigger=trigger,
            unwind_trigger_fired=False,
            health=health,
            notes=notes,
        )
        HealthReview.objects.filter(pk=review.pk).update(
            submitted_at=_submitted_at(organization, cycle, today)
        )


@transaction.atomic
def _organization(organization, users) -> None:
    today = org_today(organization)
    latest, _instant = latest_start(organization)
    days = [latest - datetime.timedelta(weeks=w) for w in range(data.PAST_CYCLES, -1, -1)]
    submitter = users.get(data.SUBMITTED_BY.get(organization.slug, ""))
    for week, day in enumerate(days):
        cycle = cycle_start(organization=organization, starts_on=day)
        if week < len(days) - 1:  # the current cycle is left for the team
            _answer(cycle, week, len(days), organization, submitter, today)


def load(orgs, users) -> None:
    """Past and current review cycles of every demo organization."""
    for organization in orgs.values():
        _organization(organization, users)
