"""Record the SHA-256 of every uploaded file already in the log, and re-link the chains.

An entry's hash now covers its file's digest, so the hashes of entries with a file, and of
every entry after them, change. Nothing was deployed before this change; on a development
database the chains are re-linked from the first entry with a file, trusting what is there.
PostgreSQL's append-only trigger is switched off for the rewrite (migrations run as the owner);
the SQLite triggers are created only by the next migration.
"""

from django.core.files.storage import default_storage
from django.db import migrations

from evidence.chain import GENESIS, entry_digest
from evidence.uploads import file_sha256

TABLE = "evidence_evidenceentry"


def _stored_digest(name: str) -> str:
    try:
        with default_storage.open(name, "rb") as handle:
            return file_sha256(handle)
    except (FileNotFoundError, OSError):
        return ""  # verification reports the file as missing


def _relink(Entry, organization_id: int, db: str) -> None:
    entries = Entry.objects.using(db).filter(organization_id=organization_id)
    first = entries.exclude(file="").order_by("sequence").values_list("sequence", flat=True)[:1]
    if not first:
        return
    start = first[0]
    before = entries.filter(sequence=start - 1).values_list("entry_hash", flat=True).first()
    prev = before or GENESIS
    for entry in entries.filter(sequence__gte=start).order_by("sequence").iterator():
        if entry.file and not entry.file_sha256:
            entry.file_sha256 = _stored_digest(entry.file.name)
        digest = entry_digest(entry, prev)
        Entry.objects.using(db).filter(pk=entry.pk).update(
            file_sha256=entry.file_sha256, prev_hash=prev, entry_hash=digest
        )
        prev = digest


def forwards(apps, schema_editor):
    Entry = apps.get_model("evidence", "EvidenceEntry")
    db = schema_editor.connection.alias  # the owner's connection when migrating as the owner
    organizations = list(
        Entry.objects.using(db).exclude(file="").order_by().values_list("organization_id", flat=True).distinct()
    )
    if not organizations:
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER evidence_append_only")
    for organization_id in organizations:
        _relink(Entry, organization_id, db)
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER evidence_append_only")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0005_file_digest_and_checkpoints")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
