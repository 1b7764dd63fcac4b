"""Load the demo evidence log and decision trail (``demo/data/evidence.json``).

Every entry is appended with ``evidence_record``, the function the log page calls, so the hash
chain is real and verifies; the correction names the entry it supersedes, as a correction made
on the page does. Decisions still in force go through ``decision_record`` (and, where the rules
ask for the approver, ``decision_review``), which also puts them on the partnership's timeline
and e-mails the approver; the one awaiting approval is left waiting.

Two things have no service, and are written directly:

- a go decision of the past. ``decision_record`` makes a go take effect, which would move a
  partnership that already moved (the partnerships loader replayed its phases) one phase on;
  so the record of that past decision is inserted as it stands, with its evidence.
- the decision dates. Services stamp "now", which keeps the trail honest in the product; the
  demo's decisions were taken days or months ago, so their dates are set back afterwards.

Entries are for whatever demo partnerships exist (missing ones are skipped). Safe to run twice:
an organization that already has evidence is left alone, and each organization's log is
loaded in one transaction, so it is either all there or not at all.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.clock import org_today
from evidence.models import Decision, DecisionKind, EvidenceEntry
from evidence.services import (
    decision_approver_for,
    decision_record,
    decision_review,
    evidence_record,
)
from partnerships.models import Partnership

DATA = Path(__file__).resolve().parent.parent / "data" / "evidence.json"
# An approver answers the day after they are asked.
APPROVAL_DELAY = datetime.timedelta(hours=20)


def log_data() -> dict:
    """The evidence data: per organization slug, its claims, entries and decisions."""
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def _artifact(text: str, day: datetime.date) -> str:
    return text.replace("{date}", day.isoformat()).replace("{month}", day.strftime("%B %Y"))


def _approver(partnership: Partnership):
    return partnership.approver or decision_approver_for(partnership=partnership)


def _entries(org_data: dict, partnerships: dict, today) -> dict[str, EvidenceEntry]:
    """Append every entry in order; returns them by their id in the data."""
    entries: dict[str, EvidenceEntry] = {}
    for row in org_data["entries"]:
        partnership = partnerships.get(row["partnership"])
        if partnership is None:
            continue
        day = today - datetime.timedelta(days=row["days_ago"])
        corrects = entries.get(row.get("corrects", ""))
        entries[row["id"]] = evidence_record(
            partnership=partnership,
            claim=org_data["claims"][row["partnership"]],
            artifact=_artifact(row["artifact"], day),
            quality=row["quality"],
            observed_on=day,
            limits=row["limits"],
            boundary_status=row["boundary"],
            decision=row["decision"],
            approver=_approver(partnership) if row["approved"] else None,
            recorded_by=partnership.owner,
            supersedes=corrects,
            correction_reason=row.get("correction_reason", "") if corrects else "",
        )
    return entries


def _past_go(partnership: Partnership, row: dict, evidence: list, when) -> Decision:
    """A go taken in the past, recorded as it stands (see the module docstring)."""
    approver = _approver(partnership) if row["approved"] else None
    decision = Decision.objects.create(
        organization_id=partnership.organization_id,
        partnership=partnership,
        kind=DecisionKind.GO,
        rationale=row["rationale"],
        decided_by=partnership.owner,
        approver=approver,
        state=Decision.State.EFFECTIVE,
        approval_note=row.get("approval_note", ""),
        approved_at=when + APPROVAL_DELAY if approver else None,
    )
    if evidence:
        decision.evidence.set(evidence)
    return decision


def _decide(partnership: Partnership, row: dict, evidence: list) -> Decision:
    """A decision through the decision trail's services; approved when the data says how."""
    by_system = row.get("by_system", False)
    decision = decision_record(
        partnership=partnership,
        kind=row["kind"],
        rationale=row["rationale"],
        evidence=evidence,
        decided_by=None if by_system else partnership.owner,
        by_system=by_system,
    )
    if decision.state == Decision.State.PENDING and not row.get("pending"):
        decision_review(
            decision=decision,
            reviewer=decision.approver,
            approve=True,
            note=row["approval_note"],
        )
    return decision


def _decisions(org_data: dict, partnerships: dict, entries: dict) -> None:
    now = timezone.now()
    for row in org_data["decisions"]:
        partnership = partnerships.get(row["partnership"])
        if partnership is None:
            continue
        partnership.refresh_from_db()
        evidence = [entries[key] for key in row["evidence"] if key in entries]
        when = now - datetime.timedelta(days=row["days_ago"])
        if row["kind"] == DecisionKind.GO:
            decision = _past_go(partnership, row, evidence, when)
        else:
            decision = _decide(partnership, row, evidence)
        Decision.objects.filter(pk=decision.pk).update(decided_at=when)
        Decision.objects.filter(pk=decision.pk, approved_at__isnull=False).update(
            approved_at=when + APPROVAL_DELAY
        )


def load(orgs, users) -> None:
    """A year of evidence for each demo organization, with its decisions and approvals."""
    data = log_data()
    for slug, organization in orgs.items():
        org_data = data.get(slug)
        if org_data is None or EvidenceEntry.objects.filter(organization=organization).exists():
            continue
        partnerships = {
            p.name: p
            for p in Partnership.objects.filter(organization=organization).select_related(
                "partner", "owner", "approver", "organization"
            )
        }
        with transaction.atomic():
            entries = _entries(org_data, partnerships, org_today(organization))
            _decisions(org_data, partnerships, entries)
