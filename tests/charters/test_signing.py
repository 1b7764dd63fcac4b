"""Signing links, consent, ordering, decline and void (SPEC §4)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from charters import services
from charters.models import AuditEvent, SignatureRequest, Signer, SigningLink
from core.client import client_ip
from notifications.models import OutboundEmail
from tests.conftest import postgres_only

from .conftest import META, action_url, sign, sign_links

pytestmark = pytest.mark.django_db


def test_signing_token_is_stored_only_as_its_sha256(send, contact):
    send()
    token = sign_links()[contact.email]
    assert len(token) >= 22  # >= 128 bits of base64url
    link = SigningLink.objects.get(signer__email=contact.email)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM charters_signinglink WHERE token_hash = %s", [token])
        assert cur.fetchone()[0] == 0
    assert not Signer.objects.filter(code_hash=token).exists()


def test_opening_a_link_never_uses_it_up(client, send, contact):
    send()
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Consent to sign electronically" in response.content
    signer = Signer.objects.get(email=contact.email)
    assert signer.state == Signer.State.PENDING
    assert AuditEvent.objects.filter(signer=signer, kind="opened").count() == 1
    client.post(action_url(url, "consent"), {"consent": "on"})
    response = client.post(
        action_url(url, "sign"), {"typed_name": "Paula Partner", "authorized": "on"}
    )
    assert response.status_code == 302
    signer.refresh_from_db()
    assert signer.state == Signer.State.SIGNED


def test_unknown_token_gets_a_clear_page(client):
    response = client.get(reverse("charters:sign", args=["x" * 43]))
    assert response.status_code == 404
    assert b"This signing link is not valid" in response.content


def test_expired_link_gets_a_clear_page_and_cannot_sign(client, send, contact):
    request = send()
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    SignatureRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(url)
    assert response.status_code == 410
    assert b"expired" in response.content
    client.post(action_url(url, "consent"), {"consent": "on"})
    assert Signer.objects.get(email=contact.email).consented_at is None


def test_link_reused_after_signing_shows_that_it_was_signed(client, send, contact):
    send()
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    sign(Signer.objects.get(email=contact.email))
    response = client.get(url)
    assert response.status_code == 200
    assert b"You signed this charter" in response.content
    response = client.post(action_url(url, "sign"), {"typed_name": "Again", "authorized": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="signed").count() == 1
    with pytest.raises(ValidationError):
        sign(Signer.objects.get(email=contact.email))


def test_voided_link_gets_a_clear_page(client, send, contact):
    request = send()
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    services.signature_request_void(request=request, reason="Wrong signer", meta=META)
    response = client.get(url)
    assert response.status_code == 410
    assert b"withdrawn" in response.content
    assert b"Wrong signer" in response.content


def test_ordered_signing_is_enforced_when_the_link_is_opened(client, send, contact, manager):
    send(order=services.Order.PARTNER_FIRST)
    links = sign_links()
    assert set(links) == {contact.email}, "only the first signer is e-mailed"
    ours = Signer.objects.get(email=manager.email)
    # Our signer cannot sign before the partner, even from the charter page.
    with pytest.raises(ValidationError):
        services.signer_consent(signer=ours, meta=META)
    client.force_login(manager)
    page = client.get(reverse("charters:sign_member", args=[ours.uuid]))
    assert b"It is not your turn yet" in page.content
    assert b"Paula Partner" in page.content
    sign(Signer.objects.get(email=contact.email))
    assert manager.email in sign_links(), "the next signer is e-mailed when it is their turn"
    sign(Signer.objects.get(email=manager.email))
    assert SignatureRequest.objects.get().state == SignatureRequest.State.COMPLETED


def test_signing_requires_consent_and_authority(send, contact):
    send()
    signer = Signer.objects.get(email=contact.email)
    with pytest.raises(ValidationError):
        services.signer_sign(
            signer=signer, typed_name="Paula", authorized=True, signature_png=b"", meta=META
        )
    services.signer_consent(signer=signer, meta=META)
    with pytest.raises(ValidationError):
        services.signer_sign(
            signer=signer, typed_name="Paula", authorized=False, signature_png=b"", meta=META
        )
    signer.refresh_from_db()
    assert signer.consent_version == services.CONSENT_VERSION
    assert signer.state == Signer.State.PENDING


def test_decline_notifies_everyone_involved(send, contact, contact2, manager, owner):
    request = send(users=[manager, owner], contacts=[contact, contact2])
    services.signer_decline(
        signer=Signer.objects.get(email=contact.email), reason="Terms not agreed", meta=META
    )
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.DECLINED
    told = set(
        OutboundEmail.objects.filter(key__startswith="charter-declined:").values_list(
            "to", flat=True
        )
    )
    assert told == {contact.email, contact2.email, manager.email, owner.email}
    assert "Terms not agreed" in OutboundEmail.objects.filter(to=owner.email).first().body_text
    event = AuditEvent.objects.get(kind="declined")
    assert event.ip_address == META.ip and event.user_agent == META.user_agent
    assert event.document_sha256 == request.version.document_sha256


def test_void_notifies_everyone_involved(send, contact, manager):
    request = send()
    services.signature_request_void(request=request, reason="Wrong version", meta=META)
    told = set(
        OutboundEmail.objects.filter(key__startswith="charter-voided:").values_list("to", flat=True)
    )
    assert told == {contact.email, manager.email}
    assert AuditEvent.objects.filter(kind="voided", detail="Wrong version").exists()


def test_editing_a_sent_version_creates_a_new_one_and_voids_the_open_request(
    send, partnership, manager, version, contact
):
    from .conftest import CHARTER_DATA

    request = send()
    new = services.charter_save(
        partnership=partnership, actor=manager, data={**CHARTER_DATA, "timeline": "Changed."}
    )
    assert new.number == 2 and not new.is_frozen
    version.refresh_from_db()
    assert version.timeline == CHARTER_DATA["timeline"], "a sent version is frozen"
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.VOIDED
    assert OutboundEmail.objects.filter(
        key__startswith="charter-voided:", to=contact.email
    ).exists()


def test_document_is_rendered_once_and_hashed(send, version, partnership, manager, contact):
    from django.core.files.storage import default_storage

    from charters.documents import sha256_hex

    request = send()
    version.refresh_from_db()
    with default_storage.open(version.document_pdf) as fh:
        assert sha256_hex(fh.read()) == version.document_sha256
    services.signature_request_void(request=request, reason="Resend", meta=META)
    before = (version.document_pdf, version.document_sha256, version.frozen_at)
    send()
    version.refresh_from_db()
    assert (version.document_pdf, version.document_sha256, version.frozen_at) == before


def test_sending_needs_a_signer_on_both_sides(send):
    with pytest.raises(ValidationError) as exc:
        send(contacts=[])
    assert "partner_signers" in exc.value.message_dict


def test_one_time_code_is_required_when_asked(send, contact):
    send(require_code=True)
    signer = Signer.objects.get(email=contact.email)
    services.signer_consent(signer=signer, meta=META)
    with pytest.raises(ValidationError):
        services.signer_sign(
            signer=signer, typed_name="P", authorized=True, signature_png=b"", meta=META
        )
    services.signer_send_code(signer=signer, meta=META)
    mail = OutboundEmail.objects.get(key__startswith="charter-code:")
    import re

    code = re.search(r"is: (\d{6})", mail.body_text).group(1)
    with pytest.raises(ValidationError):
        services.signer_verify_code(
            signer=signer, code="000000" if code != "000000" else "111111", meta=META
        )
    signer.refresh_from_db()
    assert signer.code_attempts == 1, "a wrong guess is counted"
    services.signer_verify_code(signer=signer, code=code, meta=META)
    services.signer_sign(
        signer=signer, typed_name="P", authorized=True, signature_png=b"", meta=META
    )
    assert AuditEvent.objects.filter(kind="code_verified").count() == 1


@postgres_only
def test_audit_events_are_append_only_in_the_database(send):
    send()
    event = AuditEvent.objects.first()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_signing_posts_are_rate_limited(client, send, contact):
    send()
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    statuses = [client.post(action_url(url, "consent"), {}).status_code for _ in range(35)]
    assert 429 in statuses


def test_a_sent_version_cannot_be_saved_again(send, version):
    send()
    version.refresh_from_db()
    version.mutual_goals = "Rewritten after sending"
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.save(update_fields=["mutual_goals"])


def test_client_ip_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2", "X-Forwarded-For is ignored by default"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.9", "the spoofable left part is ignored"
