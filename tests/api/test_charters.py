"""Charters through the API: versions, the signature request and its signers, the audit
trail, and the executed, sealed PDF once both sides signed."""

from __future__ import annotations

import hashlib

import pytest

from charters import services
from charters.models import SignatureRequest, Signer

pytestmark = pytest.mark.django_db

META = services.ClientMeta(ip="203.0.113.7", user_agent="pytest/1.0")


def _sign_everyone(request_uuid, capture):
    for signer in Signer.objects.filter(request__uuid=request_uuid).order_by("pk"):
        with capture(execute=True):
            services.signer_consent(signer=signer, meta=META)
            services.signer_sign(signer=signer, typed_name=signer.name, authorized=True, meta=META)


def test_the_charter_lists_versions_requests_and_signers(reader, world):
    body = reader.get(f"/partnerships/{world['partnership']}/charter").json()
    assert body["id"] == str(world["charter"])
    assert [v["number"] for v in body["versions"]] == [1]
    [request] = body["signature_requests"]
    assert request["state"] == "pending" and request["executed_pdf_url"] is None
    assert {s["side"] for s in request["signers"]} == {"ours", "partner"}
    version = reader.get(f"/charter-versions/{world['version']}").json()
    assert version["frozen_at"] and len(version["document_sha256"]) == 64


def test_the_audit_trail_is_oldest_first(reader, world):
    items = reader.get(f"/signature-requests/{world['request']}/audit-trail").json()["items"]
    assert items[0]["kind"] == "sent"
    assert all(len(item["document_sha256"]) == 64 for item in items)


def test_the_executed_pdf_downloads_once_everyone_signed(
    reader, world, django_capture_on_commit_callbacks
):
    _sign_everyone(world["request"], django_capture_on_commit_callbacks)
    request = SignatureRequest.objects.get(uuid=world["request"])
    assert request.execution_state == SignatureRequest.Execution.DONE
    body = reader.get(f"/signature-requests/{world['request']}").json()
    assert body["state"] == "completed" and body["executed_sha256"] == request.executed_sha256
    response = reader.client.get(
        body["executed_pdf_url"], headers={"Authorization": f"Bearer {reader.token}"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == request.executed_sha256


def test_a_partnership_without_a_finished_fit_card_is_a_404(reader, world):
    response = reader.get(f"/partnerships/{world['launched']}/fit-card")
    assert response.status_code == 404


def test_members_are_listed_with_their_roles(reader, world, owner, viewer):
    items = reader.get("/members").json()["items"]
    roles = {m["user"]["email"]: (m["role"], m["can_approve"]) for m in items}
    assert roles[owner.email] == ("owner", True)
    assert roles[viewer.email] == ("viewer", False)
