"""The evidence log at scale: PostgreSQL ``COPY`` of rows that form one valid hash chain.

A million rows through ``evidence_record`` would take an hour; ``COPY`` (psycopg's
``cursor.copy``) takes about a minute plus the SHA-256 chain in Python. The digests are
computed with the evidence app's own ``entry_digest``, so ``manage.py verify_evidence`` passes
on the benchmark database. Plain indexes are dropped for the copy and rebuilt with their own
definitions in one pass.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization, User
from evidence.chain import GENESIS, HASHED_FIELDS, entry_digest
from evidence.models import EvidenceEntry
from partnerships.models import Partnership

from . import text


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Row:
    """Just the attributes ``entry_digest`` reads, without building a model instance."""

    __slots__ = ("id", *HASHED_FIELDS)


COPY_COLUMNS = [*_Row.__slots__, "prev_hash", "entry_hash"]


def _extra_columns() -> list[tuple[str, object]]:
    """Columns added to EvidenceEntry after this file was written: their default values.

    A new NOT NULL column without a default cannot be filled blindly; fail loudly instead of
    seeding something the app would not produce.
    """
    extra = []
    for field in EvidenceEntry._meta.concrete_fields:
        if field.column in COPY_COLUMNS:
            continue
        if field.has_default():
            extra.append((field.column, field.get_db_prep_save(field.get_default(), connection)))
        elif not field.null:
            raise RuntimeError(
                f"EvidenceEntry.{field.name} is NOT NULL without a default: "
                "teach bench/seed.py what to put there."
            )
    return extra


def _indexes_to_rebuild(table: str) -> list[tuple[str, str]]:
    """Plain (non-constraint) indexes: dropped for the COPY and rebuilt in one pass after."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = %s AND i.indexname NOT IN (
                SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)
            """,
            [table, table],
        )
        return cur.fetchall()


def seed_evidence(
    org: Organization,
    partnerships: list[Partnership],
    approvers: list[User],
    count: int,
    rng: random.Random,
    progress,
) -> None:
    """COPY ``count`` entries forming one valid chain, skewed like real logs: a few busy
    partnerships hold thousands of entries, most hold dozens."""
    table = EvidenceEntry._meta.db_table
    extra = _extra_columns()
    columns = COPY_COLUMNS + [c for c, _ in extra]
    extra_values = [v for _, v in extra]
    ranks = list(range(len(partnerships)))
    rng.shuffle(ranks)
    cum, total = [], 0.0
    for r in ranks:
        total += 1.0 / (r + 20)
        cum.append(total)
    claims = {p.pk: p.claim_sentence for p in partnerships}
    owners = {p.pk: p.owner_id for p in partnerships}
    ids = [p.pk for p in partnerships]
    last_of: dict[int, int] = {}
    superseded: set[int] = set()
    span = datetime.timedelta(days=3 * 365)
    start = timezone.now().replace(microsecond=0) - span
    step = span / max(count, 1)
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM " + table)
        first_id = cur.fetchone()[0] + 1
    rebuild = _indexes_to_rebuild(table)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        try:  # skip per-row FK triggers: references are generated from rows created above
            with transaction.atomic():
                cur.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 (not a superuser: keep the checks, just slower)
            pass
        for name, _ in rebuild:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        prev = GENESIS
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cur.copy(sql) as copy:
            for n in range(count):
                row = _Row()
                row.id = first_id + n
                row.uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
                row.organization_id = org.pk
                pid = rng.choices(ids, cum_weights=cum)[0]
                row.partnership_id = pid
                row.sequence = n + 1
                row.claim = claims[pid]
                row.artifact = text.artifact(rng)
                row.link = f"https://evidence.example.com/{pid}/{n}" if rng.random() < 0.2 else ""
                row.file = row.file_name = row.file_type = ""
                row.limits = rng.choice(text.LIMITS)
                row.boundary_status = weighted(
                    rng, [("intact", 85), ("strained", 12), ("violated", 3)]
                )
                row.quality = weighted(
                    rng, [("anecdote", 25), ("demo", 30), ("pilot", 30), ("real", 15)]
                )
                row.decision = "none"
                row.approver_id = None
                if rng.random() < 0.04:
                    row.decision = rng.choice(["commit", "defer", "renegotiate", "go"])
                    row.approver_id = approvers[n % len(approvers)].pk
                row.recorded_by_id = owners[pid]
                row.created_at = start + step * n
                row.observed_on = (row.created_at - datetime.timedelta(days=n % 10)).date()
                row.supersedes_id = None
                row.correction_reason = ""
                earlier = last_of.get(pid)
                if earlier and earlier not in superseded and rng.random() < 0.005:
                    row.supersedes_id = earlier
                    row.correction_reason = "The first figure counted test traffic."
                    superseded.add(earlier)
                last_of[pid] = row.id
                digest = entry_digest(row, prev)
                copy.write_row(
                    [getattr(row, c) for c in _Row.__slots__] + [prev, digest] + extra_values
                )
                prev = digest
                if (n + 1) % 100_000 == 0:
                    progress(f"  evidence: {n + 1:,} / {count:,}")
        progress(f"  rebuilding {len(rebuild)} indexes")
        for _, definition in rebuild:
            cur.execute(definition)
        cur.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first_id + count]
        )
