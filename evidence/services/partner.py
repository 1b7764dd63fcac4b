"""Evidence a partner contact sends from the partner room, and our acceptance of it.

The partner's entry enters the same append-only chain as ours, marked with the contact who
submitted it (``submitted_by_contact``, covered by the entry's hash). It is evidence *offered*:
it counts toward sufficiency (rule 4) only once a member of ours accepts it, because the rule
is about evidence we are prepared to rest a decision on. Entries are never edited, so accepting
is itself an entry: a copy of the partner's entry, recorded by the member, that supersedes it
(the partner's own row stays in the log, and the superseding link says who accepted it and
when). Accepting twice returns the first acceptance.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import BoundaryStatus, EvidenceEntry
from .entries import chain_append, chain_next, evidence_record


def partner_evidence_submit(
    *,
    partnership,
    contact,
    claim: str,
    artifact: str,
    quality: str,
    observed_on: datetime.date,
    limits: str = "",
    boundary_status: str = BoundaryStatus.INTACT,
    link: str = "",
    file=None,
) -> EvidenceEntry:
    """Append an entry a partner contact submitted; it waits for a member's acceptance.

    The partner states evidence, not decisions: no decision and no approver are recorded.
    """
    return evidence_record(
        partnership=partnership,
        claim=claim,
        artifact=artifact,
        quality=quality,
        observed_on=observed_on,
        recorded_by=None,
        submitted_by_contact=contact,
        limits=limits,
        boundary_status=boundary_status,
        link=link,
        file=file,
    )


def acceptance_of(entry: EvidenceEntry) -> EvidenceEntry | None:
    """The entry that accepted (superseded) the partner's ``entry``, if any."""
    return EvidenceEntry.objects.filter(supersedes=entry).order_by("sequence").first()


@transaction.atomic
def partner_evidence_accept(*, entry: EvidenceEntry, actor, note: str = "") -> EvidenceEntry:
    """Accept a partner's entry: append our copy of it, which supersedes it and counts.

    Idempotent under the chain lock: a second click (or a second member at the same moment)
    gets the acceptance already made, and a partner entry a member already corrected is not
    accepted on top of the correction.
    """
    if entry.submitted_by_contact_id is None:
        raise ValidationError("Only evidence submitted by the partner waits for acceptance.")
    sequence, prev_hash = chain_next(entry.organization_id)
    existing = acceptance_of(entry)
    if existing is not None:
        return existing
    partner = entry.partnership.partner.name
    reason = f"Accepted from {partner}'s entry #{entry.sequence} by {actor.display_name}."
    if (note or "").strip():
        reason = f"{reason} {note.strip()}"
    accepted = EvidenceEntry(
        organization_id=entry.organization_id,
        partnership_id=entry.partnership_id,
        claim=entry.claim,
        artifact=entry.artifact,
        link=entry.link,
        limits=entry.limits,
        boundary_status=entry.boundary_status,
        decision=entry.decision,
        quality=entry.quality,
        observed_on=entry.observed_on,
        recorded_by=actor,
        supersedes=entry,
        correction_reason=reason[:2000],
        # The same stored file, covered by the same digest: the bytes the partner sent.
        file=entry.file.name,
        file_name=entry.file_name,
        file_type=entry.file_type,
        file_sha256=entry.file_sha256,
    )
    accepted.partnership = entry.partnership
    return chain_append(accepted, sequence=sequence, prev_hash=prev_hash)


def pending_partner_entries(partnership):
    """The partner's entries on ``partnership`` that no member accepted yet, oldest first."""
    return (
        EvidenceEntry.objects.filter(
            partnership=partnership,
            organization_id=partnership.organization_id,
            submitted_by_contact__isnull=False,
            superseded_by__isnull=True,
        )
        .select_related("submitted_by_contact")
        .order_by("sequence")
    )
