"""The database itself refuses changes to evidence: SQLite by triggers, PostgreSQL by a trigger
and a runtime role that may only read and append."""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from evidence.append_only import APPEND_ONLY_TABLES
from evidence.models import Decision, EvidenceEntry
from evidence.roles import grant_runtime_role
from evidence.services import decision_record
from tests.conftest import postgres_only
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite triggers (PostgreSQL: see the role tests)"
)


@pytest.fixture
def partnership(org, owner):
    return PartnershipFactory(organization=org, owner=owner, dependency="low", status="active")


# ----------------------------------------------------------------------------------- SQLite


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file database migrated by ``manage.py migrate``, as ``make run`` makes one."""
    directory = tmp_path_factory.mktemp("sqlite")
    path = directory / "accord.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{path}",
        "ACCORD_VAR_DIR": str(directory / "var"),
    }
    subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=240,
    )
    return path


def _insert_raw_entry(db: sqlite3.Connection) -> int:
    """One evidence row written straight into SQLite (foreign keys are off by default)."""
    cursor = db.execute(
        "INSERT INTO evidence_evidenceentry (uuid, organization_id, partnership_id, claim, "
        "artifact, link, file, file_name, file_type, file_sha256, limits, boundary_status, "
        "decision, quality, observed_on, correction_reason, created_at, sequence, prev_hash, "
        "entry_hash) VALUES (?, 1, 1, 'c', 'a', '', '', '', '', '', '', 'intact', 'none', "
        "'pilot', '2026-01-01', '', '2026-01-01 00:00:00', 1, ?, ?)",
        [uuid.uuid4().hex, "0" * 64, "1" * 64],
    )
    db.commit()
    return cursor.lastrowid


def test_a_migrated_sqlite_database_refuses_update_and_delete_of_evidence(migrated_sqlite):
    db = sqlite3.connect(migrated_sqlite)
    try:
        row = _insert_raw_entry(db)
        with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE refused"):
            db.execute("UPDATE evidence_evidenceentry SET artifact = 'forged' WHERE id = ?", [row])
        with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE refused"):
            db.execute("DELETE FROM evidence_evidenceentry WHERE id = ?", [row])
        db.rollback()
        assert db.execute("SELECT artifact FROM evidence_evidenceentry").fetchall() == [("a",)]
        triggers = {
            name
            for (name,) in db.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert set(APPEND_ONLY_TABLES) <= triggers
    finally:
        db.close()


@sqlite_only
def test_sqlite_refuses_raw_update_and_delete_of_an_entry(partnership):
    entry = log_evidence(partnership)
    for statement in (
        "UPDATE evidence_evidenceentry SET artifact = 'forged' WHERE id = %s",
        "DELETE FROM evidence_evidenceentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.artifact != "forged"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_evidence_tables_and_keeps_them_append_only(org, owner):
    partnership = PartnershipFactory(organization=org, owner=owner)
    log_evidence(partnership)
    call_command("flush", interactive=False, verbosity=0)
    assert not EvidenceEntry.objects.exists()
    partnership = PartnershipFactory(owner__email="again@northwind.test")
    entry = log_evidence(partnership)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_evidenceentry SET claim = 'x' WHERE id = %s", [entry.pk])


# ------------------------------------------------------------------------ PostgreSQL role


@pytest.fixture
def runtime_role():
    """A role like the app's ``accord_app`` (NOLOGIN: the test switches to it with SET ROLE),
    created inside the test's transaction and gone with it."""
    name = f"accord_test_runtime_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN")
    call_command("grant_runtime_role", name, verbosity=0)
    return name


def _as(role):
    class _Role:
        def __enter__(self):
            with connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {role}")

        def __exit__(self, *exc):
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return _Role()


def _refused(statement, params=(), match="permission denied|must be owner"):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, list(params))


@postgres_only
def test_the_runtime_role_cannot_update_delete_truncate_or_disable_the_trigger(
    partnership, runtime_role
):
    entry = log_evidence(partnership)
    with _as(runtime_role):
        _refused("UPDATE evidence_evidenceentry SET artifact = 'forged' WHERE id = %s", [entry.pk])
        _refused("DELETE FROM evidence_evidenceentry WHERE id = %s", [entry.pk])
        _refused("TRUNCATE evidence_evidenceentry CASCADE")
        _refused("ALTER TABLE evidence_evidenceentry DISABLE TRIGGER evidence_append_only")
        _refused("ALTER TABLE evidence_evidenceentry DISABLE TRIGGER ALL")
        _refused("DROP TRIGGER evidence_append_only ON evidence_evidenceentry")
        _refused("SET session_replication_role = replica")
        _refused("UPDATE evidence_evidencecheckpoint SET head_hash = 'x'")
        _refused("DELETE FROM evidence_evidencecheckpoint")
    entry.refresh_from_db()
    assert entry.artifact != "forged"


@postgres_only
def test_the_runtime_role_records_evidence_corrections_and_decisions(
    partnership, runtime_role, owner
):
    with _as(runtime_role):
        first = log_evidence(partnership, quality="pilot")
        log_evidence(partnership, supersedes=first, correction_reason="It was a demo.")
        decision = decision_record(
            partnership=partnership,
            kind="commit",
            rationale="Pilot held",
            evidence=[log_evidence(partnership, quality="pilot", days_ago=1)],
            decided_by=owner,
        )
        assert EvidenceEntry.objects.filter(partnership=partnership).count() == 3
        assert Decision.objects.get(pk=decision.pk).state == Decision.State.EFFECTIVE


@postgres_only
def test_grants_give_the_evidence_tables_select_and_insert_only(runtime_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
            "FROM information_schema.role_table_grants WHERE grantee = %s GROUP BY table_name",
            [runtime_role],
        )
        grants = dict(cursor.fetchall())
    for table in APPEND_ONLY_TABLES:
        assert grants[table] == "INSERT,SELECT"
    assert grants["partnerships_partnership"] == "DELETE,INSERT,SELECT,UPDATE"
    assert grants["evidence_evidencechainlock"] == "DELETE,INSERT,SELECT,UPDATE"


@postgres_only
def test_granting_to_a_missing_or_odd_role_is_refused():
    with pytest.raises(CommandError, match="There is no role"):
        call_command("grant_runtime_role", "no_such_role_here")
    with pytest.raises(CommandError, match="plain role name"):
        call_command("grant_runtime_role", 'x"; DROP TABLE evidence_evidenceentry; --')


@pytest.mark.skipif(settings.IS_POSTGRES, reason="SQLite has no roles")
def test_granting_a_role_on_sqlite_says_why_not():
    from evidence.roles import RoleError

    with pytest.raises(RoleError, match="PostgreSQL"):
        grant_runtime_role("accord_app")
