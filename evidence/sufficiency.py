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
exists. Superseded entries never count: a correction replaces what it corrects.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from partnerships.models import Dependency, Phase

from .models import BoundaryStatus, DecisionKind, EvidenceEntry, Quality

PILOT_OR_BETTER = {Quality.PILOT, Quality.REAL}


def cycle_start(day: datetime.date, review_weekday: int) -> datetime.date:
    """First day of the weekly review cycle containing ``day``."""
    return day - datetime.timedelta(days=(day.weekday() - review_weekday) % 7)


def current_entries(partnership) -> list[EvidenceEntry]:
    """Entries of the partnership that no later entry supersedes."""
    return list(
        EvidenceEntry.objects.filter(partnership=partnership, superseded_by__isnull=True).only(
            "id", "quality", "boundary_status", "observed_on", "partnership_id"
        )
    )


def sufficiency_missing(
    *,
    partnership,
    entries: Iterable[EvidenceEntry] | None = None,
    today: datetime.date | None = None,
) -> list[str]:
    """What evidence is still missing before a commit or go on ``partnership``.

    ``entries`` is the evidence the decision rests on (default: every current entry). An empty
    list means the evidence suffices. Violations are looked up among all current entries, so
    leaving a violation out of the chosen evidence cannot hide it.
    """
    today = today or timezone.localdate()
    all_current = current_entries(partnership)
    current_ids = {e.id for e in all_current}
    chosen = all_current if entries is None else [e for e in entries if e.id in current_ids]
    dependency = partnership.dependency
    missing: list[str] = []

    if dependency == Dependency.CRITICAL:
        real = [e for e in chosen if e.quality == Quality.REAL]
        weekday = partnership.organization.review_weekday
        cycles = {cycle_start(e.observed_on, weekday) for e in real}
        if len(real) < 3:
            need = 3 - len(real)
            missing.append(
                f"{need} more {'entry' if need == 1 else 'entries'} of quality “real operating "
                f"conditions” (critical dependency needs 3; {len(real)} chosen)."
            )
        if len(cycles) < 2:
            missing.append(
                "Real-operating-conditions evidence spanning 2 review cycles "
                f"(weeks starting on the review weekday); it spans {len(cycles)}."
            )
        last_cycle = cycle_start(today, weekday) - datetime.timedelta(days=7)
        violated = [
            e
            for e in all_current
            if e.boundary_status == BoundaryStatus.VIOLATED and e.observed_on >= last_cycle
        ]
        if violated:
            missing.append(
                f"No boundary violated in the last review cycle: {len(violated)} "
                f"{'entry records' if len(violated) == 1 else 'entries record'} a violation "
                f"since {last_cycle:%d %b %Y}."
            )
    else:
        good = [e for e in chosen if e.quality in PILOT_OR_BETTER]
        if dependency == Dependency.MEDIUM:
            dates = {e.observed_on for e in good}
            if len(dates) < 2:
                missing.append(
                    f"{2 - len(dates)} more {'entry' if 2 - len(dates) == 1 else 'entries'} of "
                    "quality pilot or better on a different date (medium dependency needs 2 on "
                    f"different dates — a trend; {len(dates)} date(s) chosen)."
                )
        elif not good:
            missing.append("1 entry of quality pilot or better (low dependency needs 1; 0 chosen).")
    return missing


def approval_required(*, partnership, kind: str) -> bool:
    """Whether a decision needs the approver before it takes effect.

    Rule 4 demands approval for commit / go on a critical dependency. The organization's
    policy (``EvidencePolicy.approval_min_dependency``, default critical) extends this to
    every decision other than a system deferral on partnerships at or above that dependency.
    """
    from .models import EvidencePolicy

    order = {Dependency.LOW: 0, Dependency.MEDIUM: 1, Dependency.CRITICAL: 2}
    threshold = EvidencePolicy.threshold_for(partnership.organization_id)
    if kind in (DecisionKind.COMMIT, DecisionKind.GO) and partnership.dependency == "critical":
        return True
    return order[partnership.dependency] >= order[threshold]


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
        from .models import Decision

        approved = Decision.objects.filter(
            partnership=partnership,
            kind__in=[DecisionKind.COMMIT, DecisionKind.GO],
            state__in=[Decision.State.APPROVED, Decision.State.EFFECTIVE],
            approver__isnull=False,
            decided_at__date__gte=partnership.phase_started_on,
        ).exists()
        if not approved:
            reasons.append(
                "Evidence: the approver's approval of a commit or go decision "
                "(critical dependency)."
            )
    return reasons
