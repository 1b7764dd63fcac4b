"""Partners and partnerships through the API: the same forms, services and gates as the
pages; phase changes are the go / no-go decision and say why a gate refused."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from charters.models import Charter
from partnerships.models import FlowRun, Partnership, PartnershipEvent
from tests.evidence.factories import log_evidence
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _new(writer, world, **extra):
    body = {
        "partner": str(world["partner"]),
        "name": "Payouts",
        "leverage": "co_marketing",
        "claim_uncertainty": "payout timing",
        **extra,
    }
    return writer.post("/partnerships", body)


def test_a_partnership_is_proposed_in_crawl_with_its_flags(writer, world, owner):
    response = _new(writer, world, we_lose="nothing", partner_loses="n/a")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["phase"], body["status"]) == ("crawl", "proposed")
    assert body["owner"]["email"] == owner.email  # the token's maker by default
    codes = {flag["code"] for flag in body["flags"]}
    assert {"handshake", "vanity"} <= codes
    assert body["leverage_advice"]["level"] == "dont"
    assert body["time_box"]["max_weeks"] == 8
    created = Partnership.objects.get(uuid=body["id"])
    assert created.events.filter(kind=PartnershipEvent.Kind.CREATED).exists()


def test_the_same_request_id_proposes_one_partnership(writer, world):
    key = str(uuid.uuid4())
    first = _new(writer, world, request_id=key)
    second = _new(writer, world, request_id=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] == key
    assert Partnership.objects.filter(name="Payouts").count() == 1


def test_people_must_be_members(writer, world, outsider):
    response = _new(writer, world, owner=str(outsider.uuid))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["owner"]


def test_a_patch_changes_only_what_it_names(writer, world, manager):
    url = f"/partnerships/{world['partnership']}"
    before = writer.get(url).json()
    response = writer.patch(url, {"exit_path": "Four weeks.", "approver": None})
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["exit_path"] == "Four weeks." and after["approver"] is None
    assert after["claim_uncertainty"] == before["claim_uncertainty"]
    assert after["owner"]["email"] == manager.email
    newest = writer.get(url + "/history").json()["items"][0]
    assert newest["kind"] == "note" and "exit" in newest["summary"].lower()


def test_a_required_field_cannot_be_emptied(writer, world):
    response = writer.patch(f"/partnerships/{world['partnership']}", {"name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_the_status_changes_with_its_reason_in_the_history(writer, world):
    url = f"/partnerships/{world['partnership']}"
    response = writer.post(url + "/status", {"to_status": "unwinding", "reason": "SLA missed."})
    assert response.status_code == 200 and response.json()["status"] == "unwinding"
    event = writer.get(url + "/history", {"kind": "status"}).json()["items"][0]
    assert (event["to_value"], event["detail"]) == ("unwinding", "SLA missed.")


def test_go_no_go_lists_the_questions_and_what_the_gates_refuse(reader, world):
    body = reader.get(f"/partnerships/{world['partnership']}/go-no-go").json()
    assert body["flow"] == "crawl_to_walk"
    assert [q["key"] for q in body["questions"]] == ["crawl_met"]
    assert body["choices"] == ["go", "wait", "end"]
    assert any("charter" in reason.lower() for reason in body["blockers"])


def test_a_go_refused_by_the_gates_says_why_and_changes_nothing(writer, world):
    url = f"/partnerships/{world['partnership']}"
    response = writer.post(
        url + "/go-no-go", {"answers": {"crawl_met": "yes"}, "final_choice": "go"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rejected"
    reasons = [e["message"] for e in body["errors"] if e["field"] == "phase"]
    assert any("charter" in reason.lower() for reason in reasons)
    assert writer.get(url).json()["phase"] == "crawl"
    assert not FlowRun.objects.exists()


def test_a_go_the_gates_allow_moves_the_phase(writer, org, manager, world):
    partnership = PartnershipFactory(organization=org, owner=manager, dependency="low")
    log_evidence(partnership, user=manager, quality="pilot")
    Charter.objects.create(organization=org, partnership=partnership, executed_at=timezone.now())
    response = writer.post(
        f"/partnerships/{partnership.uuid}/go-no-go",
        {
            "answers": {"crawl_met": "yes"},
            "final_choice": "go",
            "success_criteria": "Fifty merchants by June.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recommendation"] == "go" and not body["overridden"]
    assert body["partnership"]["phase"] == "walk"
    assert body["partnership"]["phase_success_criteria"] == "Fifty merchants by June."


def test_overriding_the_recommendation_needs_a_reason(writer, world):
    url = f"/partnerships/{world['partnership']}/go-no-go"
    response = writer.post(url, {"answers": {"crawl_met": "yes"}, "final_choice": "end"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "override_reason"
    response = writer.post(
        url,
        {"answers": {"crawl_met": "yes"}, "final_choice": "end", "override_reason": "Lost budget."},
    )
    assert response.status_code == 201
    assert response.json()["partnership"]["status"] == "ended"


def test_partners_are_filtered_and_sorted_as_on_the_page(reader, world):
    names = [p["name"] for p in reader.get("/partners", {"phase": "walk"}).json()["items"]]
    assert names == ["Acme Payments"]
    shown = reader.get("/partners", {"phase": "walk"}).json()["items"][0]["partnerships"]
    assert [p["name"] for p in shown] == ["Invoicing"]
    assert reader.get("/partners", {"q": "nothing-like-it"}).json()["items"] == []


def test_a_contact_is_added_and_its_email_is_unique_per_partner(writer, world):
    url = f"/partners/{world['partner']}/contacts"
    response = writer.post(url, {"name": "Carl", "email": "Carl@Acme.example"})
    assert response.status_code == 201 and response.json()["email"] == "carl@acme.example"
    again = writer.post(url, {"name": "Carl 2", "email": "carl@acme.example"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "email"
