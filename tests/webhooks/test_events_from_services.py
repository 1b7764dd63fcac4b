"""The services announce their changes: each listed event reaches a subscribed endpoint once."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from charters import services as charters
from evidence.services import decision_record, evidence_record
from tests.charters.conftest import CHARTER_DATA, sign
from tests.factories import ContactFactory, PartnershipFactory
from webhooks.endpoints import endpoint_create
from webhooks.events import EVENT_TYPES
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(org, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    endpoint, _secret = endpoint_create(
        organization=org,
        created_by=owner,
        url="http://127.0.0.1:9/hook",
        event_types=list(EVENT_TYPES),
    )
    return endpoint


def _types() -> list[str]:
    return list(Event.objects.order_by("pk").values_list("type", flat=True))


def test_recording_evidence_and_a_decision_announces_both(org, manager, everything):
    partnership = PartnershipFactory(organization=org, owner=manager)
    entry = evidence_record(
        partnership=partnership,
        claim="Checkout latency",
        artifact="Pilot dashboard",
        quality="pilot",
        boundary_status="intact",
        observed_on=datetime.date(2026, 11, 20),
        recorded_by=manager,
    )
    decision_record(
        partnership=partnership, kind="defer", rationale="Wait for the pilot", decided_by=manager
    )
    # The defer decision takes effect at once, so the status change is announced too.
    assert _types() == ["evidence.recorded", "partnership.status_changed", "decision.recorded"]
    evidence = Event.objects.get(type="evidence.recorded")
    assert evidence.data["entry"]["id"] == str(entry.uuid)
    assert evidence.data["partnership"]["id"] == str(partnership.uuid)
    assert evidence.data["partnership"]["partner"]["name"] == partnership.partner.name
    assert Delivery.objects.filter(endpoint=everything).count() == 3


def test_a_charter_announces_sent_signed_and_executed(
    org, manager, everything, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory(organization=org, owner=manager)
    contact = ContactFactory(partner=partnership.partner)
    version = charters.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    with django_capture_on_commit_callbacks(execute=True):
        request = charters.signature_request_send(
            version=version,
            actor=manager,
            our_users=[manager],
            partner_contacts=[contact],
            expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7),
        )
        for signer in request.signers.order_by("pk"):
            sign(signer)
    charter_events = [t for t in _types() if t.startswith("charter.")]
    assert charter_events == [
        "charter.sent",
        "charter.signed",
        "charter.signed",
        "charter.executed",
    ]
    executed = Event.objects.get(type="charter.executed")
    assert executed.data["signature_request"]["id"] == str(request.uuid)
    assert len(executed.data["sha256"]) == 64


def test_a_voided_and_a_declined_request_are_announced(org, manager, everything):
    partnership = PartnershipFactory(organization=org, owner=manager)
    contact = ContactFactory(partner=partnership.partner)
    version = charters.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    first = charters.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=expires,
    )
    charters.signature_request_void(request=first, reason="Wrong signer", meta=charters.SYSTEM)
    second = charters.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=expires,
    )
    decliner = second.signers.get(contact__isnull=False)
    charters.signer_decline(signer=decliner, reason="Not yet", meta=charters.SYSTEM)
    types = [t for t in _types() if t.startswith("charter.")]
    assert types == ["charter.sent", "charter.voided", "charter.sent", "charter.declined"]
    assert Event.objects.get(type="charter.voided").data["reason"] == "Wrong signer"


def test_without_a_subscribed_endpoint_nothing_is_stored(org, manager):
    partnership = PartnershipFactory(organization=org, owner=manager)
    decision_record(
        partnership=partnership, kind="defer", rationale="Wait for the pilot", decided_by=manager
    )
    assert not Event.objects.exists()


def test_partnership_changes_and_new_flags_are_announced(org, manager, everything):
    from partnerships.services import (
        partnership_change_phase,
        partnership_change_status,
        partnership_update,
    )

    partnership = PartnershipFactory(organization=org, owner=manager)
    partnership_change_status(
        partnership=partnership, to_status="renegotiating", actor=manager, reason="Terms changed"
    )
    partnership_change_phase(
        partnership=partnership,
        to_phase="walk",
        actor=manager,
        reason="Crawl met its criteria",
        success_criteria="1,000 syncs",
        enforce_gates=False,
    )
    partnership_update(partnership=partnership, actor=manager, leverage="co_marketing")
    partnership_update(partnership=partnership, actor=manager, name="Renamed only")
    assert _types() == [
        "partnership.status_changed",
        "partnership.phase_changed",
        "partnership.flagged",
    ]
    phase = Event.objects.get(type="partnership.phase_changed").data
    assert (phase["from"], phase["to"], phase["actor"]) == ("crawl", "walk", manager.email)
    assert Event.objects.get(type="partnership.flagged").data["flag"] == "vanity"


def test_every_listed_event_type_is_emitted_somewhere():
    """A type on the endpoint form that no service emits would be a promise never kept."""
    root = Path(__file__).resolve().parents[2]
    sources = "\n".join(
        path.read_text()
        for app in ("partnerships", "evidence", "charters", "reviews", "programs", "partnerroom")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
    )
    assert [type for type in EVENT_TYPES if f'"{type}"' not in sources] == []
