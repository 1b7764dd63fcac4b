"""The evidence log, decisions and health reviews through the API: append-only entries,
corrections by superseding, the log's filters and search, sufficiency, approval, submission."""

from __future__ import annotations

import pytest

from accounts.models import Membership, Role
from evidence.models import Decision, EvidenceEntry
from reviews.models import HealthReview
from tests.evidence.factories import log_evidence
from tests.factories import PartnershipFactory

from .conftest import Api, make_token

pytestmark = pytest.mark.django_db

ENTRY = {
    "claim": "Disputes are resolved within 5 days",
    "artifact": "Week 3 report: 19 of 20 merchants in time",
    "quality": "pilot",
    "observed_on": "2025-01-06",
}


def test_evidence_is_appended_to_the_chain(writer, world, owner):
    response = writer.post("/evidence", {**ENTRY, "partnership": str(world["partnership"])})
    assert response.status_code == 201, response.content
    body = response.json()
    first = EvidenceEntry.objects.get(uuid=world["entry"])
    assert body["sequence"] == first.sequence + 1
    assert body["prev_hash"] == first.entry_hash
    assert body["recorded_by"]["email"] == owner.email


def test_evidence_dated_in_the_future_is_refused_as_on_the_page(writer, world):
    body = {**ENTRY, "partnership": str(world["partnership"]), "observed_on": "2999-01-01"}
    response = writer.post("/evidence", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "observed_on", "message": "Evidence cannot be dated in the future."}
    ]


def test_a_correction_supersedes_and_both_stay(writer, world):
    url = f"/evidence/{world['entry']}/corrections"
    response = writer.post(url, {"correction_reason": "Wrong count.", "artifact": "17 of 20"})
    assert response.status_code == 201, response.content
    correction = response.json()
    assert correction["supersedes"] == str(world["entry"])
    assert correction["claim"] == EvidenceEntry.objects.get(uuid=world["entry"]).claim
    original = writer.get(f"/evidence/{world['entry']}").json()
    assert original["superseded_by"] == correction["id"]
    again = writer.post(url, {"correction_reason": "Once more."})
    assert again.status_code == 422
    assert "already corrected" in again.json()["detail"]


def test_a_correction_needs_a_reason(writer, world):
    response = writer.post(f"/evidence/{world['entry']}/corrections", {"correction_reason": ""})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"correction_reason"}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_route_updates_or_deletes_an_entry(method, writer, world):
    response = writer.send(method, f"/evidence/{world['entry']}", {"artifact": "rewritten"})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "method_not_allowed"
    assert EvidenceEntry.objects.get(uuid=world["entry"]).artifact.startswith("Pilot report")


def test_the_log_filters_and_searches_as_the_page_does(reader, world, org, manager):
    other = PartnershipFactory(organization=org, owner=manager, partner__name="Initech")
    log_evidence(other, user=manager, quality="real", artifact="Chargeback volume halved")
    log_evidence(other, user=manager, quality="demo", boundary="violated", artifact="Outage")

    def ids(**params):
        return [e["artifact"] for e in reader.get("/evidence", params).json()["items"]]

    assert ids(quality="real") == ["Chargeback volume halved"]
    assert ids(boundary_status="violated") == ["Outage"]
    assert len(ids(partner=str(other.partner.uuid))) == 2
    assert len(ids(partnership=str(world["partnership"]))) == 1
    assert ids(q="chargeback volume") == ["Chargeback volume halved"]
    assert ids(q='"volume halved" -outage') == ["Chargeback volume halved"]
    response = reader.get("/evidence", {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert response.status_code == 422


def test_the_entrys_file_downloads_with_the_token(reader, world):
    entry = reader.get(f"/evidence/{world['entry']}").json()
    assert entry["file"]["name"] == "pilot.txt"
    response = reader.client.get(
        entry["file"]["url"], headers={"Authorization": f"Bearer {reader.token}"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"18 of 20")
    assert response["Cache-Control"] == "private, no-store"


# --- decisions -------------------------------------------------------------------------


def test_a_commit_on_too_little_evidence_lists_what_is_missing(writer, world):
    response = writer.post(
        "/decisions",
        {
            "partnership": str(world["partnership"]),
            "kind": "commit",
            "rationale": "Looks good.",
            "evidence": [str(world["entry"])],
        },
    )
    assert response.status_code == 422
    missing = [e["message"] for e in response.json()["errors"] if e["field"] == "evidence"]
    assert missing and any("real operating conditions" in m.lower() for m in missing)


def test_evidence_of_another_partnership_is_refused(writer, world, org, manager):
    other = PartnershipFactory(organization=org, owner=manager)
    entry = log_evidence(other, user=manager)
    response = writer.post(
        "/decisions",
        {
            "partnership": str(world["partnership"]),
            "kind": "renegotiate",
            "rationale": "Terms.",
            "evidence": [str(entry.uuid)],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "evidence"


def test_the_named_approver_approves_and_the_decision_takes_effect(writer, world):
    url = f"/decisions/{world['decision']}"
    assert writer.get(url).json()["state"] == "pending"
    response = writer.post(url + "/approve", {"note": "Agreed: wait for volume."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "effective"
    partnership = writer.get(f"/partnerships/{world['partnership']}").json()
    assert partnership["status"] == "deferred"
    again = writer.post(url + "/approve", {"note": "Twice."})
    assert again.status_code == 422


def test_only_the_named_approver_may_approve(org, approver, world):
    Membership.objects.filter(organization=org, user=approver).update(role=Role.OWNER)
    response = Api(make_token(org, approver, "write")).post(
        f"/decisions/{world['decision']}/approve", {"note": "Not mine to approve."}
    )
    assert response.status_code == 403
    assert Decision.objects.get(uuid=world["decision"]).state == Decision.State.PENDING


# --- health reviews --------------------------------------------------------------------


def test_a_review_is_submitted_once_with_an_evidence_entry(writer, world):
    url = f"/reviews/{world['review']}/submit"
    before = EvidenceEntry.objects.count()
    body = {
        "boundary_violated": "none",
        "renegotiation_trigger": "Two slow weeks in a row.",
        "health": "amber",
        "evidence": {"artifact": "Invoices sent on time all week", "quality": "pilot"},
    }
    response = writer.post(url, body)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted" and response.json()["health"] == "amber"
    assert EvidenceEntry.objects.count() == before + 1
    again = writer.post(url, body)
    assert again.status_code == 422
    assert HealthReview.objects.get(uuid=world["review"]).health == "amber"


def test_a_fired_unwind_trigger_needs_notes(writer, world):
    response = writer.post(
        f"/reviews/{world['review']}/submit",
        {"renegotiation_trigger": "x", "health": "red", "unwind_trigger_fired": True},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "notes"


def test_reviews_are_listed_by_state_as_on_the_page(reader, world):
    assert [r["id"] for r in reader.get("/reviews").json()["items"]] == [str(world["review"])]
    assert reader.get("/reviews", {"state": "submitted"}).json()["items"] == []
