"""Signing details (issue 12.8) and closed means closed (12.12)."""

import base64
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from charters import services
from charters.documents import png_data_url
from charters.models import AuditEvent, SignatureRequest, Signer
from notifications.models import OutboundEmail

from .conftest import META, action_url, sign, sign_links

pytestmark = pytest.mark.django_db


def _drawing() -> str:
    image = Image.new("RGBA", (600, 180), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 120), (200, 40), (420, 130)], fill="black", width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _hidden_drawing(html: str) -> str:
    match = re.search(r'<input type="hidden" name="drawn_signature"(?: value="([^"]*)")?', html)
    assert match, "the signing form carries the drawing field"
    return match.group(1) or ""


def _consented_link(client, send, contact, **kw) -> str:
    send(**kw)
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    client.post(action_url(url, "consent"), {"consent": "on"})
    return url


def test_after_an_error_the_hidden_drawing_is_the_one_accepted(client, send, contact):
    url = _consented_link(client, send, contact)
    drawn = _drawing()
    refused = client.post(
        action_url(url, "sign"), {"typed_name": "Paula Partner", "drawn_signature": drawn}
    )
    assert refused.status_code == 422
    kept = _hidden_drawing(refused.content.decode())
    assert kept == png_data_url(services.clean_signature_png(drawn)), "the re-encoded drawing"
    assert Signer.objects.get(email=contact.email).state == Signer.State.PENDING


def test_after_an_error_a_drawing_we_refused_is_cleared(client, send, contact):
    url = _consented_link(client, send, contact)
    refused = client.post(
        action_url(url, "sign"),
        {"typed_name": "Paula", "authorized": "on", "drawn_signature": "data:image/svg+xml,<x>"},
    )
    assert refused.status_code == 422
    assert _hidden_drawing(refused.content.decode()) == ""
    assert b"Draw your signature in the box." in refused.content


def test_a_signer_waiting_for_their_turn_sees_who_instead_of_sign_now(
    manager_client, send, contact, partnership
):
    send(order=services.Order.PARTNER_FIRST)
    detail = reverse("charters:detail", args=[partnership.uuid])
    page = manager_client.get(detail).content.decode()
    assert "Waiting for Paula Partner" in page
    assert ">Sign now<" not in page
    sign(Signer.objects.get(email=contact.email))
    page = manager_client.get(detail).content.decode()
    assert ">Sign now<" in page and "Waiting for Paula Partner" not in page


def test_our_signer_signed_in_is_not_asked_for_the_code_and_the_trail_says_so(
    manager_client, send, manager
):
    request = send(require_code=True)
    ours = Signer.objects.get(request=request, email=manager.email)
    url = reverse("charters:sign_member", args=[ours.uuid])
    manager_client.post(action_url(url, "consent"), {"consent": "on"})
    page = manager_client.get(url)
    assert b"E-mail me a code" not in page.content
    assert b"Sign the charter" in page.content
    signed = manager_client.post(
        action_url(url, "sign"), {"typed_name": "Manny Manager", "authorized": "on"}
    )
    assert signed.status_code == 302
    ours.refresh_from_db()
    assert ours.state == Signer.State.SIGNED and ours.code_verified_at is None
    detail = AuditEvent.objects.get(signer=ours, kind="signed").detail
    assert "proof: signed in to Accord" in detail
    assert not OutboundEmail.objects.filter(key__startswith="charter-code:").exists()


def test_the_code_is_still_asked_of_anyone_not_signed_in_as_the_signer(send, manager, owner):
    request = send(require_code=True)
    ours = Signer.objects.get(request=request, email=manager.email)
    services.signer_consent(signer=ours, meta=META)
    other = services.ClientMeta(ip="203.0.113.9", user=owner)
    with pytest.raises(ValidationError, match="code"):
        services.signer_sign(
            signer=ours, typed_name="M", signature_png=b"", authorized=True, meta=other
        )


def test_the_trail_names_the_link_and_code_proof_of_a_partner_signer(send, contact):
    send(require_code=True)
    signer = Signer.objects.get(email=contact.email)
    services.signer_consent(signer=signer, meta=META)
    services.signer_send_code(signer=signer, meta=META)
    body = OutboundEmail.objects.get(key__startswith="charter-code:").body_text
    code = re.search(r"\b(\d{6})\b", body).group(1)
    services.signer_verify_code(signer=signer, code=code, meta=META)
    services.signer_sign(
        signer=signer, typed_name="Paula", signature_png=b"", authorized=True, meta=META
    )
    detail = AuditEvent.objects.get(signer=signer, kind="signed").detail
    assert "proof: personal link and e-mailed one-time code" in detail


def test_the_email_to_our_signer_is_written_for_them(send, manager, contact, org):
    send(message="Dear Acme team, here is the charter we discussed on Tuesday.")
    theirs = OutboundEmail.objects.get(key__startswith="charter-sign:", to=contact.email)
    ours = OutboundEmail.objects.get(key__startswith="charter-sign:", to=manager.email)
    assert "Dear Acme team" in theirs.body_text
    assert "Dear Acme team" not in ours.body_text + ours.body_html
    assert f"for {org.name}" in ours.subject
    assert "Sign in to Accord" in ours.body_text
    assert ours.subject != theirs.subject


@pytest.mark.parametrize("close", ["void", "expire", "decline"])
def test_the_document_of_a_closed_request_is_no_longer_served_from_its_link(
    client, send, contact, contact2, close
):
    request = send(contacts=[contact, contact2])
    token = sign_links()[contact.email]
    document = reverse("charters:sign_document", args=[token])
    served = client.get(document)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    if close == "void":
        services.signature_request_void(request=request, reason="Wrong signer", meta=META)
    elif close == "expire":
        SignatureRequest.objects.filter(pk=request.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        services.signer_decline(
            signer=Signer.objects.get(email=contact2.email), reason="No", meta=META
        )
    refused = client.get(document)
    assert refused.status_code == 410
    assert refused["Content-Type"].startswith("text/html")
    assert b"%PDF" not in refused.content
    assert b"Document SHA-256" in refused.content, "a clear page, not an error"
