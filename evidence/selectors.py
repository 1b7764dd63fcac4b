"""Reads of the evidence log: filtering, search, trend data, chain status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.scoping import get_scoped_or_404, scoped

from .models import QUALITY_RANK, Decision, EvidenceEntry, Quality

# Exactly the expression of the GIN index created in migration 0003.
SEARCH_DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(\"evidence_evidenceentry\".\"claim\", '') || ' ' "
    "|| coalesce(\"evidence_evidenceentry\".\"artifact\", '') || ' ' "
    '|| coalesce("evidence_evidenceentry"."limits", \'\'))'
)


def entry_queryset(request, partnership=None) -> QuerySet:
    """Entries of the request's organization with everything the log table shows."""
    qs = scoped(request, EvidenceEntry).select_related(
        "partnership", "partnership__partner", "approver", "recorded_by", "supersedes"
    )
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    return qs


def entry_search(qs: QuerySet, text: str) -> QuerySet:
    """Full-text search on PostgreSQL (uses the GIN index); plain matching elsewhere."""
    text = text.strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        # The SQL is a constant; the search text is passed as a parameter.
        return qs.filter(
            RawSQL(  # noqa: S611
                f"{SEARCH_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, %s)",
                [text],
                output_field=BooleanField(),
            )
        )
    return qs.filter(
        Q(claim__icontains=text) | Q(artifact__icontains=text) | Q(limits__icontains=text)
    )


@dataclass
class TrendPoint:
    month: datetime.date
    count: int
    avg_quality: float
    strained: int
    violated: int


def trend_points(
    partnership, months: int = 12, today: datetime.date | None = None
) -> list[TrendPoint]:
    """Per month over the last ``months``: entries, mean quality rank (0–3), boundary trouble.

    "Trend evidence beats one-off wins": the chart shows whether quality rises and whether
    boundaries hold over time, not a single good data point.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = EvidenceEntry.objects.filter(
        partnership=partnership, observed_on__gte=first, superseded_by__isnull=True
    ).values_list("observed_on", "quality", "boundary_status")
    buckets: dict[datetime.date, list] = {}
    cursor = first
    while cursor <= today:
        buckets[cursor] = []
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    for observed_on, quality, boundary in rows:
        key = observed_on.replace(day=1)
        if key in buckets:
            buckets[key].append((quality, boundary))
    points = []
    for month, items in buckets.items():
        ranks = [QUALITY_RANK[Quality(q)] for q, _ in items]
        points.append(
            TrendPoint(
                month=month,
                count=len(items),
                avg_quality=sum(ranks) / len(ranks) if ranks else -1,
                strained=sum(1 for _, b in items if b == "strained"),
                violated=sum(1 for _, b in items if b == "violated"),
            )
        )
    return points


def decision_get(request, uuid) -> Decision:
    return get_scoped_or_404(
        request,
        Decision.objects.select_related(
            "partnership", "partnership__partner", "decided_by", "approver"
        ),
        uuid=uuid,
    )


def entry_get(request, uuid) -> EvidenceEntry:
    return get_scoped_or_404(
        request,
        EvidenceEntry.objects.select_related(
            "partnership", "partnership__partner", "approver", "recorded_by", "supersedes"
        ),
        uuid=uuid,
    )


INLINE_VERIFY_LIMIT = 20_000
CHAIN_CACHE_SECONDS = 24 * 3600


def chain_cache_key(organization) -> str:
    return f"evidence-chain:{organization.uuid}"


def chain_status(organization) -> dict:
    """The log page's badge: is the organization's chain intact, and if not, where it breaks.

    Up to INLINE_VERIFY_LIMIT entries the chain is verified on every view (a few ms per thousand
    rows). Larger logs show the last result of ``manage.py verify_evidence`` (run nightly).
    """
    from django.core.cache import cache

    from .chain import chain_verify

    count = EvidenceEntry.objects.filter(organization=organization).count()
    if count <= INLINE_VERIFY_LIMIT:
        report = chain_verify(organization.pk)
        return {"known": True, "report": report, "checked_at": None}
    cached = cache.get(chain_cache_key(organization))
    if cached is None:
        return {"known": False, "report": None, "checked_at": None}
    return {"known": True, "report": cached["report"], "checked_at": cached["checked_at"]}
