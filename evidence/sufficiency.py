"""SPEC §3 rule 4: evidence sufficiency scales with dependency depth.

Checked before a commit or a go decision, and as a phase gate before walk or run:

- low: 1 entry of quality pilot or better;
- medium: 2 such entries on different dates (a trend, not a one-off win);
- critical: 3 entries of real-operating-conditions quality spanning 2 review cycles, no boundary
  violated in the last cycle, and the approver's approval.

Review cycles are approximated by the organization's weekly cadence: a cycle is the week that
starts on the organization's ``review_weekday``. Two entries fall in different cycles when they
fall in different such weeks. "The last cycle" means the current cycle and the one before it
(the cycle most recently reviewed), so a violation logged last week still blocks a commit today.

The approval part of the critical rule is not about evidence: the decision flow asks the approver
(see ``evidence.services.decision_record``); the phase gate checks that an approved decision
exists. Superseded entries never count: a correction replaces what it corrects. Entries a
partner submitted from the partner room count only through a member's acceptance (a new entry
that supersedes them, ``evidence.services.partner``), never by themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from core.clock import org_today, org_zone
from partnerships.models import Dependency, Phase

from .models import BoundaryStatus, Decision, DecisionKind, EvidenceEntry, EvidencePolicy, Quality

PILOT_OR_BETTER = {Quality.PILOT, Quality.REAL}


def cycle_start(day: datetime.date, review_weekday: int) -> datetime.date:
    """First day of the weekly review cycle containing ``day``."""
    return day - datetime.timedelta(days=(day.weekday() - review_weekday) % 7)


def current_entries(partnership):
    """Entries of the partnership that no later entry supersedes and that are ours (a
    partner's entry not yet accepted is left out; its acceptance is ours and counts).

    Written as NOT EXISTS so that, with a LIMIT, PostgreSQL walks the newest entries and stops
    early instead of joining the whole log.
    """
    corrected = EvidenceEntry.objects.filter(supersedes=OuterRef("pk"))
    return EvidenceEntry.objects.filter(
        partnership=partnership, submitted_by_contact__isnull=True
    ).filter(~Exists(corrected))


@dataclass
class _Facts:
    good: int  # pilot-or-better entries (capped)
    good_dates: int  # distinct dates among them (capped at 2)
    real: int  # real-operating-conditions entries (capped at 3)
    real_cycles: int  # distinct review cycles among them


def _facts_from_entries(entries, weekday: int) -> _Facts:
    good = [e for e in entries if e.quality in PILOT_OR_BETTER]
    real = [e for e in entries if e.quality == Quality.REAL]
    return _Facts(
        good=len(good),
        good_dates=len({e.observed_on for e in good}),
        real=len(real),
        real_cycles=len({cycle_start(e.observed_on, weekday) for e in real}),
    )


def _recent_dates(qs, limit: int) -> list[datetime.date]:
    return list(qs.order_by("-observed_on").values_list("observed_on", flat=True)[:limit])


def _facts_from_queryset(qs, weekday: int) -> _Facts:
    """The same facts from a few small queries, however large the log (no full scans).

    The newest RECENT entries of each kind almost always settle the question (two dates, two
    cycles); only when they do not is the log searched for distinct dates.
    """
    recent = 50
    good_dates = set(_recent_dates(qs.filter(quality__in=PILOT_OR_BETTER), recent))
    if len(good_dates) == 1:
        good_dates = set(
            qs.filter(quality__in=PILOT_OR_BETTER)
            .order_by("-observed_on")
            .values_list("observed_on", flat=True)
            .distinct()[:2]
        )
    real_dates = _recent_dates(qs.filter(quality=Quality.REAL), recent)
    real_cycles = {cycle_start(d, weekday) for d in real_dates}
    if len(real_dates) == recent and len(real_cycles) < 2:
        # Any 8 distinct dates span at least two weekly cycles.
        more = (
            qs.filter(quality=Quality.REAL)
            .order_by("-observed_on")
            .values_list("observed_on", flat=True)
            .distinct()[:8]
        )
        real_cycles = {cycle_start(d, weekday) for d in more}
    return _Facts(
        good=len(good_dates),
        good_dates=min(len(good_dates), 2),
        real=min(len(real_dates), 3),
        real_cycles=len(real_cycles),
    )


def sufficiency_missing(
    *, partnership, entries: Iterable[EvidenceEntry] | None = None
) -> list[str]:
    """What evidence is still missing before a commit or go on ``partnership``.

    ``entries`` is the evidence the decision rests on (default: every current entry). An empty
    list means the evidence suffices. Violations are looked up among all current entries, so
    leaving a violation out of the chosen evidence cannot hide it. "The last cycle" is counted
    from the organization's own today: at 09:00 in Auckland the cycle has already turned.
    """
    weekday = partnership.organization.review_weekday
    last_cycle = cycle_start(org_today(partnership.organization), weekday) - datetime.timedelta(
        days=7
    )
    current = current_entries(partnership)
    if entries is None:
        facts = _facts_from_queryset(current, weekday)
    else:
        chosen = [e for e in entries if e.partnership_id == partnership.pk]
        superseded = (
            set(
                EvidenceEntry.objects.filter(supersedes_id__in=[e.pk for e in chosen]).values_list(
                    "supersedes_id", flat=True
                )
            )
            if chosen
            else set()
        )
        counted = [
            e for e in chosen if e.pk not in superseded and e.submitted_by_contact_id is None
        ]
        facts = _facts_from_entries(counted, weekday)
    dependency = partnership.dependency
    missing: list[str] = []

    if dependency == Dependency.CRITICAL:
        if facts.real < 3:
            need = 3 - facts.real
            missing.append(
                f"{need} more {'entry' if need == 1 else 'entries'} of quality “real operating "
                f"conditions” (critical dependency needs 3; {facts.real} chosen)."
            )
        if facts.real_cycles < 2:
            missing.append(
                "Real-operating-conditions evidence spanning 2 review cycles "
                f"(weeks starting on the review weekday); it spans {facts.real_cycles}."
            )
        violated = current.filter(
            boundary_status=BoundaryStatus.VIOLATED, observed_on__gte=last_cycle
        ).count()
        if violated:
            missing.append(
                f"No boundary violated in the last review cycle: {violated} "
                f"{'entry records' if violated == 1 else 'entries record'} a violation "
                f"since {last_cycle:%d %b %Y}."
            )
    elif dependency == Dependency.MEDIUM:
        if facts.good_dates < 2:
            need = 2 - facts.good_dates
            missing.append(
                f"{need} more {'entry' if need == 1 else 'entries'} of quality pilot or better "
                "on a different date (medium dependency needs 2 on different dates — a trend; "
                f"{facts.good_dates} {'date' if facts.good_dates == 1 else 'dates'} chosen)."
            )
    elif not facts.good:
        missing.append("1 entry of quality pilot or better (low dependency needs 1; 0 chosen).")
    return missing


DEPENDENCY_ORDER = {Dependency.LOW: 0, Dependency.MEDIUM: 1, Dependency.CRITICAL: 2}
DECIDABLE_KINDS = [kind for kind in DecisionKind.values if kind != DecisionKind.NONE]


def _needs_approval(partnership, kind: str, threshold: str) -> bool:
    if kind in (DecisionKind.COMMIT, DecisionKind.GO) and partnership.dependency == "critical":
        return True
    return DEPENDENCY_ORDER[partnership.dependency] >= DEPENDENCY_ORDER[threshold]


def approval_required(*, partnership, kind: str) -> bool:
    """Whether a decision needs the approver before it takes effect.

    Rule 4 demands approval for commit / go on a critical dependency. The organization's
    policy (``EvidencePolicy.approval_min_dependency``, default critical) extends this to
    every decision other than a system deferral on partnerships at or above that dependency.
    """
    return _needs_approval(
        partnership, kind, EvidencePolicy.threshold_for(partnership.organization_id)
    )


def kinds_needing_approval(partnership) -> list[str]:
    """The decisions on ``partnership`` that wait for the approver (the decision form says so
    before anyone submits); the policy is read once."""
    threshold = EvidencePolicy.threshold_for(partnership.organization_id)
    return [kind for kind in DECIDABLE_KINDS if _needs_approval(partnership, kind, threshold)]


def _day_start(organization, day: datetime.date) -> datetime.datetime:
    """The instant ``day`` begins on the organization's calendar (a phase started "today" in
    Auckland began while UTC was still on yesterday)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=org_zone(organization))


def evidence_sufficiency_gate(partnership, to_phase: str) -> list[str]:
    """Phase gate: advancing to walk or run needs sufficient evidence (and, when critical,
    an approved commit or go decision taken since the current phase started)."""
    if to_phase not in (Phase.WALK, Phase.RUN):
        return []
    order = [Phase.CRAWL, Phase.WALK, Phase.RUN]
    if order.index(to_phase) <= order.index(partnership.phase):
        return []  # moving back is never blocked by evidence
    reasons = [f"Evidence: {reason}" for reason in sufficiency_missing(partnership=partnership)]
    if partnership.dependency == Dependency.CRITICAL:
        approved = Decision.objects.filter(
            partnership=partnership,
            kind__in=[DecisionKind.COMMIT, DecisionKind.GO],
            state__in=[Decision.State.APPROVED, Decision.State.EFFECTIVE],
            approver__isnull=False,
            decided_at__gte=_day_start(partnership.organization, partnership.phase_started_on),
        ).exists()
        if not approved:
            reasons.append(
                "Evidence: the approver's approval of a commit or go decision "
                "(critical dependency)."
            )
    return reasons
