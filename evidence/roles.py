"""The PostgreSQL role the application runs as: everything it needs, and no way to rewrite
evidence.

Migrations run as an owner role; the web and worker processes run as a runtime role that owns
nothing. On the evidence tables (``append_only.APPEND_ONLY_TABLES``) the runtime role may only
SELECT and INSERT: it cannot UPDATE, DELETE or TRUNCATE them, and, not being their owner, cannot
ALTER them to switch the append-only trigger off. Every other table of the schema gets SELECT,
INSERT, UPDATE and DELETE; sequences get USAGE. Run ``manage.py grant_runtime_role <role>`` as
the owner after every ``migrate`` (new tables get no privileges until then).
"""

from __future__ import annotations

import re

from django.db import connections

from .append_only import APPEND_ONLY_TABLES

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(ValueError):
    """The role cannot be granted to (not PostgreSQL, a bad name, no such role)."""


def runtime_grants(role: str, schema: str, tables: list[str]) -> list[str]:
    """The statements that give ``role`` exactly the runtime privileges on ``tables``."""
    r, s = f'"{role}"', f'"{schema}"'
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
    ]
    for table in sorted(tables):
        rights = (
            "SELECT, INSERT" if table in APPEND_ONLY_TABLES else "SELECT, INSERT, UPDATE, DELETE"
        )
        statements.append(f'GRANT {rights} ON {s}."{table}" TO {r}')
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {r}")
    return statements


def grant_runtime_role(role: str, *, using: str = "default") -> list[str]:
    """Grant ``role`` the runtime privileges on the current schema; returns what was run."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleError("Runtime roles are a PostgreSQL feature; SQLite has no roles.")
    if not ROLE_NAME.match(role):
        raise RoleError(f"{role!r} is not a plain role name (lower case, digits, underscores).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise RoleError(f"There is no role {role!r}: create it first (CREATE ROLE ... LOGIN).")
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        tables = [row[0] for row in cursor.fetchall()]
        statements = runtime_grants(role, schema, tables)
        for statement in statements:
            cursor.execute(statement)
    return statements
