"""Reads for partners and partnerships, each a constant number of queries whatever the row count.

Every function takes the request (or the organization) and reads only that organization's
rows, so views never build a queryset of their own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Membership, Organization
from accounts.scoping import get_scoped_or_404, scoped

from .models import (
    PHASE_WEEKS,
    FlowRun,
    LaunchItem,
    LaunchPlan,
    Partner,
    Partnership,
    PartnershipEvent,
    Phase,
    Status,
    Tier,
)
from .rules import Flag, flagged_q, too_many_tiers

PARTNER_SORTS = {
    "name": ("Name A–Z", ["name"]),
    "-name": ("Name Z–A", ["-name"]),
    "-activity": ("Recent activity", ["-last_activity", "name"]),
    "-partnerships": ("Most partnerships", ["-n_partnerships", "name"]),
}


def members(organization: Organization) -> list:
    """The organization's members (users), for owner / approver choices. One query."""
    return [
        m.user
        for m in Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def organization_tier_flag(organization: Organization) -> Flag | None:
    """Rule 7's "too many tiers", judged on the organization's live partnerships. One query."""
    tiers = (
        Partnership.objects.filter(organization=organization)
        .exclude(status=Status.ENDED)
        .values("tier")
        .distinct()
        .count()
    )
    return too_many_tiers(tiers_in_use=tiers, max_tiers=organization.max_tiers_in_use)


def partner_list(
    request,
    *,
    q: str = "",
    tier: int | None = None,
    phase: str = "",
    status: str = "",
    owner=None,
    flagged: bool = False,
    sort: str = "name",
    today: datetime.date,
) -> QuerySet:
    """Partners matching the filters, each with the matching partnerships prefetched.

    Partnership filters (tier, phase, status, owner, flagged) keep a partner when at least one
    of its partnerships matches, and the prefetched ``shown_partnerships`` are those matches.
    Two queries per page (partners, partnerships) plus the paginator's count.
    """
    partnerships = scoped(request, Partnership)
    filtered = False
    if tier:
        partnerships, filtered = partnerships.filter(tier=tier), True
    if phase:
        partnerships, filtered = partnerships.filter(phase=phase), True
    if status:
        partnerships, filtered = partnerships.filter(status=status), True
    if owner is not None:
        partnerships, filtered = partnerships.filter(owner=owner), True
    if flagged:
        partnerships, filtered = partnerships.filter(flagged_q(today)), True

    partners = scoped(request, Partner)
    if q:
        partners = partners.filter(
            Q(name__icontains=q)
            | Q(category__icontains=q)
            | Q(pk__in=scoped(request, Partnership).filter(name__icontains=q).values("partner_id"))
        )
    if filtered:
        partners = partners.filter(pk__in=partnerships.values("partner_id"))
    counts = (
        Partnership.objects.filter(partner=OuterRef("pk"))
        .order_by()
        .values("partner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest = (
        Partnership.objects.filter(partner=OuterRef("pk"))
        .order_by()
        .values("partner")
        .annotate(last=Max("updated_at"))
        .values("last")
    )
    partners = partners.annotate(
        n_partnerships=Coalesce(Subquery(counts, output_field=IntegerField()), 0),
        last_activity=Coalesce(Subquery(latest), "updated_at"),
    )
    _label, ordering = PARTNER_SORTS.get(sort, PARTNER_SORTS["name"])
    return partners.order_by(*ordering).prefetch_related(
        Prefetch(
            "partnerships",
            queryset=partnerships.select_related("owner").order_by("name"),
            to_attr="shown_partnerships",
        )
    )


def partner_get(request, uuid) -> Partner:
    return get_scoped_or_404(request, Partner, uuid=uuid)


def partnership_get(request, uuid) -> Partnership:
    """One partnership of the request's organization with everything its page shows."""
    return get_scoped_or_404(
        request,
        Partnership.objects.select_related("partner", "owner", "approver", "unwind_authorizer"),
        uuid=uuid,
    )


def partnership_timeline(partnership: Partnership, *, limit: int = 50) -> list[PartnershipEvent]:
    return list(partnership.events.select_related("actor").order_by("-created_at", "-pk")[:limit])


def launch_plan_for(partnership: Partnership):
    """The partnership's launch plan with its items (two queries), or None."""
    return (
        LaunchPlan.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch("items", queryset=LaunchItem.objects.select_related("owner", "done_by"))
        )
        .first()
    )


def recent_flow_runs(request, *, kinds: list[str], limit: int = 20) -> list[FlowRun]:
    return list(
        scoped(request, FlowRun)
        .filter(kind__in=kinds)
        .select_related("decided_by", "partnership", "partner")
        .order_by("-decided_at", "-pk")[:limit]
    )


@dataclass
class Deadline:
    date: datetime.date
    what: str
    partnership: Partnership
    is_launch_item: bool = False


def _phase_deadline_q(today: datetime.date, horizon: datetime.date) -> Q:
    q = Q(pk__in=[])
    for phase, (_min, max_weeks) in PHASE_WEEKS.items():
        weeks = datetime.timedelta(weeks=max_weeks)
        q |= Q(phase=phase, phase_started_on__range=(today - weeks, horizon - weeks))
    return q


def dashboard_data(request, *, today: datetime.date, limit: int = 10) -> dict:
    """Everything the dashboard shows, in a fixed number of queries."""
    partnerships = scoped(request, Partnership)
    count_by = {}
    aggregates = {}
    for phase in Phase:
        aggregates[f"phase_{phase.value}"] = Count("pk", filter=Q(phase=phase))
    for tier in Tier:
        aggregates[f"tier_{tier.value}"] = Count("pk", filter=Q(tier=tier))
    for status in Status:
        aggregates[f"status_{status.value}"] = Count("pk", filter=Q(status=status))
    aggregates["flagged"] = Count("pk", filter=flagged_q(today))
    aggregates["total"] = Count("pk")
    counts = partnerships.aggregate(**aggregates)
    count_by["phase"] = [(p.label, counts[f"phase_{p.value}"]) for p in Phase]
    count_by["tier"] = [(f"Tier {t.value}", counts[f"tier_{t.value}"]) for t in Tier]
    count_by["status"] = [(s.label, counts[f"status_{s.value}"]) for s in Status]

    base = partnerships.select_related("partner", "owner")
    flagged = list(base.filter(flagged_q(today)).order_by("-updated_at", "pk")[:limit])
    horizon = today + datetime.timedelta(days=30)
    live = base.exclude(status=Status.ENDED)
    deferrals = list(
        live.filter(deferral_date__range=(today, horizon)).order_by("deferral_date", "pk")[:limit]
    )
    time_boxes = list(
        live.filter(_phase_deadline_q(today, horizon)).order_by("phase_started_on", "pk")[:limit]
    )
    deadlines = [
        Deadline(p.deferral_date, f"Deferral date: {p.deferral_sentence}", p) for p in deferrals
    ]
    for p in time_boxes:
        ends = p.phase_started_on + datetime.timedelta(weeks=PHASE_WEEKS[Phase(p.phase)][1])
        deadlines.append(Deadline(ends, f"{p.get_phase_display()} time box ends: go / no-go", p))
    launch_items = list(
        scoped(request, LaunchItem)
        .filter(done=False, due_on__range=(today, horizon))
        .select_related("plan__partnership", "owner")
        .order_by("due_on", "pk")[:limit]
    )
    for item in launch_items:
        owner = item.owner.display_name if item.owner else "no owner"
        deadlines.append(
            Deadline(
                item.due_on,
                f"Launch plan: {item.title} ({owner})",
                item.plan.partnership,
                is_launch_item=True,
            )
        )
    deadlines.sort(key=lambda d: (d.date, d.partnership.name))
    mine = list(
        base.filter(owner=request.user).exclude(status=Status.ENDED).order_by("name")[:limit]
    )
    return {
        "counts": counts,
        "count_by": count_by,
        "flagged": flagged,
        "deadlines": deadlines[: limit * 2],
        "mine": mine,
        "tier_flag": organization_tier_flag(request.organization),
    }
