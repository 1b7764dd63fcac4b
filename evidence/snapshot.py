"""The evidence a charter version was signed on: a snapshot of the log at the moment it was
sent, and the signed checkpoint that vouches for it.

The charters app sits beside this one in the layers and names these functions by dotted path
(``charters.snapshot``), as the partnerships app names panels and gates. A snapshot is the
organization's chain as it stood (``sequence``: the last entry, ``head``: its hash, which any
later chain must still contain at that place) and ``entries``: how many of them belong to the
partnership. The checkpoint is one signed by the keyring at or after that entry, so whoever
trusts the keyring can check that entry #``sequence`` had that hash; signing needs the private
key, so ``snapshot_checkpoint`` runs on the worker.
"""

from __future__ import annotations

from .chain import GENESIS
from .checkpoints import latest_checkpoint, write_checkpoint
from .models import EvidenceEntry


def partnership_snapshot(partnership) -> dict:
    """The chain head of the partnership's organization now, and the partnership's entries
    up to it (two index reads)."""
    head = (
        EvidenceEntry.objects.filter(organization_id=partnership.organization_id)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    sequence, digest = head if head else (0, GENESIS)
    entries = EvidenceEntry.objects.filter(
        partnership=partnership,
        organization_id=partnership.organization_id,
        sequence__lte=sequence,
    ).count()
    return {"sequence": sequence, "head": digest, "entries": entries}


def snapshot_holds(organization_id: int, sequence: int, head: str) -> bool:
    """Whether the chain still has ``head`` at ``sequence`` (a snapshot of an empty log holds
    while the genesis is what it names)."""
    if sequence == 0:
        return head == GENESIS
    found = (
        EvidenceEntry.objects.filter(organization_id=organization_id, sequence=sequence)
        .values_list("entry_hash", flat=True)
        .first()
    )
    return found == head


def snapshot_checkpoint(organization, sequence: int) -> dict:
    """The signed checkpoint covering entry ``sequence``: the latest one when it already
    reaches it, else a new one of the current head (idempotent). Empty for an empty log.

    What is returned names the checkpoint (its sequence, head, time and key); the signed line
    itself is in the organization's checkpoint file, found by that sequence.

    Raises ``CheckpointRefused`` when the chain no longer verifies, and ``KeyringMissing``
    where there is no private key (web processes): the caller decides what that means.
    """
    if sequence <= 0:
        return {}
    latest = latest_checkpoint(organization)
    if latest is None or not latest.valid or latest.sequence < sequence:
        latest = write_checkpoint(organization)
    if latest is None:
        return {}
    return {
        "sequence": latest.sequence,
        "head": latest.head_hash,
        "at": latest.created_at.isoformat() if latest.created_at else "",
        "key_id": latest.key_id,
    }
