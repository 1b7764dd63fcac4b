"""Writes for health reviews: cycles, submissions, reminders, escalations and the daily rules.

Every function here is safe to run twice. Uniqueness lives in the database (one cycle per
organization and day, one review per partnership and cycle, one deferral per trigger date, one
time-box flag per phase) and every e-mail goes through the outbox with an idempotency key, so a
retried task, a redelivered message after a worker crash or an overlapping beat run finds the
work already done and changes nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization
from notifications.services import email_queue
from partnerships.models import PHASE_WEEKS, Partnership, PartnershipEvent, Phase, Status
from partnerships.services import event_record

from . import schedule
from .models import (
    CalendarFeed,
    DeferralEnforcement,
    HealthReview,
    PhaseTimeBoxFlag,
    ReviewCycle,
)

log = logging.getLogger(__name__)

# Partnerships that are still being run get reviewed; deferred or ended ones do not.
REVIEWED_STATUSES = (Status.ACTIVE, Status.RENEGOTIATING, Status.UNWINDING)
# Statuses rule 5 may move to deferred (a deferred, unwinding or ended one is left alone).
DEFERRABLE_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.RENEGOTIATING)
GHOSTING_LOOKBACK_CYCLES = 8


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def reviewed_phases(organization: Organization) -> list[str]:
    phases = [Phase.WALK, Phase.RUN]
    if organization.review_include_crawl:
        phases.insert(0, Phase.CRAWL)
    return phases


# --------------------------------------------------------------------------- cycles


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
    ghosting count), this cycle gets one review per partnership in a reviewed phase, and each
    owner gets one digest. A crash anywhere rolls all of it back, and the redelivered task does
    it again; a second complete run finds every row and every outbox key already there.
    """
    organization = Organization.objects.get(pk=organization.pk)
    cycle = _cycle_get_or_create(organization=organization, starts_on=starts_on)

    missed = HealthReview.objects.filter(
        organization=organization,
        cycle__starts_on__lt=starts_on,
        state__in=HealthReview.OPEN_STATES,
    ).update(state=HealthReview.State.SKIPPED)
    if missed:
        ghosting_refresh(organization=organization)

    candidates = Partnership.objects.filter(
        organization=organization,
        phase__in=reviewed_phases(organization),
        status__in=REVIEWED_STATUSES,
    ).values_list("pk", "phase")
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
    digests_queue(cycle=cycle)
    return cycle


def digests_queue(*, cycle: ReviewCycle) -> int:
    """Queue one digest per person for ``cycle``, listing every review they must answer.

    The key ``digest:{user}:{cycle}`` makes this exactly-once. People who turned the digest
    off get none (reminders and escalations still reach them).
    """
    organization = cycle.organization
    members = set(
        Membership.objects.filter(organization=organization).values_list("user_id", flat=True)
    )
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
    queued = 0
    for user_id, items in by_owner.items():
        user = owners[user_id]
        if user_id not in members or not user.is_active or not user.digest_enabled:
            continue
        rows = [
            {
                "partnership": r.partnership.name,
                "partner": r.partnership.partner.name,
                "phase": Phase(r.phase).label,
                "due_on": r.due_on,
                "url": _url("reviews:review", uuid=r.uuid),
            }
            for r in items
        ]
        if email_queue(
            key=f"digest:{user_id}:{cycle.pk}",
            to=user.email,
            template="review-digest",
            context={
                "user": user,
                "organization": organization,
                "cycle": cycle,
                "rows": rows,
                "list_url": _url("reviews:list") + "?state=mine",
                "settings_url": _url("accounts:profile"),
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


# --------------------------------------------------------------------------- submissions


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
    refused rather than applied twice. A fired unwind trigger is e-mailed to the member who
    may authorize the unwind (or the approver when nobody is named).
    """
    locked = (
        HealthReview.objects.select_for_update()
        .select_related("partnership__partner", "partnership__organization")
        .get(pk=review.pk)
    )
    if locked.state not in HealthReview.OPEN_STATES:
        raise ValidationError(
            {"health": f"This review is already {locked.get_state_display().lower()}."}
        )
    errors = {}
    if health not in ("green", "amber", "red"):
        errors["health"] = "Choose the overall health: green, amber or red."
    if unwind_trigger_fired and not (notes or "").strip():
        errors["notes"] = "The unwind trigger fired: say what was observed."
    if errors:
        raise ValidationError(errors)
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
    locked.save(
        update_fields=[
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
    )
    review_url = _url("reviews:review", uuid=locked.uuid)
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
        from evidence.services import evidence_record

        evidence_record(
            partnership=partnership,
            claim=evidence.get("claim") or partnership.claim_sentence,
            artifact=evidence["artifact"],
            quality=evidence.get("quality") or "",
            observed_on=evidence.get("observed_on") or timezone.localdate(),
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
    return locked


# --------------------------------------------------------------------------- reminders


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
        HealthReview.objects.select_for_update(skip_locked=True)
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
            "url": _url("reviews:review", uuid=r.uuid),
        }
        for r in reviews
    ]


def reminders_send(*, organization: Organization, now: datetime.datetime | None = None) -> dict:
    """Mark overdue reviews, remind owners on the reminder day, escalate on the escalation day.

    One reminder per owner and one escalation per approver per cycle, listing every review
    concerned. The reviews are claimed (``reminded_at`` / ``escalated_at`` stamped under a row
    lock) in the same transaction that queues the e-mail under its idempotency key, so only one
    run ever reminds or escalates a review. Escalations ignore the digest preference.
    """
    now = now or timezone.now()
    today = schedule.local_today(organization, now)
    result = {"overdue": 0, "reminded": 0, "escalated": 0}
    result["overdue"] = HealthReview.objects.filter(
        organization=organization, state=HealthReview.State.DUE, due_on__lt=today
    ).update(state=HealthReview.State.OVERDUE)

    open_reviews = HealthReview.objects.filter(
        organization=organization, state__in=HealthReview.OPEN_STATES
    ).select_related("partnership__partner", "partnership__owner", "partnership__approver", "cycle")

    groups: dict[tuple, list[HealthReview]] = defaultdict(list)
    for review in open_reviews.filter(cycle__remind_on__lte=today, reminded_at__isnull=True):
        groups[(review.cycle_id, review.partnership.owner_id)].append(review)
    for (cycle_id, owner_id), reviews in groups.items():
        with transaction.atomic():
            won = set(_claim([r.pk for r in reviews], "reminded_at", now))
            if not won:
                continue
            owner = reviews[0].partnership.owner
            email_queue(
                key=f"review-reminder:{owner_id}:{cycle_id}",
                to=owner.email,
                template="review-reminder",
                context={
                    "user": owner,
                    "organization": organization,
                    "cycle": reviews[0].cycle,
                    "rows": _rows([r for r in reviews if r.pk in won]),
                    "list_url": _url("reviews:list"),
                },
                organization=organization,
            )
            result["reminded"] += len(won)

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
        with transaction.atomic():
            won = set(_claim([r.pk for r in reviews], "escalated_at", now))
            if not won:
                continue
            recipient = recipients[recipient_id]
            email_queue(
                key=f"review-escalation:{recipient_id}:{cycle_id}",
                to=recipient.email,
                template="review-escalation",
                context={
                    "user": recipient,
                    "organization": organization,
                    "cycle": reviews[0].cycle,
                    "rows": _rows([r for r in reviews if r.pk in won]),
                    "list_url": _url("reviews:list") + "?state=overdue",
                },
                organization=organization,
            )
            result["escalated"] += len(won)
    return result


# --------------------------------------------------------------------------- daily rules


def ghosting_refresh(*, organization: Organization) -> int:
    """Recount consecutive missed cycles after launch (the ghosting flag, SPEC rule 7).

    Looks at the organization's recent closed cycles only (a count above the look-back is
    already a flag); writes with ``update()`` only where the count changed.
    """
    cycle_ids = list(
        ReviewCycle.objects.filter(organization=organization)
        .order_by("-starts_on")
        .values_list("pk", flat=True)[: GHOSTING_LOOKBACK_CYCLES + 1]
    )
    rows = (
        HealthReview.objects.filter(
            cycle_id__in=cycle_ids,
            partnership__launched_on__isnull=False,
            cycle__starts_on__gte=F("partnership__launched_on"),
        )
        .exclude(state__in=HealthReview.OPEN_STATES)
        .order_by("partnership_id", "-cycle__starts_on")
        .values_list("partnership_id", "state")
    )
    counts: dict[int, int] = {}
    broken: set[int] = set()
    for partnership_id, state in rows:
        if partnership_id in broken:
            continue
        if state == HealthReview.State.SKIPPED:
            counts[partnership_id] = counts.get(partnership_id, 0) + 1
        else:
            counts.setdefault(partnership_id, 0)
            broken.add(partnership_id)
    by_count: dict[int, list[int]] = defaultdict(list)
    for partnership_id, count in counts.items():
        by_count[count].append(partnership_id)
    changed = 0
    for count, ids in by_count.items():
        changed += (
            Partnership.objects.filter(pk__in=ids)
            .exclude(missed_review_cycles=count)
            .update(missed_review_cycles=count)
        )
    return changed


def deferrals_apply(*, organization: Organization, now: datetime.datetime | None = None) -> int:
    """Rule 5: a deferral date that passed with no commit decision defers the partnership.

    One ``DeferralEnforcement`` row per (partnership, date) is the idempotency guard: it is
    inserted first, inside the same transaction as the system decision and the e-mails, so a
    second scan (or a concurrent one) does nothing.
    """
    from evidence.models import Decision, DecisionKind

    today = schedule.local_today(organization, now)
    committed = Decision.objects.filter(
        partnership=OuterRef("pk"), kind=DecisionKind.COMMIT
    ).exclude(state=Decision.State.REJECTED)
    enforced = DeferralEnforcement.objects.filter(
        partnership=OuterRef("pk"), deferral_date=OuterRef("deferral_date")
    )
    candidates = (
        Partnership.objects.filter(
            organization=organization,
            deferral_date__lt=today,
            status__in=DEFERRABLE_STATUSES,
        )
        .filter(~Exists(committed), ~Exists(enforced))
        .select_related("owner", "approver", "partner")
    )
    applied = 0
    for partnership in candidates:
        try:
            applied += _deferral_apply_one(partnership=partnership, organization=organization)
        except ValidationError:
            # One partnership the decision trail refuses must not stop the others; the
            # marker rolled back with it, so the next scan tries again.
            log.exception("Automatic deferral of partnership %s failed", partnership.pk)
    return applied


@transaction.atomic
def _deferral_apply_one(*, partnership: Partnership, organization: Organization) -> int:
    from evidence.models import Decision, DecisionKind
    from evidence.services import decision_record

    # Lock the partnership, then look again: a commit recorded since the scan's query wins.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if (
        Decision.objects.filter(partnership=partnership, kind=DecisionKind.COMMIT)
        .exclude(state=Decision.State.REJECTED)
        .exists()
    ):
        return 0
    try:
        with transaction.atomic():
            marker = DeferralEnforcement.objects.create(
                organization=organization,
                partnership=partnership,
                deferral_date=partnership.deferral_date,
            )
    except IntegrityError:
        return 0
    rationale = (
        f"Deferral by default: the deferral date {partnership.deferral_date:%d %b %Y} "
        f"passed with no commit decision ({partnership.deferral_sentence})"
    )
    decision = decision_record(
        partnership=partnership, kind="defer", rationale=rationale, by_system=True
    )
    DeferralEnforcement.objects.filter(pk=marker.pk).update(decision_id=decision.pk)
    recipients = {partnership.owner_id: partnership.owner}
    if partnership.approver_id:
        recipients[partnership.approver_id] = partnership.approver
    for user in recipients.values():
        email_queue(
            key=f"deferral:{partnership.pk}:{partnership.deferral_date}:{user.pk}",
            to=user.email,
            template="review-deferral",
            context={
                "partnership": partnership,
                "user": user,
                "rationale": rationale,
                "url": _url("reviews:history", uuid=partnership.uuid),
            },
            organization=organization,
        )
    return 1


def phase_deadline(partnership) -> datetime.date | None:
    weeks = PHASE_WEEKS.get(partnership.phase)
    if not weeks or not partnership.phase_started_on:
        return None
    return partnership.phase_started_on + datetime.timedelta(weeks=weeks[1])


def timeboxes_flag(*, organization: Organization, now: datetime.datetime | None = None) -> int:
    """Rule 6: a phase past its maximum length is flagged once; the owner hears go/no-go is due."""
    today = schedule.local_today(organization, now)
    overdue = Q()
    for phase, (_min, maximum) in PHASE_WEEKS.items():
        overdue |= Q(phase=phase, phase_started_on__lt=today - datetime.timedelta(weeks=maximum))
    flagged = PhaseTimeBoxFlag.objects.filter(
        partnership=OuterRef("pk"),
        phase=OuterRef("phase"),
        phase_started_on=OuterRef("phase_started_on"),
    )
    candidates = (
        Partnership.objects.filter(organization=organization, status__in=REVIEWED_STATUSES)
        .filter(overdue)
        .filter(~Exists(flagged))
        .select_related("owner")
    )
    count = 0
    for partnership in candidates:
        deadline = phase_deadline(partnership)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    PhaseTimeBoxFlag.objects.create(
                        organization=organization,
                        partnership=partnership,
                        phase=partnership.phase,
                        phase_started_on=partnership.phase_started_on,
                        deadline=deadline,
                    )
            except IntegrityError:
                continue
            label = partnership.get_phase_display()
            event_record(
                partnership=partnership,
                kind=PartnershipEvent.Kind.NOTE,
                summary=f"{label} time box ended on {deadline:%d %b %Y}: the go / no-go is due",
                by_system=True,
            )
            email_queue(
                key=f"timebox:{partnership.pk}:{partnership.phase}:{partnership.phase_started_on}",
                to=partnership.owner.email,
                template="review-timebox",
                context={
                    "partnership": partnership,
                    "user": partnership.owner,
                    "phase": label,
                    "deadline": deadline,
                    "url": _url("reviews:history", uuid=partnership.uuid),
                },
                organization=organization,
            )
            count += 1
    return count


def daily_scan(*, organization: Organization, now: datetime.datetime | None = None) -> dict:
    """Rules 5 and 6 and the ghosting count for one organization."""
    return {
        "deferred": deferrals_apply(organization=organization, now=now),
        "timeboxes": timeboxes_flag(organization=organization, now=now),
        "ghosting": ghosting_refresh(organization=organization),
    }


# --------------------------------------------------------------------------- calendar feeds


def calendar_feed_create(*, organization: Organization, user) -> tuple[CalendarFeed, str]:
    """Issue a new secret feed URL token (revoking the previous one). Returns (feed, token).

    Only the SHA-256 of the token is stored: the URL is shown once, like a password.
    """
    import hashlib
    import secrets

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(
            organization=organization, user=user, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(
            organization=organization,
            user=user,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
        )
    return feed, token


def calendar_feed_revoke(*, organization: Organization, user) -> int:
    return CalendarFeed.objects.filter(
        organization=organization, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
