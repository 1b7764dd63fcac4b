"""Demo health reviews (``manage.py seed_demo``): four past weekly cycles and the current one.

Past reviews are answered with realistic text so the history shows a health trend; the latest
cycles of partnerships flagged as ghosting are left unanswered, so the counts agree. No e-mails
are queued: digests are the scheduler's job. Safe to run twice (cycles and reviews are unique).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership

from . import schedule
from .models import HealthReview
from .services import REVIEWED_STATUSES, _cycle_get_or_create, reviewed_phases

ANSWERS = [
    (
        "green",
        "None: all disputes stayed within the EU card scope we agreed.",
        "Nothing new; the weekly SLA export matched our own logs.",
        "Two consecutive weeks with dispute resolution over 10 days.",
        "Volumes up 12% week on week; the pilot merchants are happy with payouts.",
    ),
    (
        "amber",
        "Support answered two merchant tickets outside the agreed hours.",
        "Their self-reported uptime: it disagrees with our synthetic checks for Tuesday.",
        "A second week of reporting that disagrees with our monitoring.",
        "Asked for raw incident logs; they promised them for next week.",
    ),
    (
        "green",
        "None.",
        "The incident postmortem for the 14th is still a draft.",
        "Losing the named escalation contact without a replacement within 5 days.",
        "Postmortem arrived and is specific; trend is back to normal.",
    ),
    (
        "red",
        "The partner shared a merchant's transaction export with their analytics vendor.",
        "Their data-handling attestations: we can no longer take them at face value.",
        "Any further data leaving the agreed boundary triggers renegotiation.",
        "Escalated to their Head of Partnerships; awaiting a written remediation plan.",
    ),
]


@transaction.atomic
def seed(orgs, users) -> None:
    manager = users.get("manager") or users.get("owner")
    for org in orgs.values():
        today = schedule.local_today(org)
        latest, _instant = schedule.latest_start(org)
        days = [latest - datetime.timedelta(weeks=w) for w in (4, 3, 2, 1, 0)]
        partnerships = list(
            Partnership.objects.filter(
                organization=org, phase__in=reviewed_phases(org), status__in=REVIEWED_STATUSES
            ).order_by("name")
        )
        for week, day in enumerate(days):
            cycle = _cycle_get_or_create(organization=org, starts_on=day)
            current = week == len(days) - 1
            for i, partnership in enumerate(partnerships):
                review, created = HealthReview.objects.get_or_create(
                    partnership=partnership,
                    cycle=cycle,
                    defaults={
                        "organization": org,
                        "phase": partnership.phase,
                        "due_on": cycle.due_on,
                    },
                )
                if not created or current:
                    continue
                # Partnerships the partnerships demo marks as ghosting missed their latest
                # closed cycles, so the daily ghosting count agrees with the flag shown.
                if week >= len(days) - 1 - partnership.missed_review_cycles:
                    review.state = HealthReview.State.SKIPPED
                    review.save(update_fields=["state"])
                    continue
                health, boundary, seam, trigger, notes = ANSWERS[(i + week) % len(ANSWERS)]
                if health == "red" and i % 2 == 0:
                    health, boundary = "amber", "None, but a near miss on data sharing."
                review.health = health
                review.boundary_violated = boundary
                review.evidence_less_trustworthy = seam
                review.renegotiation_trigger = trigger
                review.notes = notes
                review.state = HealthReview.State.SUBMITTED
                review.submitted_by = manager if org.slug == "northwind" else partnership.owner
                review.submitted_at = timezone.make_aware(
                    datetime.datetime.combine(
                        min(cycle.due_on, today), datetime.time(hour=10, minute=15)
                    ),
                    schedule.org_zone(org),
                )
                review.save()
            count = HealthReview.objects.filter(cycle=cycle).count()
            type(cycle).objects.filter(pk=cycle.pk).update(reviews_created=count)
