"""Two PostgreSQL roles (issue 11.2): ``manage.py migrate`` runs as the owner given by
MIGRATION_DATABASE_URL, the app as DATABASE_URL's runtime role, which owns nothing."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate

from tests.conftest import postgres_only

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_uses_the_owner_connection_when_one_is_configured(monkeypatch):
    used = []
    monkeypatch.setattr(DjangoMigrate, "handle", lambda self, *a, **o: used.append(o["database"]))
    call_command("migrate", verbosity=0)
    monkeypatch.setitem(settings.DATABASES, "migrate", {})  # MIGRATION_DATABASE_URL was set
    call_command("migrate", verbosity=0)
    call_command("migrate", database="default", verbosity=0)
    assert used == ["default", "migrate", "migrate"]


def test_compose_runs_the_app_as_the_runtime_role_and_migrates_as_the_owner():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://accord_app:"), name
        assert ("MIGRATION_DATABASE_URL" in environment) == (name == "migrate"), name
    assert services["migrate"]["environment"]["MIGRATION_DATABASE_URL"].startswith(
        "postgres://accord_owner:"
    )
    command = " ".join(services["migrate"]["command"])
    assert command.index("migrate --noinput") < command.index("grant_runtime_role accord_app")
    roles = " ".join(services["db-roles"]["command"])
    assert "ALTER DATABASE accord OWNER TO accord_owner" in roles
    assert "NOSUPERUSER" in roles and "superuser" not in services["db"]["environment"]


def _admin_connection():
    params = settings.DATABASES["default"]
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _url(role, password, database):
    params = settings.DATABASES["default"]
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    return f"postgres://{role}:{password}@{host}:{port}/{database}"


@postgres_only
@pytest.mark.django_db
def test_migrations_run_as_the_owner_and_the_runtime_role_owns_nothing(tmp_path):
    suffix = uuid.uuid4().hex[:8]
    owner, app, database = f"t_owner_{suffix}", f"t_app_{suffix}", f"t_roles_{suffix}"
    with _admin_connection() as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN PASSWORD 'owner-pw'")
        admin.execute(f"CREATE ROLE {app} LOGIN PASSWORD 'app-pw'")
        admin.execute(f"CREATE DATABASE {database} OWNER {owner}")
    try:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="True",
            ACCORD_VAR_DIR=str(tmp_path),
            DATABASE_URL=_url(app, "app-pw", database),
            MIGRATION_DATABASE_URL=_url(owner, "owner-pw", database),
        )
        result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        tables = "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'"
        with psycopg.connect(_url(owner, "owner-pw", database)) as conn:
            owners = {row[0] for row in conn.execute(tables)}
        assert owners == {owner}
        with (
            psycopg.connect(_url(app, "app-pw", database)) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute("ALTER TABLE partnerships_partnership ADD COLUMN x int")
    finally:
        with _admin_connection() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {owner}")
            admin.execute(f"DROP ROLE IF EXISTS {app}")
