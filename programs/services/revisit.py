"""Keep the curated-or-open decision honest: suggest revisiting it when review stops scaling.

The seed: curating works while human review scales (dozens of partners); at a hundred you
become the bottleneck. When a curated program's queue passes the organization's limit
(default 25 waiting, or the oldest waiting 14 days), Accord records a suggestion with the
numbers. It is answered when someone runs the program decision again (or an owner dismisses
it); either answer quiets new suggestions for a month, so a team that looked at the numbers and
chose to keep curating is not nagged every day.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organization
from partnerships.models import FlowRun

from ..models import RevisitSuggestion
from ..selectors import review_capacity, settings_for

QUIET_AFTER_DECISION = datetime.timedelta(days=30)


def _last_program_decision(organization) -> datetime.datetime | None:
    return (
        FlowRun.objects.filter(organization=organization, kind=FlowRun.Kind.PROGRAM)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


def _resolve(suggestion: RevisitSuggestion, *, how: str, by=None, now=None) -> None:
    RevisitSuggestion.objects.filter(pk=suggestion.pk, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now(), resolution=how, resolved_by=by
    )


def revisit_reason(*, waiting: int, oldest_days: int, limit_waiting: int, limit_days: int) -> str:
    """Why the decision should be revisited, or "" when the queue is within its limits."""
    reasons = []
    if waiting >= limit_waiting:
        reasons.append(f"{waiting} applications are waiting (your limit is {limit_waiting})")
    if oldest_days >= limit_days:
        reasons.append(f"the oldest has waited {oldest_days} days (your limit is {limit_days})")
    return "; ".join(reasons)


def revisit_check(
    *, organization: Organization, now: datetime.datetime | None = None
) -> RevisitSuggestion | None:
    """Record a suggestion when a curated queue passes the organization's limits (once: one
    open suggestion per organization). Returns the open suggestion, if any."""
    now = now or timezone.now()
    open_one = RevisitSuggestion.objects.filter(
        organization=organization, resolved_at__isnull=True
    ).first()
    last_decision = _last_program_decision(organization)
    if open_one is not None and last_decision and last_decision > open_one.created_at:
        _resolve(open_one, how="decided", now=now)
        open_one = None
    if organization.partner_program != Organization.Program.CURATED:
        if open_one is not None:
            _resolve(open_one, how="decided", now=now)
        return None
    if open_one is not None:
        return open_one
    last_dismissed = (
        RevisitSuggestion.objects.filter(organization=organization, resolution="dismissed")
        .order_by("-resolved_at")
        .values_list("resolved_at", flat=True)
        .first()
    )
    answered = max(filter(None, [last_decision, last_dismissed]), default=None)
    if answered and now - answered < QUIET_AFTER_DECISION:
        return None
    limits = settings_for(organization)
    capacity = review_capacity(organization, now=now)
    reason = revisit_reason(
        waiting=capacity.waiting,
        oldest_days=capacity.oldest_wait_days,
        limit_waiting=limits.revisit_queue_length,
        limit_days=limits.revisit_wait_days,
    )
    if not reason:
        return None
    try:
        with transaction.atomic():
            return RevisitSuggestion.objects.create(
                organization=organization,
                waiting=capacity.waiting,
                oldest_wait_days=capacity.oldest_wait_days,
                median_wait_days=capacity.median_wait_days,
                partners=capacity.partners,
                reason=reason[:300],
            )
    except IntegrityError:  # a concurrent check recorded it first
        return RevisitSuggestion.objects.filter(
            organization=organization, resolved_at__isnull=True
        ).first()


def revisit_dismiss(*, suggestion: RevisitSuggestion, actor) -> None:
    """An owner answers the suggestion without running the decision again."""
    _resolve(suggestion, how="dismissed", by=actor)


def revisit_check_all(*, now: datetime.datetime | None = None) -> int:
    """The daily scan: every curated organization with someone waiting. Returns suggestions."""
    ids = Organization.objects.filter(partner_program=Organization.Program.CURATED).values_list(
        "pk", flat=True
    )
    made = 0
    for organization in Organization.objects.filter(pk__in=list(ids)):
        if revisit_check(organization=organization, now=now) is not None:
            made += 1
    return made
