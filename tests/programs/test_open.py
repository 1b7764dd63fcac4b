"""Open program: a confirmed application is admitted at once; a manager may still end it."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import OutboundEmail
from partnerroom.models import RoomAccess, SignInLink
from partnerships.models import Partnership, PartnershipEvent
from programs.models import Application, DirectoryListing
from programs.selectors import public_directory
from programs.services import application_accept, application_admit, program_settings_save
from tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_confirming_in_an_open_program_admits_at_once(open_program, confirmed, owner):
    application = confirmed(open_program)
    assert application.state == Application.State.ADMITTED
    assert application.decided_by is None
    partnership = application.partnership
    assert partnership.tier == 1 and partnership.status == "proposed"
    assert partnership.owner == owner  # the first owner, as no intake owner was chosen
    assert application.contact.email == "ada@lumen.example"
    event = PartnershipEvent.objects.get(partnership=partnership, summary__contains="applied")
    assert event.by_system and "admitted by the open program" in event.summary
    welcome = [m for m in mail.outbox if m.subject.startswith("Welcome to")]
    assert len(welcome) == 1


def test_the_intake_owner_owns_admitted_partnerships(open_program, owner, manager, confirmed):
    program_settings_save(organization=open_program, actor=owner, intake_owner=manager)
    assert confirmed(open_program).partnership.owner == manager


def test_nothing_is_admitted_before_confirmation(open_program, applied):
    applied(open_program)
    assert not Application.objects.exists()
    assert not Partnership.objects.filter(organization=open_program).exists()


def test_a_manager_ends_an_admitted_partner_with_a_reason(
    open_program, confirmed, manager_client, manager
):
    application = confirmed(open_program, list_in_directory="on")
    assert public_directory(open_program)
    url = reverse("programs:end", kwargs={"application_uuid": application.uuid})
    assert manager_client.post(url, {"reason": ""}).status_code == 422
    response = manager_client.post(url, {"reason": "Their connector leaks customer data."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.ENDED
    assert application.ended_by == manager
    assert application.partnership.status == "ended"
    status_event = PartnershipEvent.objects.get(partnership=application.partnership, kind="status")
    assert "leaks customer data" in status_event.detail
    assert not DirectoryListing.objects.get(partner=application.partner).listed
    assert public_directory(open_program) == []
    # ending twice is refused, not a crash
    assert manager_client.post(url, {"reason": "again"}).status_code == 422


def test_a_waiting_application_cannot_be_ended(curated, confirmed, manager_client):
    application = confirmed(curated)
    url = reverse("programs:end", kwargs={"application_uuid": application.uuid})
    assert manager_client.post(url, {"reason": "x"}).status_code == 422
    application.refresh_from_db()
    assert application.state == Application.State.WAITING


def test_admission_is_idempotent(open_program, confirmed):
    application = confirmed(open_program)
    application_admit(application=application)
    assert Partnership.objects.filter(organization=open_program).count() == 1
    assert OutboundEmail.objects.filter(key__endswith=":welcome").count() == 1


def test_an_admitted_contact_is_invited_to_the_partner_room_once(open_program, confirmed):
    application = confirmed(open_program)
    access = RoomAccess.objects.get(contact=application.contact)
    assert access.partner == application.partner and access.revoked_at is None
    assert access.granted_by is None  # the open program admitted them, nobody chose to
    assert SignInLink.objects.filter(access=access, purpose="invite").count() == 1
    invitations = [m for m in mail.outbox if "/room/" in m.body]
    assert [m.to for m in invitations] == [["ada@lumen.example"]]
    application_admit(application=application)  # again: already admitted, nothing new
    assert RoomAccess.objects.filter(contact=application.contact).count() == 1
    assert SignInLink.objects.filter(access=access).count() == 1


def test_a_curated_acceptance_does_not_invite_to_the_room(curated, confirmed, manager):
    application_accept(application=confirmed(curated), actor=manager)
    assert not RoomAccess.objects.exists()


def test_an_existing_contact_keeps_the_room_access_an_owner_chose(open_program, confirmed, owner):
    partner = PartnerFactory(organization=open_program, name="Lumen Analytics")
    ContactFactory(partner=partner, email="ada@lumen.example")
    application = confirmed(open_program)
    assert application.partner == partner
    assert not RoomAccess.objects.exists()
