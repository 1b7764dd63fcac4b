"""Reads for health reviews: lists, the health trend, the calendar feed, the panels."""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from core.clock import org_today, org_zone
from partnerships.models import Partnership

from . import schedule
from .models import HEALTH_SCORE, HealthReview
from .services.rules import phase_deadline

STATE_FILTERS = {
    "open": ("Due and overdue", Q(state__in=HealthReview.OPEN_STATES)),
    "mine": ("Yours to answer", Q(state__in=HealthReview.OPEN_STATES)),
    "overdue": ("Overdue", Q(state=HealthReview.State.OVERDUE)),
    "submitted": ("Submitted", Q(state=HealthReview.State.SUBMITTED)),
    "skipped": ("Missed", Q(state=HealthReview.State.SKIPPED)),
    "disagreements": (
        "Partner disagrees",
        Q(disagreement__isnull=False, disagreement__resolved_at__isnull=True),
    ),
    "all": ("All", Q()),
}


def reviews_for_list(qs: QuerySet, state: str, user=None) -> QuerySet:
    _label, condition = STATE_FILTERS.get(state, STATE_FILTERS["open"])
    if state == "mine":
        condition &= Q(partnership__owner=user)
    ordering = ["due_on", "pk"] if state in ("open", "overdue", "mine") else ["-due_on", "-pk"]
    # The partner's answer and any disagreement are one-to-one with the review: joined in,
    # so flagging them costs no query.
    return (
        qs.filter(condition)
        .select_related(
            "partnership__partner",
            "partnership__owner",
            "cycle",
            "submitted_by",
            "partner_review",
            "disagreement",
        )
        .order_by(*ordering)
    )


def _partner_of(review: HealthReview):
    """The review's partner answer when it was joined in or fetched (no query otherwise)."""
    try:
        return review.partner_review
    except ObjectDoesNotExist:
        return None


def health_trend(
    reviews: list[HealthReview], width: int = 600, height: int = 160, *, two_sided=False
) -> dict:
    """Coordinates for the server-rendered SVG trend (oldest left, green at the top).

    ``two_sided``: ``reviews`` come with their ``partner_review`` joined in, and the chart gets
    a second line for the partner's answers; a cycle either side answered gets a column.
    """
    points = []
    partner_points = []
    if two_sided:
        columns = [r for r in reviews if r.health or getattr(_partner_of(r), "health", "")]
    else:
        columns = [r for r in reviews if r.health]
    pad = 24
    n = len(columns)
    for i, review in enumerate(columns):
        x = round(pad + (i * (width - 2 * pad) / (n - 1) if n > 1 else (width - 2 * pad) / 2), 1)
        theirs = _partner_of(review) if two_sided else None
        for answer, into in ((review, points), (theirs, partner_points)):
            if answer is None or not answer.health:
                continue
            score = HEALTH_SCORE[answer.health]
            y = round(pad + (3 - score) * (height - 2 * pad) / 2, 1)
            into.append({"x": x, "y": y, "health": answer.health, "review": review})
    return {
        "width": width,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "partner_points": partner_points,
        "partner_polyline": " ".join(f"{p['x']},{p['y']}" for p in partner_points),
        "levels": [
            {"label": label, "y": pad + i * (height - 2 * pad) / 2}
            for i, label in enumerate(["Green", "Amber", "Red"])
        ],
    }


def review_counts(organization, user=None) -> dict:
    # Only open reviews are counted; filtering first keeps the scan to this week's rows
    # instead of every review ever written (10,000 more each week at scale).
    base = HealthReview.objects.filter(
        organization=organization, state__in=HealthReview.OPEN_STATES
    )
    counts = base.aggregate(
        due=Count("pk", filter=Q(state=HealthReview.State.DUE)),
        overdue=Count("pk", filter=Q(state=HealthReview.State.OVERDUE)),
        mine=Count(
            "pk",
            filter=Q(state__in=HealthReview.OPEN_STATES, partnership__owner=user)
            if user is not None
            else Q(pk__in=[]),
        ),
    )
    return counts


def next_cycle_start(organization, now: datetime.datetime | None = None) -> datetime.datetime:
    """When the next cycle starts, in the organization's own time zone."""
    _day, instant = schedule.next_start(organization, now)
    return instant.astimezone(org_zone(organization))


def calendar_events(*, organization, user) -> list[dict]:
    """Review due dates, deferral dates and phase deadlines of the person's partnerships.

    Every date is a day on the organization's calendar (all-day events); reviews are listed
    from 60 days before the organization's today, whatever UTC's date is.
    """
    partnerships = list(
        Partnership.objects.filter(organization=organization)
        .filter(Q(owner=user) | Q(approver=user) | Q(unwind_authorizer=user))
        .exclude(status="ended")
        .select_related("partner")
    )
    events = []
    for p in partnerships:
        if p.deferral_date:
            events.append(
                {
                    "uid": f"deferral-{p.uuid}-{p.deferral_date}",
                    "date": p.deferral_date,
                    "summary": f"Deferral date: {p.name}",
                    "description": p.deferral_sentence,
                    "partnership": p,
                }
            )
        deadline = phase_deadline(p)
        if deadline:
            events.append(
                {
                    "uid": f"phase-{p.uuid}-{p.phase}-{p.phase_started_on}",
                    "date": deadline,
                    "summary": f"{p.get_phase_display()} time box ends: {p.name}",
                    "description": "The go / no-go decision is due.",
                    "partnership": p,
                }
            )
    since = org_today(organization) - datetime.timedelta(days=60)
    reviews = HealthReview.objects.filter(
        organization=organization,
        partnership__in=[p.pk for p in partnerships],
        due_on__gte=since,
    ).select_related("partnership")
    for r in reviews:
        events.append(
            {
                "uid": f"review-{r.uuid}",
                "date": r.due_on,
                "summary": f"Health review due: {r.partnership.name}",
                "description": f"State: {r.get_state_display()}",
                "review": r,
            }
        )
    return events


def partner_answer(review: HealthReview):
    """The partner's submitted answer to ``review``'s cycle, if joined in and submitted."""
    theirs = _partner_of(review)
    return theirs if theirs is not None and theirs.state == "submitted" else None


def disagreement_of(review: HealthReview):
    """The review's disagreement with the partner, if joined in (no query otherwise)."""
    try:
        return review.disagreement
    except ObjectDoesNotExist:
        return None
