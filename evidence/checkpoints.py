"""Signed checkpoints of each organization's evidence chain, kept outside the database.

The hash chain shows that rows were not edited one by one, but whoever can write the table can
recompute every hash, or delete the newest rows and leave a shorter chain that still links. A
checkpoint says "this organization's chain had ``sequence`` entries ending in ``head_hash`` at
this time", signed with the installation's seal key (``core.keyring``), which the database
does not hold. Verification compares the chain with the latest checkpoint: a recomputed chain
no longer ends in the signed head, and a cut-short one ends before the signed sequence.

Each checkpoint is written twice: as a row (``EvidenceCheckpoint``, for pages and digests) and
as one JSON line appended to ``<EVIDENCE_CHECKPOINT_DIR>/<organization uuid>.jsonl``, which is
the copy verification trusts (default ``var/checkpoints/``; in production a volume the
database's administrators cannot write, or one synced to an object store). A line also lists
the first 16 hex digits of the hash of every entry since the previous checkpoint (up to
DETAIL_LIMIT entries), so verification can name the first entry that was changed.

Writing signs with the private key, which only the worker has (the nightly task writes);
reading needs the public certificates only.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.keyring import sign_bytes, verify_bytes

from .chain import chain_verify
from .models import EvidenceCheckpoint, EvidenceEntry
from .services.entries import chain_lock

VERSION = 1
SHORT_HASH = 16
DETAIL_LIMIT = 50_000


class CheckpointRefused(Exception):
    """The chain does not verify from the last signed checkpoint: signing it would bless the
    tampering."""


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint as read back from the file, with the verdict on its signature."""

    organization: str
    sequence: int
    head_hash: str
    created_at: datetime.datetime | None
    key_id: str
    valid: bool
    problem: str = ""
    hashes_after: int = 0  # ``hashes`` are those of entries hashes_after+1 … sequence
    hashes: tuple[str, ...] = ()
    line: str = ""  # the exact line, to quote where a checkpoint is carried elsewhere


def checkpoint_dir() -> Path:
    configured = getattr(settings, "EVIDENCE_CHECKPOINT_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "checkpoints"


def checkpoint_path(organization) -> Path:
    return checkpoint_dir() / f"{organization.uuid}.jsonl"


def signed_bytes(payload: dict) -> bytes:
    """The canonical bytes of a payload: what is signed and verified."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _unreadable(organization, problem: str, line: str) -> Checkpoint:
    return Checkpoint(str(organization.uuid), 0, "", None, "", False, problem, line=line)


def _parse(line: str, organization) -> Checkpoint:
    """A file line as a Checkpoint; ``valid`` only when our keyring signed exactly this
    payload for this organization."""
    try:
        record = json.loads(line)
        payload, signature = record["payload"], record["signature"]
        sequence = int(payload["sequence"])
        head = str(payload["head"])
        created = datetime.datetime.fromisoformat(str(payload["at"]))
        hashes = tuple(str(h) for h in payload.get("hashes", ()))
        after = int(payload.get("hashes_after", 0))
        named = str(payload["organization"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return _unreadable(organization, "A line of the checkpoint file cannot be read.", line)
    check = verify_bytes(signed_bytes(payload), signature if isinstance(signature, dict) else {})
    problem = "" if check.valid else check.problem
    if check.valid and named != str(organization.uuid):
        problem = "The checkpoint names another organization."
    return Checkpoint(
        named,
        sequence,
        head,
        created,
        check.key_id,
        not problem,
        problem,
        hashes_after=after,
        hashes=hashes,
        line=line,
    )


def file_checkpoints(organization) -> list[Checkpoint]:
    """Every checkpoint in the organization's file, oldest first."""
    path = checkpoint_path(organization)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [_parse(line, organization) for line in text.splitlines() if line.strip()]


def latest_checkpoint(organization) -> Checkpoint | None:
    """The newest checkpoint in the file (its ``valid`` says whether the signature holds), or
    None when none was written yet."""
    found = file_checkpoints(organization)
    return found[-1] if found else None


def _append(path: Path, line: str) -> None:
    """Append one line, whole, even with another writer at the same time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _verified_since(organization, previous: Checkpoint | None, head_sequence: int) -> None:
    """Raise CheckpointRefused unless the chain extends the previous signed checkpoint."""
    if previous is None:
        if EvidenceCheckpoint.objects.filter(organization=organization).exists():
            raise CheckpointRefused(
                "The database records checkpoints the checkpoint file does not have: restore "
                f"{checkpoint_path(organization)} before signing again."
            )
        report = chain_verify(organization.pk)
    else:
        if not previous.valid:
            raise CheckpointRefused(f"The latest checkpoint is not valid: {previous.problem}")
        if head_sequence < previous.sequence:
            raise CheckpointRefused(
                f"The log ends at #{head_sequence}, before the signed #{previous.sequence}."
            )
        signed = (
            EvidenceEntry.objects.filter(organization=organization, sequence=previous.sequence)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if signed != previous.head_hash:
            raise CheckpointRefused(f"Entry #{previous.sequence} is not the one signed before.")
        report = chain_verify(
            organization.pk, after_sequence=previous.sequence, after_hash=previous.head_hash
        )
    if not report.intact:
        raise CheckpointRefused(f"Entry #{report.broken_sequence}: {report.problem}.")


def _short_hashes(organization, after: int, sequence: int) -> list[str]:
    if sequence - after > DETAIL_LIMIT:
        return []
    hashes = (
        EvidenceEntry.objects.filter(
            organization=organization, sequence__gt=after, sequence__lte=sequence
        )
        .order_by("sequence")
        .values_list("entry_hash", flat=True)
    )
    return [value[:SHORT_HASH] for value in hashes]


@transaction.atomic
def write_checkpoint(organization) -> Checkpoint | None:
    """Sign the organization's chain head and record it in the database and the file.

    Idempotent: nothing is written when the latest checkpoint already covers the head, and
    None is returned when the log is empty. The chain is verified from the previous signed
    checkpoint first (CheckpointRefused otherwise), so a tampered chain is never signed.
    """
    chain_lock(organization.pk)
    head = (
        EvidenceEntry.objects.filter(organization=organization)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    if head is None:
        return None
    sequence, head_hash = head
    previous = latest_checkpoint(organization)
    if previous and previous.valid and (previous.sequence, previous.head_hash) == head:
        return previous
    _verified_since(organization, previous, sequence)
    after = previous.sequence if previous else 0
    now = timezone.now()
    payload = {
        "v": VERSION,
        "organization": str(organization.uuid),
        "sequence": sequence,
        "head": head_hash,
        "at": now.isoformat(),
        "hashes_after": after,
        "hashes": _short_hashes(organization, after, sequence),
    }
    data = signed_bytes(payload)
    signature = sign_bytes(data)
    EvidenceCheckpoint.objects.create(
        organization=organization,
        sequence=sequence,
        head_hash=head_hash,
        created_at=now,
        key_id=signature["key_id"],
        payload=data.decode("ascii"),
        signature=signature,
    )
    line = json.dumps({"payload": payload, "signature": signature}, sort_keys=True)
    _append(checkpoint_path(organization), line)
    return _parse(line, organization)
