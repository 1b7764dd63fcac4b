# ruff: noqa: E501  (demo text reads better unwrapped)
"""Demo evidence (``manage.py seed_demo``): a year of log entries, decisions and approvals.

Works with whatever partnerships exist in each demo organization (the partnerships demo may
change). Skips an organization that already has evidence, so running it twice changes nothing.
Entries go through ``evidence_record`` so the hash chain is real and verifies.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership, Phase, Status

from .models import Decision, DecisionKind, EvidenceEntry
from .services import evidence_record

ANECDOTE = [
    "Call notes: {contact} says three of their merchants asked for {capability}.",
    "Sales feedback: two prospects mentioned {partner} unprompted during discovery calls.",
    "Customer advisory board: one member praised {capability}, others had not tried it.",
    "Email from {contact} claiming faster turnaround after their last release.",
]
DEMO = [
    "Sandbox demo of {capability} to our product team; happy path ran end to end in 14 minutes.",
    "Recorded demo with {contact}: edge cases (partial refunds, currency change) handled manually.",
    "Joint workshop: walked through the integration pathway; two API gaps logged.",
]
PILOT = [
    "Pilot week {week}: {k} of {m} pilot customers used {capability}; median handling time {minutes} min.",
    "Pilot survey: {k} of {m} customers would keep {capability} after the pilot; {complaints} complaints.",
    "Pilot incident review: {k} tickets escalated to {partner}, all closed within SLA.",
]
REAL = [
    "Production metrics, week of {date}: {volume} transactions through {partner}; error rate {errors}%.",
    "Monthly business review: {k} live customers on {capability}; churn among them {churn}%.",
    "Support data: {k} tickets touching {partner} this month, median time to resolution {hours} h.",
    "Finance reconciliation for {month}: partner-sourced revenue matched invoices within 0.{errors}%.",
]
LIMITS = {
    "anecdote": [
        "One voice; not representative.",
        "Second-hand, not verified.",
        "Self-reported by the partner.",
    ],
    "demo": [
        "Sandbox data only; no real traffic.",
        "Scripted scenario chosen by the partner.",
        "No load or failure testing.",
    ],
    "pilot": [
        "Twenty hand-picked customers; may not generalize.",
        "Short window; seasonality not covered.",
        "Pilot customers got white-glove support.",
    ],
    "real": [
        "Does not establish {y}.",
        "One region only.",
        "Partner-reported numbers cross-checked on a sample of 50.",
    ],
}
STRAINED = [
    "Partner asked for customer contact data beyond the charter's scope; declined.",
    "API change shipped without the agreed two-week notice.",
    "Partner's sales team pitched a competing module to two of our customers.",
]
VIOLATED = [
    "Outage of {hours} h on the partner side breached the 99.5% availability boundary.",
    "Partner shared a customer list with a third party, outside the data-sharing boundary.",
]

# How far a partnership's evidence has matured, by phase: weights of anecdote/demo/pilot/real.
QUALITY_WEIGHTS = {
    Phase.CRAWL: (4, 4, 2, 0),
    Phase.WALK: (1, 2, 4, 3),
    Phase.RUN: (0, 1, 2, 6),
}
QUALITIES = ("anecdote", "demo", "pilot", "real")


def _text(template: str, rng: random.Random, p: Partnership, day: datetime.date) -> str:
    contact = p.partner.contacts.first()
    return template.format(
        contact=contact.name if contact else f"our contact at {p.partner.name}",
        partner=p.partner.name,
        capability=p.claim_capability or "the integration",
        y=p.boundary_not_established or "adoption beyond the pilot segment",
        week=rng.randint(1, 8),
        k=rng.randint(6, 40),
        m=rng.choice([20, 40, 50]),
        minutes=rng.randint(4, 35),
        complaints=rng.randint(0, 6),
        date=day.isoformat(),
        month=day.strftime("%B %Y"),
        volume=f"{rng.randint(2, 90) * 1000:,}",
        errors=rng.randint(1, 9),
        churn=rng.randint(1, 7),
        hours=rng.randint(2, 30),
    )


def _claim(p: Partnership) -> str:
    if p.claim_uncertainty and p.claim_capability:
        return f"{p.partner.name} reduces uncertainty about {p.claim_uncertainty} through {p.claim_capability}."
    return f"{p.partner.name} can deliver what {p.name} promises."


def _plan(org, approvers, today):
    """Every entry to create, across the organization's partnerships, in date order."""
    rows = []
    partnerships = list(
        Partnership.objects.filter(organization=org).select_related("partner", "owner", "approver")
    )
    for p in partnerships:
        rng = random.Random(f"{org.slug}:{p.name}")
        weeks = {Phase.CRAWL: 14, Phase.WALK: 30, Phase.RUN: 52}.get(p.phase, 20)
        count = rng.randint(weeks // 2, weeks)
        weights = QUALITY_WEIGHTS.get(p.phase, (1, 1, 1, 1))
        for _ in range(count):
            day = today - datetime.timedelta(days=rng.randint(1, weeks * 7))
            quality = rng.choices(QUALITIES, weights=weights)[0]
            roll = rng.random()
            boundary = "violated" if roll < 0.03 else "strained" if roll < 0.12 else "intact"
            if boundary == "intact":
                artifact = _text(
                    rng.choice(
                        {"anecdote": ANECDOTE, "demo": DEMO, "pilot": PILOT, "real": REAL}[quality]
                    ),
                    rng,
                    p,
                    day,
                )
            else:
                artifact = _text(
                    rng.choice(STRAINED if boundary == "strained" else VIOLATED), rng, p, day
                )
            decision = "none"
            if quality in ("pilot", "real") and boundary == "intact" and rng.random() < 0.06:
                # The seeds' log records the decision an entry led to, as teams do.
                decision = "commit" if quality == "real" else "go"
            elif boundary == "violated" and rng.random() < 0.5:
                decision = "renegotiate"
            rows.append(
                {
                    "decision": decision,
                    "partnership": p,
                    "claim": _claim(p),
                    "artifact": artifact,
                    "quality": quality,
                    "observed_on": day,
                    "limits": _text(rng.choice(LIMITS[quality]), rng, p, day),
                    "boundary_status": boundary,
                    "approver": (p.approver or rng.choice(approvers))
                    if (quality == "real" or decision != "none") and approvers
                    else None,
                    "recorded_by": p.owner,
                }
            )
    rows.sort(key=lambda r: (r["observed_on"], r["partnership"].pk))
    return partnerships, rows


def _decision(
    p,
    kind,
    rationale,
    evidence,
    *,
    decided_by,
    approver=None,
    when,
    state="effective",
    note="",
    by_system=False,
):
    decision = Decision.objects.create(
        organization_id=p.organization_id,
        partnership=p,
        kind=kind,
        rationale=rationale,
        decided_by=None if by_system else decided_by,
        by_system=by_system,
        approver=approver,
        state=state,
        approval_note=note,
        approved_at=when + datetime.timedelta(hours=20)
        if approver and state != "pending"
        else None,
    )
    # decided_at is auto_now_add; backdate it to when the decision was really taken.
    Decision.objects.filter(pk=decision.pk).update(decided_at=when)
    if evidence:
        decision.evidence.set(evidence)
    return decision


def _seed_decisions(partnerships, by_partnership, users, today):
    now = timezone.now()
    for p in partnerships:
        entries = sorted(by_partnership.get(p.pk, []), key=lambda e: e.observed_on)
        good = [e for e in entries if e.quality in ("pilot", "real")]
        approver = p.approver or users.get("owner")
        needs_approval = p.dependency == "critical"
        if p.phase in (Phase.WALK, Phase.RUN) and good:
            when = now - datetime.timedelta(days=(today - p.phase_started_on).days + 1)
            _decision(
                p,
                DecisionKind.GO,
                f"Crawl met its success criteria: {len(good[:3])} pilot-or-better entries on different dates and no boundary violated.",
                good[:3],
                decided_by=p.owner,
                approver=approver if needs_approval else None,
                when=when,
                note="Evidence spans several review cycles; approved." if needs_approval else "",
            )
        if p.status == Status.DEFERRED:
            _decision(
                p,
                DecisionKind.DEFER,
                "Deferral date passed with evidence still ambiguous; deferred automatically.",
                entries[-2:],
                decided_by=None,
                by_system=True,
                when=now - datetime.timedelta(days=6),
            )
        elif p.status == Status.UNWINDING:
            violated = [e for e in entries if e.boundary_status == "violated"] or entries[-1:]
            _decision(
                p,
                DecisionKind.UNWIND,
                "The unwind trigger fired: the boundary was violated again after the renegotiation.",
                violated[-2:],
                decided_by=p.owner,
                approver=approver,
                when=now - datetime.timedelta(days=12),
                note="Agreed; start the exit path now.",
            )
        elif p.status == Status.RENEGOTIATING:
            strained = [e for e in entries if e.boundary_status != "intact"] or entries[-1:]
            _decision(
                p,
                DecisionKind.RENEGOTIATE,
                "Repeated strain on the data-sharing boundary; renegotiate scope before committing further.",
                strained[-3:],
                decided_by=p.owner,
                when=now - datetime.timedelta(days=20),
            )
        elif (
            p.status == Status.ACTIVE
            and p.phase == Phase.WALK
            and len(good) >= 3
            and needs_approval
        ):
            real = [e for e in good if e.quality == "real"][-3:] or good[-3:]
            _decision(
                p,
                DecisionKind.COMMIT,
                "Three months of real operating data; ready to commit to the co-development roadmap.",
                real,
                decided_by=p.owner,
                approver=approver,
                state="pending",
                when=now - datetime.timedelta(days=1),
            )


@transaction.atomic
def seed(orgs, users) -> None:
    """A year of evidence for the demo partnerships, with decisions and approvals."""
    today = timezone.localdate()
    for org in orgs.values():
        if EvidenceEntry.objects.filter(organization=org).exists():
            continue
        approvers = [
            m.user for m in org.memberships.filter(can_approve=True).select_related("user")
        ]
        partnerships, rows = _plan(org, approvers, today)
        by_partnership: dict[int, list[EvidenceEntry]] = {}
        for row in rows:
            entry = evidence_record(**row)
            by_partnership.setdefault(entry.partnership_id, []).append(entry)
        # One correction, so the demo shows how mistakes are fixed without editing.
        for entries in by_partnership.values():
            wrong = next((e for e in entries if e.quality == "real"), None)
            if wrong:
                fixed = evidence_record(
                    partnership=wrong.partnership,
                    claim=wrong.claim,
                    artifact=wrong.artifact,
                    quality="pilot",
                    observed_on=wrong.observed_on,
                    limits=wrong.limits,
                    boundary_status=wrong.boundary_status,
                    approver=wrong.approver,
                    recorded_by=wrong.recorded_by,
                    supersedes=wrong,
                    correction_reason="Logged as real operating conditions, but these were still pilot customers.",
                )
                entries.append(fixed)
                break
        _seed_decisions(partnerships, by_partnership, users, today)
