"""API fixtures: tokens of Northwind (read, write) and of Globex, a client that sends them,
and a Northwind world with one object of every kind the API serves."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from api.tokens import token_create
from charters import services as charter_services
from evidence.services import decision_record
from fitcards.models import FitCard, FitCardRevision
from reviews import services as review_services
from reviews.models import HealthReview
from tests.evidence.factories import log_evidence
from tests.factories import ContactFactory, PartnershipFactory

MONDAY = datetime.date(2026, 3, 2)
CHARTER = {
    "title": "Partnership Charter — Northwind and Acme Payments",
    "mutual_goals": "Twenty pilot merchants live on managed disputes by March.",
    "value_exchange": "We bring merchant volume; Acme brings the dispute desk.",
    "timeline": "Crawl until 31 January; walk from February.",
    "measurement": "Median dispute resolution time, weekly.",
    "decision_cadence": "Weekly health review; go / no-go at each phase end.",
    "escalation_path": "Owners, then the VP Partnerships on each side.",
    "breakage_ownership": "Acme owns dispute desk outages; we own the merchant UI.",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


class Api:
    """The test client with an API token, speaking JSON under /api/v1."""

    def __init__(self, token: str | None = None):
        self.client = Client(raise_request_exception=False)
        self.token = token

    def _headers(self, extra=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, path, params=None, headers=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(headers))

    def send(self, method, path, body=None, headers=None):
        call = getattr(self.client, method)
        return call(
            f"/api/v1{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers(headers),
        )

    def post(self, path, body=None, headers=None):
        return self.send("post", path, body, headers)

    def patch(self, path, body=None, headers=None):
        return self.send("patch", path, body, headers)


def make_token(organization, user, scope="read", **kwargs) -> str:
    return token_create(
        organization=organization, created_by=user, name=f"{scope} token", scope=scope, **kwargs
    )[1]


@pytest.fixture
def read_token(org, owner):
    return make_token(org, owner, "read")


@pytest.fixture
def write_token(org, owner):
    return make_token(org, owner, "write")


@pytest.fixture
def other_token(other_org, outsider):
    return make_token(other_org, outsider, "write")


@pytest.fixture
def reader(read_token):
    return Api(read_token)


@pytest.fixture
def writer(write_token):
    return Api(write_token)


@pytest.fixture
def stranger(other_token):
    return Api(other_token)


@pytest.fixture
def anonymous():
    return Api()


@pytest.fixture
def world(org, owner, manager, approver, viewer):
    """One Northwind object of every kind, by name: their UUIDs fill the API's paths."""
    partnership = PartnershipFactory(
        organization=org,
        owner=manager,
        approver=owner,
        partner__name="Acme Payments",
        dependency="critical",
        name="Dispute desk",
    )
    contact = ContactFactory(partner=partnership.partner, email="paula@acme.example")
    entry = log_evidence(
        partnership,
        user=manager,
        file=SimpleUploadedFile("pilot.txt", b"18 of 20 merchants resolved disputes in time."),
    )
    decision = decision_record(
        partnership=partnership,
        kind="defer",
        rationale="Volumes are too low to judge yet.",
        evidence=[entry],
        decided_by=manager,
    )
    card = FitCard.objects.create(
        organization=org,
        partnership=partnership,
        capability_provided="A managed dispute desk",
        revision_count=1,
        finished_at=timezone.now(),
        finished_by=manager,
    )
    FitCardRevision.objects.create(
        organization=org,
        fit_card=card,
        number=1,
        data={"capability_provided": "A managed dispute desk"},
        completeness=40,
        created_by=manager,
    )
    version = charter_services.charter_save(partnership=partnership, actor=manager, data=CHARTER)
    signature_request = charter_services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        order=charter_services.Order.PARALLEL,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    launched = PartnershipFactory(
        organization=org,
        owner=owner,
        partner=partnership.partner,
        name="Invoicing",
        phase="walk",
        launched_on=timezone.localdate() - datetime.timedelta(days=30),
        phase_started_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    review_services.cycle_start(organization=org, starts_on=MONDAY)
    review = HealthReview.objects.get(partnership=launched)
    version.refresh_from_db()
    return {
        "partner": partnership.partner.uuid,
        "contact": contact.uuid,
        "partnership": partnership.uuid,
        "launched": launched.uuid,
        "entry": entry.uuid,
        "decision": decision.uuid,
        "charter": version.charter.uuid,
        "version": version.uuid,
        "request": signature_request.uuid,
        "review": review.uuid,
        "owner": owner.uuid,
        "manager": manager.uuid,
    }
