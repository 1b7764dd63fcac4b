"""Is the evidence log as it was recorded? One verdict for the log page and verify_evidence.

Three kinds of tampering are each named:

- an entry changed: the chain walk names the first entry whose content or link does not match;
  if the chain was recomputed after the change, the head no longer matches the latest signed
  checkpoint, and the checkpoint file's short hashes name the first entry that differs;
- entries deleted at the end: the log ends before the sequence the checkpoint signed, and the
  verdict says how many are missing;
- an uploaded file swapped in storage: its bytes no longer hash to the digest recorded with
  (and covered by the hash of) its entry.

Reading every file is slow, so the file check runs in the full check (``manage.py
verify_evidence``, nightly) and the log page shows its latest result; the chain and the
checkpoint are checked on the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from .chain import ChainReport, chain_verify
from .checkpoints import SHORT_HASH, Checkpoint, file_checkpoints
from .models import EvidenceCheckpoint, EvidenceEntry
from .uploads import file_sha256


@dataclass
class Verdict:
    intact: bool
    checked: int
    problems: list[str] = field(default_factory=list)
    broken_sequence: int | None = None
    broken_uuid: str | None = None
    missing_at_end: int = 0
    swapped_file_sequence: int | None = None
    checkpoint: Checkpoint | None = None
    last_sequence: int = 0
    last_hash: str = ""
    # Found by the full check only (files, the checkpoint file against the database's copy).
    offline_problems: list[str] = field(default_factory=list)

    @property
    def problem(self) -> str:
        return " ".join(self.problems)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _signed_at(checkpoint: Checkpoint) -> str:
    return checkpoint.created_at.strftime("%Y-%m-%d %H:%M UTC") if checkpoint.created_at else "?"


def _hash_at(organization, sequence: int, report: ChainReport) -> str | None:
    if sequence in report.seen:
        return report.seen[sequence]
    return (
        EvidenceEntry.objects.filter(organization=organization, sequence=sequence)
        .values_list("entry_hash", flat=True)
        .first()
    )


def _first_rewritten(organization, checkpoints: list[Checkpoint]) -> tuple[int, bool]:
    """(sequence, exact): the first entry that differs from what the checkpoints signed.
    ``exact`` is False when the file only bounds it (a span without short hashes)."""
    signed = [cp for cp in checkpoints if cp.valid]
    actual = dict(
        EvidenceEntry.objects.filter(
            organization=organization, sequence__in=[cp.sequence for cp in signed]
        ).values_list("sequence", "entry_hash")
    )
    for cp in signed:
        if actual.get(cp.sequence) == cp.head_hash:
            continue
        if len(cp.hashes) == cp.sequence - cp.hashes_after:
            rows = dict(
                EvidenceEntry.objects.filter(
                    organization=organization,
                    sequence__gt=cp.hashes_after,
                    sequence__lte=cp.sequence,
                ).values_list("sequence", "entry_hash")
            )
            for offset, short in enumerate(cp.hashes, start=cp.hashes_after + 1):
                if rows.get(offset, "")[:SHORT_HASH] != short:
                    return offset, True
        return cp.hashes_after + 1, False
    return signed[-1].sequence if signed else 1, False


def _against_checkpoint(organization, verdict: Verdict, report: ChainReport, checkpoints) -> None:
    """Compare an intact chain with the latest checkpoint of the file."""
    latest = checkpoints[-1] if checkpoints else None
    verdict.checkpoint = latest
    if latest is None:
        return
    if not latest.valid:
        verdict.intact = False
        verdict.problems.append(f"The latest signed checkpoint is not valid: {latest.problem}")
        return
    when = _signed_at(latest)
    if report.last_sequence < latest.sequence:
        missing = latest.sequence - report.last_sequence
        verdict.intact = False
        verdict.missing_at_end = missing
        verdict.problems.append(
            f"{_plural(missing, 'entry is', 'entries are')} missing at the end: the checkpoint "
            f"signed {when} covers #{latest.sequence}, the log ends at #{report.last_sequence}."
        )
        return
    if _hash_at(organization, latest.sequence, report) != latest.head_hash:
        sequence, exact = _first_rewritten(organization, checkpoints)
        verdict.intact = False
        verdict.broken_sequence = sequence
        where = f"Entry #{sequence}" if exact else f"An entry from #{sequence} on"
        verdict.problems.append(
            f"{where} is not as the checkpoint signed {when} recorded it: the chain was "
            "recomputed after a change."
        )


def verdict_from(organization, report: ChainReport, checkpoints: list[Checkpoint]) -> Verdict:
    """The verdict on a chain walk, compared with the file's checkpoints."""
    verdict = Verdict(
        intact=report.intact,
        checked=report.checked,
        last_sequence=report.last_sequence,
        last_hash=report.last_hash,
    )
    if not report.intact:
        verdict.broken_sequence = report.broken_sequence
        verdict.broken_uuid = report.broken_uuid
        verdict.problems.append(f"Entry #{report.broken_sequence}: {report.problem}.")
        verdict.checkpoint = checkpoints[-1] if checkpoints else None
        return verdict
    _against_checkpoint(organization, verdict, report, checkpoints)
    return verdict


def first_bad_file(organization) -> tuple[int, str] | None:
    """(sequence, problem) of the first entry whose stored file is missing or whose bytes do
    not hash to the digest recorded with it."""
    files = (
        EvidenceEntry.objects.filter(organization=organization)
        .exclude(file="")
        .order_by("sequence")
        .values_list("sequence", "file", "file_sha256")
    )
    for sequence, name, recorded in files.iterator(chunk_size=500):
        try:
            with default_storage.open(name, "rb") as handle:
                stored = file_sha256(handle)
        except (FileNotFoundError, OSError):
            return sequence, f"The file of entry #{sequence} is missing from storage."
        if stored != recorded:
            return sequence, (
                f"The file of entry #{sequence} was replaced: its bytes no longer match the "
                "SHA-256 recorded with the entry."
            )
    return None


def _offline_checks(organization, verdict: Verdict, checkpoints) -> None:
    if not checkpoints and EvidenceCheckpoint.objects.filter(organization=organization).exists():
        verdict.offline_problems.append(
            "The checkpoint file has no checkpoint, but the database records some: the file "
            "is missing or was replaced."
        )
    bad_file = first_bad_file(organization)
    if bad_file:
        verdict.swapped_file_sequence, message = bad_file
        verdict.offline_problems.append(message)


def evidence_verify(organization, *, files: bool = True) -> Verdict:
    """Verify the whole chain against the latest signed checkpoint; with ``files`` also every
    stored file and the checkpoint file against the database's copy."""
    checkpoints = file_checkpoints(organization)
    watch = {cp.sequence for cp in checkpoints if cp.valid}
    verdict = verdict_from(organization, chain_verify(organization.pk, watch=watch), checkpoints)
    if files:
        _offline_checks(organization, verdict, checkpoints)
        with_offline(verdict, verdict)
    return verdict


def with_offline(verdict: Verdict, full: Verdict | None) -> Verdict:
    """Add what the last full check found offline (files, the checkpoint file) to a verdict."""
    if full is None or not full.offline_problems:
        return verdict
    verdict.offline_problems = list(full.offline_problems)
    verdict.swapped_file_sequence = full.swapped_file_sequence
    new = [problem for problem in full.offline_problems if problem not in verdict.problems]
    verdict.problems.extend(new)
    verdict.intact = False
    return verdict
