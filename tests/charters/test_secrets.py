"""No live secret where it need not be (issue 11.1, charters' part): one-time codes stay out of
subjects, logs, the audit trail and pages; a new link revokes the older ones; the e-mail to a
signer of ours carries no secret at all."""

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from charters import services
from charters.models import AuditEvent, Signer, SigningLink
from charters.services.scan import signer_remind_now
from notifications.models import REDACTED_SUBJECT, OutboundEmail

from .conftest import META, action_url, sign_links

pytestmark = pytest.mark.django_db


def _code_from_mail() -> str:
    body = OutboundEmail.objects.get(key__startswith="charter-code:").body_text
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_one_time_code_is_in_no_subject_log_line_audit_trail_or_page(
    client, send, contact, caplog
):
    send(require_code=True)
    url = reverse("charters:sign", args=[sign_links()[contact.email]])
    caplog.set_level(logging.DEBUG)
    client.post(action_url(url, "consent"), {"consent": "on"})
    assert client.post(action_url(url, "send_code"), {}).status_code == 302
    code = _code_from_mail()
    mail = OutboundEmail.objects.get(key__startswith="charter-code:")
    assert code not in mail.subject
    assert all(code not in record.getMessage() for record in caplog.records)
    for detail in AuditEvent.objects.values_list("detail", flat=True):
        assert code not in detail
    assert code not in client.get(url).content.decode()
    wrong = client.post(action_url(url, "verify_code"), {"code": "12345x"})
    assert code not in wrong.content.decode()
    done = client.post(action_url(url, "verify_code"), {"code": code})
    assert done.status_code == 302
    assert code not in client.get(url).content.decode()
    signer = Signer.objects.get(email=contact.email)
    assert code not in signer.code_hash


def test_a_reminder_revokes_the_signers_older_links(client, send, contact):
    request = send()
    first = sign_links()[contact.email]
    signer = Signer.objects.get(request=request, email=contact.email)
    signer_remind_now(signer=signer, meta=META)
    fresh = sign_links()[contact.email]
    assert fresh != first
    old_url = reverse("charters:sign", args=[first])
    old = client.get(old_url)
    assert old.status_code == 410
    assert b"A newer signing link was e-mailed" in old.content
    client.post(action_url(old_url, "consent"), {"consent": "on"})
    assert Signer.objects.get(pk=signer.pk).consented_at is None, "an old link changes nothing"
    document = client.get(reverse("charters:sign_document", args=[first]))
    assert document.status_code == 410 and document["Content-Type"].startswith("text/html")
    assert client.get(reverse("charters:sign", args=[fresh])).status_code == 200
    links = SigningLink.objects.filter(signer=signer)
    assert links.count() == 2 and links.filter(revoked_at__isnull=True).count() == 1


def test_the_scheduled_reminder_revokes_older_links_too(client, send, contact, org):
    org.signature_reminder_days = 1
    org.save(update_fields=["signature_reminder_days"])
    send()
    first = sign_links()[contact.email]
    assert services.signatures_scan(now=timezone.now() + timedelta(days=1, minutes=1))["reminded"]
    assert sign_links()[contact.email] != first
    assert client.get(reverse("charters:sign", args=[first])).status_code == 410


def test_the_email_to_a_signer_of_ours_carries_no_secret(send, manager, contact):
    request = send()
    ours = Signer.objects.get(request=request, email=manager.email)
    mail = OutboundEmail.objects.get(key__startswith="charter-sign:", to=manager.email)
    assert "/charters/sign/" not in mail.body_text + mail.body_html
    assert reverse("charters:sign_member", args=[ours.uuid]) in mail.body_text
    assert not SigningLink.objects.filter(signer=ours).exists()
    signer_remind_now(signer=ours, meta=META)
    reminder = OutboundEmail.objects.get(key__startswith="charter-remind:", to=manager.email)
    assert "/charters/sign/" not in reminder.body_text + reminder.body_html
    assert not SigningLink.objects.filter(signer=ours).exists()


def test_link_and_code_emails_are_redacted_once_sent(
    client, send, contact, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(require_code=True)
    token = sign_links()[contact.email]
    url = reverse("charters:sign", args=[token])
    client.post(action_url(url, "consent"), {"consent": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(url, "send_code"), {})
    link_mail = OutboundEmail.objects.get(key__startswith="charter-sign:", to=contact.email)
    code_mail = OutboundEmail.objects.get(key__startswith="charter-code:")
    for row in (link_mail, code_mail):
        assert row.sensitive and row.redacted_at is not None
        assert row.subject == REDACTED_SUBJECT and token not in row.body_text + row.body_html
    delivered = [m for m in mail.outbox if m.to == [contact.email] and "code" in m.subject]
    code = re.search(r"\b(\d{6})\b", delivered[-1].body).group(1)
    assert code not in code_mail.body_text + code_mail.body_html + delivered[-1].subject
    ours = OutboundEmail.objects.get(key__startswith="charter-sign:", to=manager.email)
    assert not ours.sensitive, "it carries no secret, so it stays readable on the outbox page"
