"""Appending to the evidence log.

Evidence is appended, never changed: ``evidence_record`` is the only way a row is written, and it
extends the organization's hash chain under a lock so two writers never take the same sequence.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.clock import org_today
from core.events import emit, partnership_ref

from ..chain import GENESIS, entry_digest
from ..models import BoundaryStatus, DecisionKind, EvidenceChainLock, EvidenceEntry, Quality
from ..uploads import upload_check, upload_sha256, upload_storage_name

# A resubmitted form (double click, retry) within this window is the same entry.
RESUBMIT_WINDOW = datetime.timedelta(minutes=2)


def chain_lock(organization_id: int) -> None:
    """Lock the organization's chain for the rest of the transaction.

    Every append and every checkpoint takes this lock, so sequences are gap-free and each
    entry links to its predecessor. It is a row of its own (``of=("self",)``), never the
    organization or partner row: logging evidence does not wait for a charter being signed or
    a partner being edited. (PostgreSQL's foreign-key checks still take a KEY SHARE lock on the
    rows an entry points to, which only a key change or a delete would wait for.)
    """
    EvidenceChainLock.objects.select_for_update(of=("self",)).get_or_create(
        organization_id=organization_id
    )


@transaction.atomic
def evidence_record(
    *,
    partnership,
    claim: str,
    artifact: str,
    quality: str,
    observed_on: datetime.date,
    recorded_by,
    limits: str = "",
    boundary_status: str = BoundaryStatus.INTACT,
    decision: str = DecisionKind.NONE,
    approver=None,
    link: str = "",
    file=None,
    supersedes: EvidenceEntry | None = None,
    correction_reason: str = "",
    submitted_by_contact=None,
) -> EvidenceEntry:
    """Append one entry to the log and to the organization's hash chain.

    The organization's chain is locked for the duration (``chain_lock``) so sequences are
    gap-free and every entry's ``prev_hash`` is its predecessor's hash. A correction names the
    entry it supersedes and why; both stay visible. An uploaded file's SHA-256 is part of the
    entry's hash. ``submitted_by_contact`` marks an entry a partner contact sent from the
    partner room (``recorded_by`` is then None; it counts once a member accepts it).
    """
    errors: dict[str, str] = {}
    if not (claim or "").strip():
        errors["claim"] = "Say which claim this evidence bears on."
    if not (artifact or "").strip():
        errors["artifact"] = "Describe the evidence artifact."
    if quality not in Quality.values:
        errors["quality"] = "Choose the quality of the evidence."
    if boundary_status not in BoundaryStatus.values:
        errors["boundary_status"] = "Choose a boundary status."
    if decision not in DecisionKind.values:
        errors["decision"] = "Unknown decision."
    if submitted_by_contact is not None and (
        submitted_by_contact.partner_id != partnership.partner_id or recorded_by is not None
    ):
        errors["__all__"] = "Only a contact of this partnership's partner can submit it."
    if observed_on is None:
        errors["observed_on"] = "Give the date of the evidence."
    elif observed_on > org_today(partnership.organization):
        # The organization's today: at 09:00 in Auckland its today is UTC's tomorrow.
        errors["observed_on"] = "Evidence cannot be dated in the future."
    if supersedes is not None:
        if supersedes.partnership_id != partnership.pk:
            errors["supersedes"] = "A correction must be on the same partnership."
        elif EvidenceEntry.objects.filter(supersedes=supersedes).exists():
            errors["supersedes"] = "This entry was already corrected; correct the newer entry."
        if not (correction_reason or "").strip():
            errors["correction_reason"] = "Say what the correction fixes."
    mime = ""
    if file:
        try:
            mime = upload_check(file)
        except ValidationError as exc:
            errors["file"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)

    organization = partnership.organization
    sequence, prev_hash = chain_next(organization.pk)

    # A resubmitted form (double click, retry) must not log the same evidence twice.
    duplicate = (
        EvidenceEntry.objects.filter(
            organization=organization,
            partnership=partnership,
            recorded_by=recorded_by,
            submitted_by_contact=submitted_by_contact,
            claim=claim.strip(),
            artifact=artifact.strip(),
            quality=quality,
            observed_on=observed_on,
            supersedes=supersedes,
            created_at__gte=timezone.now() - RESUBMIT_WINDOW,
        )
        .order_by("-sequence")
        .first()
    )
    if duplicate is not None and not file:
        return duplicate

    entry = EvidenceEntry(
        organization=organization,
        partnership=partnership,
        claim=claim.strip(),
        artifact=artifact.strip(),
        link=link or "",
        limits=(limits or "").strip(),
        boundary_status=boundary_status,
        decision=decision,
        quality=quality,
        observed_on=observed_on,
        approver=approver,
        recorded_by=recorded_by,
        submitted_by_contact=submitted_by_contact,
        supersedes=supersedes,
        correction_reason=(correction_reason or "").strip(),
    )
    if file:
        # Stored before the INSERT: the row can never be updated afterwards.
        name = upload_storage_name(organization=organization, mime=mime)
        entry.file_sha256 = upload_sha256(file)
        file.seek(0)
        entry.file.name = default_storage.save(name, file)
        entry.file_name = (getattr(file, "name", "") or "upload")[-255:].split("/")[-1]
        entry.file_type = mime
    return chain_append(entry, sequence=sequence, prev_hash=prev_hash)


def chain_next(organization_id: int) -> tuple[int, str]:
    """Lock the organization's chain and return the next sequence and the hash it links to.

    Call it inside the transaction that appends (``chain_append``), so nobody else takes the
    same sequence in between.
    """
    chain_lock(organization_id)
    last = (
        EvidenceEntry.objects.filter(organization_id=organization_id)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


def chain_append(entry: EvidenceEntry, *, sequence: int, prev_hash: str) -> EvidenceEntry:
    """Write the unsaved ``entry`` as link ``sequence`` of the chain (after ``chain_next``),
    hashed over its content and ``prev_hash``, and announce it."""
    entry.created_at = timezone.now()
    entry.sequence, entry.prev_hash = sequence, prev_hash
    entry.entry_hash = entry_digest(entry, prev_hash)
    entry.save(force_insert=True)
    partnership, supersedes = entry.partnership, entry.supersedes
    emit(
        organization=entry.organization,
        type="evidence.recorded",
        data={
            "entry": {"id": str(entry.uuid), "sequence": entry.sequence},
            "partnership": partnership_ref(partnership),
            "quality": entry.quality,
            "boundary_status": entry.boundary_status,
            "observed_on": entry.observed_on.isoformat(),
            "supersedes": str(supersedes.uuid) if supersedes else None,
        },
    )
    return entry
