"""Reads for partner programs, each a constant number of queries whatever the row count.

Member pages read through the request (``accounts.scoping``); the public pages read through
the organization named by the URL's slug, and only that organization's rows.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Organization, Role
from accounts.scoping import get_scoped_or_404, scoped
from core.tokens import hash_token
from partnerships.models import Partner, Partnership, Status

from .models import Application, DirectoryListing, PendingApplication, ProgramSettings
from .trust import TRUST_SORTS, annotate_trust, trust_below_q

MEDIAN_SAMPLE = 500  # the most recent decisions a median wait is taken over
MEDIAN_WINDOW = datetime.timedelta(days=180)


def settings_for(organization: Organization) -> ProgramSettings:
    """The organization's program settings, or the defaults (unsaved) when none were saved."""
    found = ProgramSettings.objects.filter(organization=organization).first()
    return found or ProgramSettings(organization=organization)


def effective_program(organization: Organization) -> str:
    """The program that decides how a confirmed application is handled.

    The organization's curated-vs-open decision (the partnerships program flow). Until it is
    made, applications wait for review: admitting strangers is a choice someone has to make.
    """
    if organization.partner_program == Organization.Program.OPEN:
        return Organization.Program.OPEN
    return Organization.Program.CURATED


def public_organization(slug: str, *, need: str) -> tuple[Organization, ProgramSettings]:
    """The organization behind a public URL, if it turned ``need`` on; 404 otherwise (the same
    404 whether the organization does not exist or keeps the page off)."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404("Not found.")
    program_settings = settings_for(organization)
    if not getattr(program_settings, need):
        raise Http404("Not found.")
    return organization, program_settings


def pending_for_token(token: str) -> PendingApplication | None:
    """The unconfirmed, unexpired application a confirmation link names, or None."""
    if not token or len(token) > 128:
        return None
    return (
        PendingApplication.objects.select_related("organization")
        .filter(
            token_hash=hash_token(token),
            confirmed_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def application_get(request, uuid) -> Application:
    return get_scoped_or_404(
        request,
        Application.objects.select_related("decided_by", "partner", "partnership"),
        uuid=uuid,
    )


def waiting_applications(request) -> list[Application]:
    return list(
        scoped(request, Application)
        .filter(state=Application.State.WAITING)
        .order_by("confirmed_at", "pk")
    )


def recent_applications(request, *, limit: int = 50) -> list[Application]:
    return list(
        scoped(request, Application)
        .exclude(state=Application.State.WAITING)
        .select_related("decided_by", "partnership")
        .order_by("-decided_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class ReviewCapacity:
    """The data behind "Can you scale human review?"."""

    program: str
    waiting: int
    oldest_wait_days: int
    median_wait_days: float | None  # confirmation → decision, recent curated decisions
    decided: int
    partners: int


def review_capacity(organization: Organization, *, now=None) -> ReviewCapacity:
    """Queue length, oldest and median wait, and the number of partners. Three queries.

    The seed's test for curation is whether human review scales: dozens of partners, yes;
    thousands of potential partners, no. These are the numbers that answer it.
    """
    now = now or timezone.now()
    queue = Application.objects.filter(
        organization=organization, state=Application.State.WAITING
    ).aggregate(n=Count("pk"), oldest=Min("confirmed_at"))
    decided = list(
        Application.objects.filter(
            organization=organization,
            state__in=[
                Application.State.ACCEPTED,
                Application.State.DECLINED,
                Application.State.ENDED,
            ],
            program=Organization.Program.CURATED,
            decided_at__gte=now - MEDIAN_WINDOW,
        )
        .order_by("-decided_at")
        .values_list("confirmed_at", "decided_at")[:MEDIAN_SAMPLE]
    )
    waits = [(d - c).total_seconds() / 86400 for c, d in decided if d and c]
    oldest = queue["oldest"]
    return ReviewCapacity(
        program=organization.partner_program,
        waiting=queue["n"],
        oldest_wait_days=(now - oldest).days if oldest else 0,
        median_wait_days=round(statistics.median(waits), 1) if waits else None,
        decided=len(waits),
        partners=Partner.objects.filter(organization=organization).count(),
    )


def scale_review_answer(capacity: ReviewCapacity, program_settings: ProgramSettings) -> str:
    """The data's answer to "Can you scale human review?": "no" once the queue has reached the
    organization's revisit limits (the team is already the bottleneck), "yes" while reviews are
    being decided within them, "" when there is no data yet (nobody applied)."""
    if (
        capacity.waiting >= program_settings.revisit_queue_length
        or capacity.oldest_wait_days >= program_settings.revisit_wait_days
    ):
        return "no"
    if capacity.waiting or capacity.decided:
        return "yes"
    return ""


def intake_owner(organization: Organization, program_settings: ProgramSettings):
    """Who owns a partnership made from an application: the chosen member, else the first
    owner. One query."""
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("created_at", "pk")
    }
    if program_settings.intake_owner_id in members:
        return members[program_settings.intake_owner_id]
    owners = Membership.objects.filter(organization=organization, role=Role.OWNER)
    first = owners.order_by("created_at", "pk").values_list("user_id", flat=True).first()
    return members.get(first)


def trusted_partners(
    request, *, today: datetime.date, sort: str = "trust", below: bool = False, q: str = ""
) -> QuerySet:
    """The organization's partners with their trust annotated, sorted and filtered in SQL."""
    partners = annotate_trust(
        scoped(request, Partner), organization=request.organization, today=today
    )
    if q:
        partners = partners.filter(name__icontains=q)
    if below:
        partners = partners.filter(
            trust_below_q(settings_for(request.organization).trust_threshold)
        )
    _label, ordering = TRUST_SORTS.get(sort, TRUST_SORTS["trust"])
    return partners.order_by(*ordering)


def partner_with_trust(request, uuid, *, today: datetime.date) -> Partner:
    """One partner of the request's organization with its trust annotated (one query)."""
    qs = annotate_trust(scoped(request, Partner), organization=request.organization, today=today)
    return get_scoped_or_404(request, qs, uuid=uuid)


def directory_candidates(request) -> list[Partner]:
    """Partners that may be listed: admitted, i.e. with a partnership that has not ended."""
    live = Partnership.objects.filter(organization=request.organization).exclude(
        status=Status.ENDED
    )
    return list(
        scoped(request, Partner)
        .filter(pk__in=live.values("partner_id"))
        .select_related("directory_listing")
        .order_by("name")
    )


def public_directory(organization: Organization) -> list[DirectoryListing]:
    """Listed partners of ``organization`` that are still admitted. Only listing fields."""
    live = Partnership.objects.filter(organization=organization).exclude(status=Status.ENDED)
    return list(
        DirectoryListing.objects.filter(
            Q(organization=organization, listed=True, partner__organization=organization)
            & Q(partner_id__in=live.values("partner_id"))
        )
        .only("display_name", "integrates", "website")
        .order_by("display_name", "pk")
    )
