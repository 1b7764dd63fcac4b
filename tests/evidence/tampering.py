"""What an attacker holding the database owner's (or a superuser's) credentials can do: switch
the append-only trigger off, change rows and recompute the hash chain. PostgreSQL only."""

import contextlib

from django.db import connection

from evidence.chain import GENESIS, entry_digest
from evidence.models import EvidenceEntry


@contextlib.contextmanager
def triggers_off():
    """Run SQL with triggers switched off for this transaction, as a superuser can."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET LOCAL session_replication_role = origin")


def rewrite(entry, column: str, value) -> None:
    """Change one column of ``entry`` and recompute every hash from there, so the chain links
    and every entry matches its own hash again."""
    with triggers_off() as cursor:
        cursor.execute(
            f"UPDATE evidence_evidenceentry SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, entry.pk],
        )
        later = EvidenceEntry.objects.filter(
            organization_id=entry.organization_id, sequence__gte=entry.sequence
        ).order_by("sequence")
        previous = (
            EvidenceEntry.objects.filter(
                organization_id=entry.organization_id, sequence=entry.sequence - 1
            )
            .values_list("entry_hash", flat=True)
            .first()
        )
        prev = previous or GENESIS
        for row in list(later):
            digest = entry_digest(row, prev)
            cursor.execute(
                "UPDATE evidence_evidenceentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                [prev, digest, row.pk],
            )
            prev = digest


def delete_newest(organization, count: int) -> None:
    """Delete the newest ``count`` entries (the rest of the chain still links)."""
    newest = list(
        EvidenceEntry.objects.filter(organization=organization)
        .order_by("-sequence")
        .values_list("pk", flat=True)[:count]
    )
    with triggers_off() as cursor:
        cursor.execute(
            "DELETE FROM evidence_decision_evidence WHERE evidenceentry_id = ANY(%s)", [newest]
        )
        cursor.execute("DELETE FROM evidence_evidenceentry WHERE id = ANY(%s)", [newest])
