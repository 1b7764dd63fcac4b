"""Curated program: the review queue, accept and decline (the applicant hears once)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from partnerships.models import Contact, Partner, Partnership, PartnershipEvent
from partnerships.rules import partnership_flags
from programs.models import Application, DirectoryListing
from programs.rules import application_is_handshake
from programs.services import program_settings_save
from tests.factories import ContactFactory, PartnerFactory

from .conftest import ANSWERS, CONFIRM_RE

pytestmark = pytest.mark.django_db


def accept_url(application):
    return reverse("programs:accept", kwargs={"application_uuid": application.uuid})


def decline_url(application):
    return reverse("programs:decline", kwargs={"application_uuid": application.uuid})


def test_the_queue_shows_who_waits_its_length_and_the_oldest_wait(
    curated, confirmed, manager_client
):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=9)):
        confirmed(curated, company="Early Co", contact_email="e@early.example")
    confirmed(curated)
    response = manager_client.get(reverse("programs:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="queue-length">2<' in body
    assert "Oldest wait: 9 days" in body
    assert "Early Co" in body and "Lumen Analytics" in body


def test_accepting_creates_partner_contact_and_a_proposed_tier_1_partnership(
    curated, confirmed, manager_client, manager, deliver
):
    application = confirmed(curated, list_in_directory="on")
    with deliver():
        response = manager_client.post(accept_url(application))
    application.refresh_from_db()
    assert application.state == Application.State.ACCEPTED
    assert application.decided_by == manager
    partnership = application.partnership
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "partnerships:partnership_detail", kwargs={"partnership_uuid": partnership.uuid}
    )
    assert partnership.tier == 1 and partnership.status == "proposed"
    assert partnership.phase == "crawl"
    assert partnership.partner.name == "Lumen Analytics"
    assert partnership.partner.website == "https://lumen.example"
    # prefilled from the answers
    assert partnership.value_to_partner == "Distribution to mid-size merchants."
    assert partnership.value_to_customers == "Invoice analytics without exports."
    assert partnership.partner_loses.startswith("Two engineers")
    assert partnership.claim_capability.startswith("A reporting connector")
    contact = Contact.objects.get(partner=partnership.partner)
    assert (contact.name, contact.email, contact.title) == (
        "Ada Lumen",
        "ada@lumen.example",
        "Head of Partnerships",
    )
    # the application is on the partnership's timeline, with a link back
    event = PartnershipEvent.objects.get(partnership=partnership, summary__contains="applied")
    assert "Value to them: Distribution" in event.detail
    assert event.url == reverse(
        "programs:application", kwargs={"application_uuid": application.uuid}
    )
    assert event.actor == manager
    # they asked to be listed
    assert DirectoryListing.objects.get(partner=partnership.partner).listed
    # the applicant hears once
    welcome = [m for m in mail.outbox if m.subject.endswith("accepted your application")]
    assert len(welcome) == 1 and welcome[0].to == ["ada@lumen.example"]


def test_accepting_twice_creates_one_partnership_and_one_email(
    curated, confirmed, manager_client, deliver
):
    application = confirmed(curated)
    with deliver():
        manager_client.post(accept_url(application))
        again = manager_client.post(accept_url(application))
    assert again.status_code == 409
    assert Partnership.objects.filter(organization=curated).count() == 1
    assert OutboundEmail.objects.filter(key__endswith=":welcome").count() == 1


def test_accepting_reuses_a_partner_and_contact_we_already_have(curated, confirmed, manager_client):
    partner = PartnerFactory(organization=curated, name="Lumen Analytics")
    ContactFactory(partner=partner, email="ada@lumen.example", name="Ada L.")
    application = confirmed(curated, company="lumen analytics")
    manager_client.post(accept_url(application))
    application.refresh_from_db()
    assert application.partner == partner
    assert Partner.objects.filter(organization=curated).count() == 1
    assert Contact.objects.filter(partner=partner).count() == 1


def test_declining_needs_a_reason_and_tells_the_applicant_once(
    curated, confirmed, manager_client, deliver
):
    application = confirmed(curated)
    assert manager_client.post(decline_url(application), {"reason": " "}).status_code == 422
    with deliver():
        response = manager_client.post(
            decline_url(application), {"reason": "Not a fit for our merchants."}
        )
        manager_client.post(decline_url(application), {"reason": "Again"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.DECLINED
    assert application.reason == "Not a fit for our merchants."
    declined = [m for m in mail.outbox if m.subject.startswith("Your application to")]
    assert len(declined) == 1
    assert "Not a fit" not in declined[0].body  # not shared unless asked
    assert not Partnership.objects.filter(organization=curated).exists()


def test_a_shared_reason_is_in_the_decline_email(curated, confirmed, manager_client, deliver):
    application = confirmed(curated)
    with deliver():
        manager_client.post(
            decline_url(application),
            {"reason": "We only list EU-hosted connectors.", "share_reason": "on"},
        )
    assert "We only list EU-hosted connectors." in mail.outbox[-1].body


def test_a_declined_application_cannot_be_accepted(curated, confirmed, manager_client):
    application = confirmed(curated)
    manager_client.post(decline_url(application), {"reason": "No."})
    assert manager_client.post(accept_url(application)).status_code == 409
    assert not Partnership.objects.filter(organization=curated).exists()


def test_the_handshake_check_applies_rule_1_to_the_answers(curated, confirmed, manager_client):
    handshake = confirmed(
        curated, company="Logo Swap Inc", contact_email="x@logo.example", they_lose="Nothing."
    )
    real = confirmed(curated)
    assert application_is_handshake(handshake)
    assert not application_is_handshake(real)
    page = manager_client.get(
        reverse("programs:application", kwargs={"application_uuid": handshake.uuid})
    )
    assert b'data-testid="handshake"' in page.content
    queue = manager_client.get(reverse("programs:index")).content.decode()
    assert queue.count('badge-bad">Handshake') == 1
    # and the partnership made from it carries the same flag
    manager_client.post(accept_url(handshake))
    handshake.refresh_from_db()
    codes = [f.code for f in partnership_flags(handshake.partnership, today=timezone.localdate())]
    assert "handshake" in codes


def test_an_undecided_program_queues_applications_for_review(org, owner, confirmed):
    program_settings_save(organization=org, actor=owner, applications_open=True)
    application = confirmed(org)
    assert application.state == Application.State.WAITING
    assert not Partnership.objects.filter(organization=org).exists()


def test_an_applicant_is_written_to_in_the_language_they_applied_in(
    curated, manager_client, deliver
):
    with deliver():
        applied = Client(HTTP_ACCEPT_LANGUAGE="es").post(
            reverse("programs:apply", kwargs={"org_slug": curated.slug}),
            {**ANSWERS, "contact_email": "lucia@lumen.example"},
            REMOTE_ADDR="203.0.113.9",
        )
    assert applied.status_code == 302
    confirm = mail.outbox[-1]
    assert confirm.to == ["lucia@lumen.example"] and confirm.body.startswith("Hola")
    token = CONFIRM_RE.search(confirm.body).group(1)
    with deliver():
        assert Client().post(reverse("programs:confirm", args=[token])).status_code == 200
    application = Application.objects.get(contact_email="lucia@lumen.example")
    assert application.language == "es"
    with deliver():
        manager_client.post(decline_url(application), {"reason": "Not a fit."})
    declined = mail.outbox[-1]
    assert declined.to == ["lucia@lumen.example"] and declined.body.startswith("Hola")
    # The manager's pages stay in the manager's language.
    page = manager_client.get(reverse("programs:index")).content.decode()
    assert 'lang="en"' in page
