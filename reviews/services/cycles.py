"""The weekly cycle: which organizations are due, starting a cycle, and the owners' digests.

A cycle starts at the organization's own weekday and hour (``reviews.schedule``). Starting it
is one transaction: earlier unanswered reviews become missed, every partnership in a reviewed
phase gets this cycle's review, and each owner gets one digest. Uniqueness lives in the database
(one cycle per organization and day, one review per partnership and cycle, one outbox key per
digest), so a retried task or an overlapping beat run finds the work done and changes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization, Role
from core.events import emit_many
from core.i18n import member_language
from evidence.checkpoints import latest_checkpoint
from notifications.services import email_queue
from partnerships.models import Partnership, Phase

from .. import schedule
from ..disagreements import open_for_organization
from ..events import review_data
from ..models import HealthReview, ReviewCycle
from .partner import partner_reviews_open, partner_reviews_skip
from .rules import REVIEWED_STATUSES, ghosting_refresh, reviewed_phases


def _cycle_get_or_create(*, organization: Organization, starts_on: datetime.date) -> ReviewCycle:
    defaults = {
        "starts_at": schedule.start_instant(organization, starts_on),
        "due_on": starts_on + datetime.timedelta(days=1),
        "remind_on": starts_on + datetime.timedelta(days=organization.remind_after_days),
        "escalate_on": starts_on + datetime.timedelta(days=organization.escalate_after_days),
        "ends_on": starts_on + datetime.timedelta(days=6),
    }
    try:
        with transaction.atomic():
            cycle, _ = ReviewCycle.objects.get_or_create(
                organization=organization, starts_on=starts_on, defaults=defaults
            )
    except IntegrityError:  # a concurrent run created it between our SELECT and INSERT
        cycle = ReviewCycle.objects.get(organization=organization, starts_on=starts_on)
    return cycle


@transaction.atomic
def cycle_start(*, organization: Organization, starts_on: datetime.date) -> ReviewCycle:
    """Start (or finish starting) the organization's cycle that begins on local ``starts_on``.

    In one transaction: earlier cycles' unanswered reviews become missed (which feeds the
    ghosting count), this cycle gets one review per partnership in a reviewed phase, the
    partner side gets its reviews and its e-mails (``partner_reviews_open``), and each owner
    gets one digest. A crash anywhere rolls all of it back, and the redelivered task does it
    again; a second complete run finds every row and every outbox key already there.

    Integrations hear ``review.due`` for each review this run created, never for one an
    earlier run made: the cycle's row is locked, so overlapping runs take turns, and the new
    reviews are those above the cycle's highest review id before the insert.
    """
    organization = Organization.objects.get(pk=organization.pk)
    cycle = _cycle_get_or_create(organization=organization, starts_on=starts_on)
    cycle = ReviewCycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)
    cycle.organization = organization

    missed = HealthReview.objects.filter(
        organization=organization,
        cycle__starts_on__lt=starts_on,
        state__in=HealthReview.OPEN_STATES,
    ).update(state=HealthReview.State.SKIPPED)
    if missed:
        ghosting_refresh(organization=organization)
    partner_reviews_skip(organization=organization, before=starts_on)

    candidates = Partnership.objects.filter(
        organization=organization,
        phase__in=reviewed_phases(organization),
        status__in=REVIEWED_STATUSES,
    ).values_list("pk", "phase")
    before = HealthReview.objects.filter(cycle=cycle).aggregate(last=Max("pk"))["last"] or 0
    HealthReview.objects.bulk_create(
        [
            HealthReview(
                organization=organization,
                partnership_id=pk,
                cycle=cycle,
                phase=phase,
                due_on=cycle.due_on,
            )
            for pk, phase in candidates.iterator(chunk_size=2000)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    count = HealthReview.objects.filter(cycle=cycle).count()
    ReviewCycle.objects.filter(pk=cycle.pk).update(reviews_created=count)
    created = (
        HealthReview.objects.filter(cycle=cycle, pk__gt=before)
        .select_related("cycle", "partnership__partner")
        .order_by("pk")
    )
    emit_many(
        organization=organization,
        type="review.due",
        items=(review_data(review) for review in created.iterator(chunk_size=2000)),
    )
    partner_reviews_open(cycle=cycle)
    digests_queue(cycle=cycle)
    return cycle


def _signed_checkpoint(organization) -> dict | None:
    """The organization's last signed evidence checkpoint, to carry in its owners' digests: a
    copy outside the database and the checkpoint files, so neither can be rewritten unseen
    (issue 11). None when none was written yet or its signature does not hold."""
    found = latest_checkpoint(organization)
    if found is None or not found.valid:
        return None
    return {
        "sequence": found.sequence,
        "head_hash": found.head_hash,
        "key_id": found.key_id,
        "line": found.line,
    }


def digests_queue(*, cycle: ReviewCycle) -> int:
    """Queue one digest per person for ``cycle``, listing every review they must answer.

    The key ``digest:{user}:{cycle}`` makes this exactly-once. People who turned the digest
    off get none (reminders and escalations still reach them). An owner whose partnerships
    have open disagreements with the partner gets them listed too (and a digest for them
    alone when nothing is due).
    """
    organization = cycle.organization
    roles = dict(
        Membership.objects.filter(organization=organization).values_list("user_id", "role")
    )
    members = set(roles)
    checkpoint = _signed_checkpoint(organization)
    reviews = (
        HealthReview.objects.filter(cycle=cycle, state__in=HealthReview.OPEN_STATES)
        .select_related("partnership__partner", "partnership__owner")
        .order_by("partnership__partner__name", "partnership__name")
    )
    by_owner: dict[int, list[HealthReview]] = defaultdict(list)
    owners = {}
    for review in reviews.iterator(chunk_size=2000):
        owner = review.partnership.owner
        by_owner[owner.pk].append(review)
        owners[owner.pk] = owner
    disagreements: dict[int, list[dict]] = defaultdict(list)
    for item in open_for_organization(organization).select_related("partnership__owner")[:500]:
        owner = item.partnership.owner
        owners[owner.pk] = owner
        disagreements[owner.pk].append(
            {
                "partnership": item.partnership.name,
                "partner": item.partnership.partner.name,
                "cycle": item.cycle.starts_on,
                "kinds": item.kinds,
                "url": reverse("reviews:history", kwargs={"uuid": item.partnership.uuid}),
            }
        )
    queued = 0
    for user_id in sorted(set(by_owner) | set(disagreements)):
        items = by_owner.get(user_id, [])
        user = owners[user_id]
        if user_id not in members or not user.is_active or not user.digest_enabled:
            continue
        rows = [
            {
                "partnership": r.partnership.name,
                "partner": r.partnership.partner.name,
                "phase": Phase(r.phase).label,
                "due_on": r.due_on,
                "url": reverse("reviews:review", kwargs={"uuid": r.uuid}),
            }
            for r in items
        ]
        if email_queue(
            key=f"digest:{user_id}:{cycle.pk}",
            to=user.email,
            language=member_language(user, organization),
            template="review-digest-two-sided" if disagreements[user_id] else "review-digest",
            context={
                "user": user,
                "organization": organization,
                "cycle": cycle,
                "rows": rows,
                "disagreements": disagreements[user_id],
                # Owners keep a copy of the evidence log's last signed checkpoint by e-mail.
                "checkpoint": checkpoint if roles.get(user_id) == Role.OWNER else None,
                "list_url": reverse("reviews:list") + "?state=mine",
                "settings_url": reverse("accounts:profile"),
            },
            organization=organization,
        ):
            queued += 1
    ReviewCycle.objects.filter(pk=cycle.pk, digests_queued_at__isnull=True).update(
        digests_queued_at=timezone.now()
    )
    return queued


def cycles_due(*, now: datetime.datetime | None = None) -> list[tuple[int, datetime.date]]:
    """Organizations whose latest scheduled start has passed without a cycle: (org id, day).

    Only a start after the organization was created counts, so a new organization waits for
    its first weekday instead of getting last week's cycle; and only the latest start is
    considered, so a beat outage never replays a backlog of weeks.
    """
    now = now or timezone.now()
    due = []
    existing = defaultdict(set)
    # Wide enough for every zone: a local date is at most a day from UTC's.
    recent = now.date() - datetime.timedelta(days=9)
    for org_id, day in ReviewCycle.objects.filter(starts_on__gte=recent).values_list(
        "organization_id", "starts_on"
    ):
        existing[org_id].add(day)
    for organization in Organization.objects.only(
        "pk", "time_zone", "review_weekday", "review_hour", "created_at"
    ).iterator():
        day, instant = schedule.latest_start(organization, now)
        if instant < organization.created_at or day in existing[organization.pk]:
            continue
        due.append((organization.pk, day))
    return due
