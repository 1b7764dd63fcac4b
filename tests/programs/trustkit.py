"""Building blocks for the trust tests: a partner with a flawless partnership, reviews."""

import datetime

from django.utils import timezone

from partnerships.models import Partner
from programs.trust import annotate_trust, trust_signal
from reviews.models import HealthReview, ReviewCycle
from tests.factories import PartnerFactory, PartnershipFactory


def clean_partnership(org, owner, approver, **extra):
    """A live partnership with no flag (exit path, unwind criteria, pathway all written)."""
    if "partner" not in extra:
        extra["partner"] = PartnerFactory(organization=org)
    extra.setdefault("phase", "walk")
    extra.setdefault("launched_on", timezone.localdate() - datetime.timedelta(days=20))
    extra.setdefault("phase_started_on", timezone.localdate() - datetime.timedelta(days=20))
    return PartnershipFactory(
        organization=org,
        owner=owner,
        approver=approver,
        unwind_authorizer=approver,
        integration_pathway="Install the connector from the marketplace.",
        **extra,
    )


def review(partnership, health, *, weeks_ago):
    """A submitted health review of ``partnership``, due ``weeks_ago`` weeks back."""
    day = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
    cycle, _ = ReviewCycle.objects.get_or_create(
        organization=partnership.organization,
        starts_on=day,
        defaults={
            "starts_at": timezone.now() - datetime.timedelta(weeks=weeks_ago),
            "due_on": day,
            "remind_on": day,
            "escalate_on": day,
            "ends_on": day + datetime.timedelta(days=6),
        },
    )
    return HealthReview.objects.create(
        organization=partnership.organization,
        partnership=partnership,
        cycle=cycle,
        phase=partnership.phase,
        due_on=day,
        state=HealthReview.State.SUBMITTED,
        health=health,
        submitted_at=timezone.now(),
    )


def trust_of(partner, threshold=50):
    today = timezone.localdate()
    annotated = annotate_trust(
        Partner.objects.filter(pk=partner.pk), organization=partner.organization, today=today
    ).get()
    return annotated, trust_signal(annotated, threshold=threshold, today=today)


def part(partner, key) -> float:
    annotated, _signal = trust_of(partner)
    return getattr(annotated, f"trust_{key}")
