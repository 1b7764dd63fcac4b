"""Reads of the evidence log: filtering, search, trend data, chain status."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.http import Http404

from accounts.scoping import get_scoped_or_404
from core.clock import org_today
from partnerships.models import Partnership

from .chain import chain_verify
from .checkpoints import file_checkpoints
from .integrity import Verdict, verdict_from, with_offline
from .models import QUALITY_RANK, Decision, EvidenceEntry

# The stored, GIN-indexed search document (migration 0004, PostgreSQL only).
SEARCH_DOCUMENT = '"evidence_evidenceentry"."search_vector"'


def partnership_get(request, value) -> Partnership:
    """The organization's partnership named by ``value`` (a UUID from a path or a query
    parameter), or 404: text that is not a UUID names no partnership, it is not a crash."""
    try:
        key = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404("No such partnership.") from None
    return get_scoped_or_404(
        request, Partnership.objects.select_related("partner", "organization"), uuid=key
    )


def entry_queryset(request, partnership=None) -> QuerySet:
    """Entries of the request's organization with everything the log table shows."""
    return organization_entries(request.organization, partnership)


def organization_entries(organization, partnership=None) -> QuerySet:
    """Entries of ``organization`` (of one of its partnerships) with what the log shows; the
    request-free form of ``entry_queryset``, for a worker writing an export."""
    qs = EvidenceEntry.objects.filter(organization=organization).select_related(
        "partnership", "partnership__partner", "approver", "recorded_by", "supersedes"
    )
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    return qs


def log_total(organization, partnership=None) -> int:
    """The number of entries in the unfiltered log, without counting a million rows: sequences
    are gap-free per organization, so the last sequence is the organization's count; one
    partnership's count runs over its index."""
    if partnership is not None:
        return EvidenceEntry.objects.filter(partnership=partnership).count()
    last = (
        EvidenceEntry.objects.filter(organization=organization)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return last or 0


DECISION_TRAIL_LENGTH = 20


def partnership_decisions(partnership) -> list[Decision]:
    """The newest decisions on ``partnership`` with who decided, who approved and the entries
    each rests on (a fixed number of queries however long the trail)."""
    return list(
        Decision.objects.filter(partnership=partnership)
        .select_related("decided_by", "approver")
        .prefetch_related("evidence")
        .order_by("-decided_at", "-pk")[:DECISION_TRAIL_LENGTH]
    )


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


TREND_MONTHS = 12


def trend_points(partnership) -> list[TrendPoint]:
    """Per month over the last TREND_MONTHS: entries, mean quality rank (0–3), boundary trouble.

    "Trend evidence beats one-off wins": the chart shows whether quality rises and whether
    boundaries hold over time, not a single good data point. Months are the organization's
    calendar months (its today, not UTC's).
    """
    today = org_today(partnership.organization)
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    rank = Case(
        *[When(quality=q, then=Value(r)) for q, r in QUALITY_RANK.items()],
        output_field=FloatField(),
    )
    rows = (
        EvidenceEntry.objects.filter(partnership=partnership, observed_on__gte=first)
        # Current entries of ours, as sufficiency counts them: a partner's entry waits for us.
        .filter(submitted_by_contact__isnull=True)
        .filter(~Exists(EvidenceEntry.objects.filter(supersedes=OuterRef("pk"))))
        .annotate(month=TruncMonth("observed_on"))
        .order_by()
        .values("month")
        .annotate(
            count=Count("id"),
            avg_quality=Avg(rank),
            strained=Count("id", filter=Q(boundary_status="strained")),
            violated=Count("id", filter=Q(boundary_status="violated")),
        )
    )
    found = {row["month"]: row for row in rows}
    points = []
    cursor = first
    while cursor <= today:
        row = found.get(cursor)
        points.append(
            TrendPoint(
                month=cursor,
                count=row["count"] if row else 0,
                avg_quality=float(row["avg_quality"]) if row else -1,
                strained=row["strained"] if row else 0,
                violated=row["violated"] if row else 0,
            )
        )
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    return points


def decision_get(request, uuid) -> Decision:
    return get_scoped_or_404(
        request,
        Decision.objects.select_related(
            "partnership", "partnership__partner", "decided_by", "approver"
        ),
        uuid=uuid,
    )


def decision_evidence(decision) -> QuerySet:
    """The entries a decision rests on, newest observation first."""
    return decision.evidence.select_related("recorded_by").order_by("-observed_on", "-sequence")


def entry_get(request, uuid) -> EvidenceEntry:
    return get_scoped_or_404(
        request,
        EvidenceEntry.objects.select_related(
            "partnership", "partnership__partner", "approver", "recorded_by", "supersedes"
        ),
        uuid=uuid,
    )


INLINE_VERIFY_LIMIT = 2_000
CHAIN_CACHE_SECONDS = 8 * 24 * 3600


def chain_cache_key(organization) -> str:
    return f"evidence-chain:{organization.uuid}"


def chain_check_store(organization, verdict: Verdict, checked_at) -> None:
    """Keep the result of a full check (``manage.py verify_evidence``) for the log badge."""
    cache.set(
        chain_cache_key(organization),
        {"verdict": verdict, "checked_at": checked_at},
        CHAIN_CACHE_SECONDS,
    )


def chain_status(organization) -> dict:
    """The log page's badge: is the organization's log as recorded, and if not, what was found.

    A log of up to INLINE_VERIFY_LIMIT entries is verified in full on every view (a few ms per
    hundred rows) and compared with the latest signed checkpoint. A larger one shows the last
    full check (nightly), extended on the fly over the entries appended since, starting from
    the last verified hash, so a new entry that does not link is caught at once. What only the
    full check looks at (stored files, the checkpoint file against the database's copy) is
    shown from the last full check.
    """
    last = log_total(organization)
    cached = cache.get(chain_cache_key(organization))
    full = cached["verdict"] if cached else None
    checked_at = cached["checked_at"] if cached else None
    checkpoints = file_checkpoints(organization)
    if last <= INLINE_VERIFY_LIMIT:
        watch = {cp.sequence for cp in checkpoints if cp.valid}
        verdict = verdict_from(
            organization, chain_verify(organization.pk, watch=watch), checkpoints
        )
        status = {"known": True, "checked_at": checked_at, "unchecked": 0}
        return {**status, "verdict": with_offline(verdict, full)}
    if full is None:
        return {"known": False, "verdict": None, "checked_at": None, "total": last}
    newer = last - full.last_sequence
    verdict = full
    if full.intact and 0 < newer <= INLINE_VERIFY_LIMIT:
        tail = chain_verify(
            organization.pk, after_sequence=full.last_sequence, after_hash=full.last_hash
        )
        tail.checked += full.checked
        verdict = with_offline(verdict_from(organization, tail, checkpoints), full)
        newer = 0
    return {"known": True, "verdict": verdict, "checked_at": checked_at, "unchecked": newer}
