"""Fixtures for the partner program tests: an organization with its application page open,
answers that pass the form, and a way to apply and confirm as an applicant would."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Organization
from programs import services
from programs.models import Application

# The browser fixtures (Playwright) for the browser test in this folder.
from tests.e2e.conftest import browser, new_context  # noqa: F401

ANSWERS = {
    "company": "Lumen Analytics",
    "website": "https://lumen.example",
    "contact_name": "Ada Lumen",
    "contact_email": "ada@lumen.example",
    "contact_title": "Head of Partnerships",
    "offer": "A reporting connector that syncs invoices into Lumen dashboards.",
    "value_to_them": "Distribution to mid-size merchants.",
    "value_to_customers": "Invoice analytics without exports.",
    "they_lose": "Two engineers for a quarter and our launch slot at the spring fair.",
}
CONFIRM_RE = re.compile(r"/confirm-application/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def curated(org, owner):
    Organization.objects.filter(pk=org.pk).update(partner_program=Organization.Program.CURATED)
    org.refresh_from_db()
    services.program_settings_save(organization=org, actor=owner, applications_open=True)
    return org


@pytest.fixture
def open_program(org, owner):
    Organization.objects.filter(pk=org.pk).update(partner_program=Organization.Program.OPEN)
    org.refresh_from_db()
    services.program_settings_save(
        organization=org, actor=owner, applications_open=True, directory_public=True
    )
    return org


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run on-commit work (the outbox's delivery task, eager in tests) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def apply_url(org) -> str:
    return reverse("programs:apply", kwargs={"org_slug": org.slug})


def post_application(client, org, ip="203.0.113.7", **overrides):
    return client.post(apply_url(org), {**ANSWERS, **overrides}, REMOTE_ADDR=ip)


def last_token() -> str:
    return CONFIRM_RE.search(mail.outbox[-1].body).group(1)


@pytest.fixture
def applied(deliver):
    """Apply as an applicant and return the confirmation token from the e-mail."""

    def run(org, **overrides) -> str:
        with deliver():
            response = post_application(Client(), org, **overrides)
        assert response.status_code == 302
        return last_token()

    return run


@pytest.fixture
def confirmed(applied, deliver):
    """Apply and confirm; returns the confirmed application."""

    def run(org, **overrides) -> Application:
        token = applied(org, **overrides)
        with deliver():
            response = Client().post(reverse("programs:confirm", args=[token]))
        assert response.status_code == 200
        return Application.objects.filter(organization=org).order_by("-pk").first()

    return run
