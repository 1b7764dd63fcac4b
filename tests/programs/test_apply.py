"""Applying without an account: nothing exists until the e-mailed link is used, once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tokens import hash_token
from notifications.models import OutboundEmail
from partnerships.models import Contact, Partner, Partnership
from programs.models import Application, PendingApplication
from tests.factories import PartnerFactory

from .conftest import ANSWERS, apply_url, last_token, post_application

pytestmark = pytest.mark.django_db


def confirm_url(token):
    return reverse("programs:confirm", args=[token])


def test_the_application_page_is_off_until_an_owner_opens_it(client, org):
    assert client.get(apply_url(org)).status_code == 404
    assert client.post(apply_url(org), ANSWERS).status_code == 404
    assert not PendingApplication.objects.exists()


def test_an_unknown_organization_looks_the_same_as_a_closed_one(client, curated):
    response = client.get(reverse("programs:apply", kwargs={"org_slug": "no-such-org"}))
    assert response.status_code == 404


def test_applying_stores_only_a_pending_row_and_emails_a_link(client, curated, deliver):
    with deliver():
        response = post_application(client, curated)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:apply_sent", args=[curated.slug])
    pending = PendingApplication.objects.get()
    token = last_token()
    assert mail.outbox[-1].to == ["ada@lumen.example"]
    # only the token's hash is stored, never the token
    assert pending.token_hash == hash_token(token)
    assert token not in pending.token_hash
    assert len(token) >= 43  # 256 bits, URL-safe
    # nothing of the partner side exists before confirmation
    assert not Application.objects.exists()
    assert not Partner.objects.filter(organization=curated).exists()
    assert not Contact.objects.exists()
    assert not Partnership.objects.exists()


def test_the_confirmation_link_shows_a_button_and_does_not_confirm_on_get(client, curated, applied):
    token = applied(curated)
    response = client.get(confirm_url(token))
    assert response.status_code == 200
    assert b"Confirm my application" in response.content
    assert response["Cache-Control"] == "no-store"
    assert not Application.objects.exists()


def test_confirming_creates_the_application_once(curated, applied, deliver):
    token = applied(curated)
    with deliver():
        first = Client().post(confirm_url(token))
    assert first.status_code == 200
    application = Application.objects.get()
    assert application.state == Application.State.WAITING
    assert application.company == "Lumen Analytics"
    assert application.program == "curated"
    # single use: the same link again, in another browser, does nothing
    again = Client().post(confirm_url(token))
    assert again.status_code == 404
    assert Client().get(confirm_url(token)).status_code == 404
    assert Application.objects.count() == 1


def test_an_expired_link_confirms_nothing(curated, applied):
    token = applied(curated)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert Client().get(confirm_url(token)).status_code == 404
        assert Client().post(confirm_url(token)).status_code == 404
    assert not Application.objects.exists()


def test_a_made_up_or_oversized_token_is_a_plain_404(client, curated):
    assert client.post(confirm_url("x" * 43)).status_code == 404
    assert client.get(confirm_url("y" * 500)).status_code == 404


def test_the_reply_is_the_same_whether_or_not_we_know_the_company_or_address(curated, deliver):
    PartnerFactory(organization=curated, name="Lumen Analytics")
    with deliver():
        known = post_application(Client(), curated, ip="198.51.100.1")
        unknown = post_application(
            Client(),
            curated,
            ip="198.51.100.2",
            company="Nobody Ltd",
            contact_email="someone@nobody.example",
        )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    sent_page = Client().get(known["Location"])
    assert sent_page.status_code == 200
    # the e-mails say the same thing, apart from the names typed in
    first, second = mail.outbox[-2:]
    assert first.subject == second.subject


def test_the_honeypot_gets_the_same_reply_and_stores_nothing(client, curated, deliver):
    with deliver():
        response = post_application(client, curated, comment="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:apply_sent", args=[curated.slug])
    assert not PendingApplication.objects.exists()
    assert mail.outbox == []


def test_html_is_refused(client, curated):
    response = post_application(client, curated, offer="<script>alert(1)</script> connector")
    assert response.status_code == 422
    assert b"no HTML" in response.content
    assert not PendingApplication.objects.exists()


def test_answers_have_size_limits(client, curated):
    response = post_application(client, curated, offer="x" * 2001)
    assert response.status_code == 422
    assert not PendingApplication.objects.exists()


def test_an_oversized_request_is_refused_before_it_is_read(client, curated):
    response = post_application(client, curated, offer="x" * 40_000)
    assert response.status_code == 413
    assert not PendingApplication.objects.exists()


def test_a_nul_byte_is_a_form_error_not_a_crash(client, curated):
    response = post_application(client, curated, company="Lumen\x00")
    assert response.status_code == 422


def test_applications_are_rate_limited_per_ip(curated, deliver):
    client = Client()
    with deliver():
        for n in range(10):
            response = post_application(client, curated, contact_email=f"a{n}@lumen.example")
            assert response.status_code == 302
        blocked = post_application(client, curated, contact_email="late@lumen.example")
    assert blocked.status_code == 429
    assert PendingApplication.objects.count() == 10
    # another address on another IP still gets through
    assert post_application(Client(), curated, ip="192.0.2.99").status_code == 302


def test_applications_are_rate_limited_per_address_with_the_same_reply(curated, deliver):
    with deliver():
        replies = [
            post_application(
                Client(), curated, ip=f"192.0.2.{n}", contact_email="ADA@lumen.example"
            )
            for n in range(5)
        ]
    assert {r.status_code for r in replies} == {302}
    assert len({r["Location"] for r in replies}) == 1
    # only three links went to the address, the rest were dropped silently
    assert PendingApplication.objects.count() == 3
    assert OutboundEmail.objects.filter(to="ada@lumen.example").count() == 3


def test_the_confirmation_page_is_rate_limited_per_ip(client, curated):
    for _ in range(30):
        client.get(confirm_url("z" * 43))
    assert client.get(confirm_url("z" * 43)).status_code == 429


def test_the_confirmation_email_is_redacted_once_sent(curated, applied):
    token = applied(curated)
    row = OutboundEmail.objects.get(key__startswith="programs:confirm:")
    assert row.redacted_at is not None
    assert token not in row.body_text and token not in row.body_html
