"""The per-organization hash chain over evidence entries.

Each entry's hash covers its own content and the previous entry's hash, so changing, removing
or reordering any row breaks every link after it. An entry with an uploaded file also covers
the SHA-256 of the file's bytes (``FILE_DIGEST_FIELD``), so the row says which bytes were
uploaded. The database trigger makes tampering hard; the chain makes it detectable by anyone who
runs ``manage.py verify_evidence``. Someone who can write the table could recompute every hash;
signed checkpoints kept outside the database (``evidence.checkpoints``) catch that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field

from .models import EvidenceEntry

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

# Hashed only when the entry has a file: entries without one keep the digest they always had.
FILE_DIGEST_FIELD = "file_sha256"
# Hashed only when a partner contact submitted the entry, for the same reason: who submitted
# it cannot be changed (or a member's entry passed off as the partner's) without breaking it.
PARTNER_FIELD = "submitted_by_contact_id"


def _canonical(value):
    if value is None or isinstance(value, (int, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)  # a FieldFile's str is its name, "" when there is no file


def _digest(content: dict, prev_hash: str) -> str:
    # Every value is already JSON (``_canonical``), so no ``default=`` converter is needed.
    payload = prev_hash + json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _content(values: dict) -> dict:
    """The canonical content that is hashed: HASHED_FIELDS, plus the file's digest when there
    is a file."""
    content = {name: _canonical(values[name]) for name in HASHED_FIELDS}
    if content["file"] is None:
        content["file"] = ""
    if content["file"]:
        content[FILE_DIGEST_FIELD] = values[FILE_DIGEST_FIELD] or ""
    if values.get(PARTNER_FIELD) is not None:
        content[PARTNER_FIELD] = values[PARTNER_FIELD]
    return content


def entry_digest(entry, prev_hash: str) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the entry's content.

    ``entry`` is a model instance or any object with the HASHED_FIELDS as attributes (and
    ``file_sha256`` when it has a file, ``submitted_by_contact_id`` when a partner sent it).
    """
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    if _canonical(values["file"]):
        values[FILE_DIGEST_FIELD] = getattr(entry, FILE_DIGEST_FIELD)
    values[PARTNER_FIELD] = getattr(entry, PARTNER_FIELD, None)
    return _digest(_content(values), prev_hash)


@dataclass
class ChainReport:
    intact: bool
    checked: int
    broken_sequence: int | None = None
    broken_uuid: str | None = None
    problem: str = ""
    last_sequence: int = 0
    last_hash: str = GENESIS
    # The hashes found at the sequences the caller asked to ``watch`` (checkpoints).
    seen: dict[int, str] = field(default_factory=dict)


VERIFY_BATCH = 5000
COLUMNS = (*HASHED_FIELDS, FILE_DIGEST_FIELD, PARTNER_FIELD, "prev_hash", "entry_hash")


def _problem(values: dict, expected_seq: int, prev: str) -> str:
    """What is wrong with one row read by ``chain_verify`` ("" when nothing): the first of a
    gap in the sequence, a broken link, or content that no longer matches its hash."""
    if values["sequence"] != expected_seq:
        return f"sequence {expected_seq} is missing (found {values['sequence']})"
    if values["prev_hash"] != prev:
        return "its link to the previous entry does not match"
    if values["entry_hash"] != _digest(_content(values), prev):
        return "its content does not match its hash"
    return ""


def chain_verify(
    organization_id: int,
    *,
    after_sequence: int = 0,
    after_hash: str = GENESIS,
    watch: Collection[int] = (),
) -> ChainReport:
    """Walk the organization's chain in sequence order; report the first broken entry.

    Reads plain values (no model instances) so a million entries verify in seconds. With
    ``after_sequence``/``after_hash`` only the entries after an already verified one are checked.
    The hashes at the sequences in ``watch`` are noted on the way, so comparing the chain with
    signed checkpoints costs no second read.
    """
    prev = after_hash
    expected_seq = after_sequence + 1
    checked = 0
    seen: dict[int, str] = {}
    rows = (
        EvidenceEntry.objects.filter(organization_id=organization_id, sequence__gt=after_sequence)
        .order_by("sequence")
        .values(*COLUMNS)
    )
    for values in rows.iterator(chunk_size=VERIFY_BATCH):
        checked += 1
        sequence = values["sequence"]
        problem = _problem(values, expected_seq, prev)
        if problem:
            return ChainReport(False, checked, sequence, str(values["uuid"]), problem, seen=seen)
        prev = values["entry_hash"]
        if sequence in watch:
            seen[sequence] = prev
        expected_seq += 1
    return ChainReport(True, checked, last_sequence=expected_seq - 1, last_hash=prev, seen=seen)
