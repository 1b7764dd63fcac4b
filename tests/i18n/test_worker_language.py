"""Background work in the recipient's language (16.3): a real Celery worker renders each
e-mail and PDF in the language of the person it is for, never in its own.

A Spanish-speaking partner contact and an English-speaking manager of ours get, from the same
worker run, a signing reminder, the executed charter and the weekly health-review request each
in their own language; the executed PDF and its audit certificate are in the charter's."""

import datetime
import io
import time

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import Organization, User
from charters import services
from charters.models import SignatureRequest, Signer
from notifications.models import OutboundEmail
from reviews.models import PartnerReviewer
from tests.charters.conftest import CHARTER_DATA, sign
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, message: str, timeout: float = 45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(message)


def delivered(key_prefix: str, to: str):
    """The message as delivered (a signing link's stored copy is redacted once sent)."""
    row = OutboundEmail.objects.get(key__startswith=key_prefix, to=to)
    sent = [m for m in mail.outbox if m.extra_headers.get("X-Accord-Key") == row.key[:200]]
    assert sent, f"{row.key} was not delivered"
    return sent[-1]


@pytest.fixture
def northwind():
    org = OrganizationFactory(name="Northwind", slug="northwind-i18n", default_language="en")
    manager = UserFactory(email="manny@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    partnership = PartnershipFactory(
        organization=org, owner=manager, name="Dispute desk pilot", partner__name="Acme Pagos"
    )
    contact = ContactFactory(
        partner=partnership.partner, name="Paula Socia", email="paula@acme.example", language="es"
    )
    return org, manager, partnership, contact


def test_a_real_worker_reminds_and_executes_each_signer_in_their_language(northwind, real_worker):
    org, manager, partnership, contact = northwind
    with translation.override("es"):  # the charter is written in Spanish
        version = services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    assert version.language == "es"
    request = services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    Signer.objects.filter(request=request).update(
        notified_at=timezone.now() - datetime.timedelta(days=5)
    )

    from charters.tasks import scan_signature_requests

    translation.activate("en")  # whatever this process speaks, the worker must not follow it
    scan_signature_requests.delay()
    reminders = OutboundEmail.objects.filter(key__startswith="charter-remind:", state="sent")
    wait_for(lambda: reminders.count() == 2, "the worker did not send both reminders")
    theirs = delivered("charter-remind:", contact.email)
    assert theirs.subject == "Recordatorio: firme el Acta de la alianza con Acme Pagos"
    assert "Léala y fírmela aquí (un enlace personal nuevo):" in theirs.body
    ours = delivered("charter-remind:", manager.email)
    assert ours.subject == ("Reminder: your signature for Northwind on the charter with Acme Pagos")
    assert "Sign in to Accord and sign from the charter page" in ours.body

    sign(Signer.objects.get(email=contact.email))
    sign(Signer.objects.get(email=manager.email))
    wait_for(
        lambda: SignatureRequest.objects.filter(
            pk=request.pk, execution_state=SignatureRequest.Execution.DONE
        ).exists(),
        "the worker did not execute the charter",
    )
    wait_for(
        lambda: (
            OutboundEmail.objects.filter(key__startswith="charter-executed:", state="sent").count()
            == 2
        ),
        "the executed charter was not e-mailed to both signers",
    )
    theirs = delivered("charter-executed:", contact.email)
    assert theirs.subject == "Formalizada: Acta de la alianza entre Northwind y Acme Pagos"
    assert "Adjuntamos el acta formalizada en un PDF sellado" in theirs.body
    ours = delivered("charter-executed:", manager.email)
    assert ours.subject == "Executed: Partnership Charter of Northwind and Acme Pagos"

    request.refresh_from_db()
    with default_storage.open(request.executed_pdf, "rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "ACTA DE LA ALIANZA · VERSIÓN 1 · ESPAÑOL" in text  # the kicker is in capitals
    assert "Página 2 de 2" in text
    assert "Certificado de auditoría" in text
    assert "Redactada, generada y firmada en: Español." in text
    assert "Audit certificate" not in text


def organization_due_now(org: Organization) -> None:
    now = timezone.now()
    Organization.objects.filter(pk=org.pk).update(
        time_zone="UTC",
        review_weekday=now.weekday(),
        review_hour=now.hour,
        created_at=now - datetime.timedelta(days=3),
    )


def test_a_real_worker_sends_each_weekly_review_e_mail_in_its_readers_language(
    northwind, real_worker
):
    org, manager, partnership, contact = northwind
    launched = timezone.localdate() - datetime.timedelta(days=90)
    type(partnership).objects.filter(pk=partnership.pk).update(phase="run", launched_on=launched)
    spanish = UserFactory(email="sofia@northwind.test", full_name="Sofía", language="es")
    MembershipFactory(organization=org, user=spanish, role="manager")
    PartnershipFactory(
        organization=org, owner=spanish, phase="run", launched_on=launched, name="Facturación"
    )
    PartnerReviewer.objects.create(
        organization=org, partner=partnership.partner, contact=contact, added_by=manager
    )
    organization_due_now(org)

    from reviews.tasks import dispatch_review_cycles

    translation.activate("es")  # the other way round: the worker must not follow it either
    dispatch_review_cycles.delay()
    wait_for(
        lambda: OutboundEmail.objects.filter(organization=org, state="sent").count() == 3,
        "the worker did not send the two digests and the partner's request",
    )
    translation.activate("en")
    english = delivered("digest:", manager.email)
    assert english.subject == "1 health review due this week — Northwind"
    assert "The weekly health-review cycle of Northwind started on" in english.body
    own_spanish = delivered("digest:", spanish.email)
    assert own_spanish.subject == "1 revisión de salud pendiente esta semana — Northwind"
    weekday = timezone.localdate().strftime("%A")
    assert weekday not in own_spanish.body  # the weekday is written in Spanish
    partner = delivered("partner-review-request:", contact.email)
    assert partner.subject == (
        "Northwind le pide su punto de vista en la revisión de salud de esta semana"
    )
    assert "revisa cada semana la salud de sus alianzas con Acme Pagos" in partner.body
    assert User.objects.get(pk=manager.pk).language == ""  # nobody's setting was touched
