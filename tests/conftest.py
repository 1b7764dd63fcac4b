"""Shared fixtures: one organization with an owner, a manager and a viewer, and an outsider
who is a member of another organization only (STYLE: owner / member / outsider)."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from accounts.models import Role
from core import keyring

from .catalogues import compile_stale
from .factories import MembershipFactory, OrganizationFactory, UserFactory


def pytest_sessionstart(session):
    """Compile the Spanish catalogue when it changed (``make test`` does it as well)."""
    compile_stale()


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Northwind", slug="northwind")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Globex", slug="globex")


@pytest.fixture
def owner(org):
    user = UserFactory(email="owner@northwind.test", full_name="Olivia Owner")
    MembershipFactory(organization=org, user=user, role=Role.OWNER, can_approve=True)
    return user


@pytest.fixture
def manager(org):
    user = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=user, role=Role.MANAGER)
    return user


@pytest.fixture
def approver(org):
    user = UserFactory(email="approver@northwind.test", full_name="Avery Approver")
    MembershipFactory(organization=org, user=user, role=Role.MANAGER, can_approve=True)
    return user


@pytest.fixture
def viewer(org):
    user = UserFactory(email="viewer@northwind.test", full_name="Vic Viewer")
    MembershipFactory(organization=org, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(other_org):
    user = UserFactory(email="outsider@globex.test", full_name="Oscar Outsider")
    MembershipFactory(organization=other_org, user=user, role=Role.OWNER, can_approve=True)
    return user


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner):
    return _client_for(owner)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def role_clients(owner_client, manager_client, viewer_client, outsider_client):
    """All four callers, for tests that try a URL as every role."""
    return {
        "owner": owner_client,
        "manager": manager_client,
        "viewer": viewer_client,
        "outsider": outsider_client,
    }


@pytest.fixture
def real_worker():
    """A real Celery worker (in a thread) consuming from Redis, for tests marked ``worker``.

    Tasks are not eager while it runs. Needs REDIS_URL (CI sets it); skipped without it.
    """
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the real-worker test needs Redis (CI sets it).")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = True


postgres_only = pytest.mark.skipif(
    not settings.IS_POSTGRES,
    reason="needs PostgreSQL (row locks, triggers); CI runs the suite on PostgreSQL",
)


@pytest.fixture(scope="session", autouse=True)
def seal_keyring(tmp_path_factory):
    """One seal keyring for the whole run, made as ``ensure_seal_certificate`` makes it (the
    seal never creates keys itself); tests that rotate or revoke use a keyring of their own."""
    override = override_settings(
        SEAL_KEYRING_DIR=str(tmp_path_factory.mktemp("keyring")),
        # Sending a charter signs a checkpoint of the evidence log: never into var/.
        EVIDENCE_CHECKPOINT_DIR=str(tmp_path_factory.mktemp("checkpoints")),
    )
    override.enable()
    keyring.ensure_keyring()
    yield keyring.keyring_dir()
    override.disable()
