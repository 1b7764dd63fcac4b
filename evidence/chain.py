"""The per-organization hash chain over evidence entries.

Each entry's hash covers its own content and the previous entry's hash, so changing, removing
or reordering any row breaks every link after it. The database trigger makes tampering hard;
the chain makes it detectable by anyone who runs ``manage.py verify_evidence``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64

HASHED_FIELDS = (
    "uuid",
    "organization_id",
    "partnership_id",
    "sequence",
    "claim",
    "artifact",
    "link",
    "file",
    "file_name",
    "file_type",
    "limits",
    "boundary_status",
    "decision",
    "quality",
    "observed_on",
    "approver_id",
    "recorded_by_id",
    "supersedes_id",
    "correction_reason",
    "created_at",
)


def _value(entry, field: str):
    value = getattr(entry, field)
    if field == "file":
        return value.name if value else ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None:
        return None
    if isinstance(value, (int, str)):
        return value
    return str(value)


def entry_digest(entry, prev_hash: str) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the entry's content."""
    content = {field: _value(entry, field) for field in HASHED_FIELDS}
    payload = prev_hash + json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class ChainReport:
    intact: bool
    checked: int
    broken_sequence: int | None = None
    broken_uuid: str | None = None
    problem: str = ""


def chain_verify(organization_id: int, batch: int = 2000) -> ChainReport:
    """Walk the organization's chain in sequence order; report the first broken entry."""
    from .models import EvidenceEntry

    prev = GENESIS
    expected_seq = 1
    checked = 0
    qs = EvidenceEntry.objects.filter(organization_id=organization_id).order_by("sequence")
    for entry in qs.iterator(chunk_size=batch):
        checked += 1
        problem = ""
        if entry.sequence != expected_seq:
            problem = f"sequence {expected_seq} is missing (found {entry.sequence})"
        elif entry.prev_hash != prev:
            problem = "its link to the previous entry does not match"
        elif entry.entry_hash != entry_digest(entry, prev):
            problem = "its content does not match its hash"
        if problem:
            return ChainReport(False, checked, entry.sequence, str(entry.uuid), problem)
        prev = entry.entry_hash
        expected_seq += 1
    return ChainReport(True, checked)
