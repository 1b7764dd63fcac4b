"""A Spanish-speaking partner signer opens their e-mailed link in a fresh browser (no cookie,
an English browser) and reads, consents and signs entirely in Spanish."""

import re
from datetime import timedelta

import pytest
from django.core import mail as sent_mail
from django.core.cache import cache
from django.utils import timezone, translation

from charters import services
from charters.models import Signer
from notifications.models import OutboundEmail
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)

from ..charters.conftest import CHARTER_DATA, email_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seal_keyring")]

ENGLISH_SENTENCES = ["Consent to use electronic records", "Sign the charter", "Who signs"]


def _send(*, contact_language: str, version_language: str):
    org = OrganizationFactory(name="Northwind", slug="northwind", default_language="en")
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    partnership = PartnershipFactory(
        organization=org, owner=manager, name="Piloto de disputas", partner__name="Acme Pagos"
    )
    contact = ContactFactory(
        partner=partnership.partner,
        name="Paula Socia",
        email="paula@acme.example",
        language=contact_language,
    )
    with translation.override(version_language):
        version = services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=14),
    )
    row = OutboundEmail.objects.get(key__startswith="charter-sign:", to=contact.email)
    link = re.search(r"/charters/sign/[A-Za-z0-9_-]+/", email_text(row)).group(0)
    # The stored copy of a link's e-mail is redacted once sent; the delivered one is read.
    delivered = [m for m in sent_mail.outbox if m.extra_headers.get("X-Accord-Key") == row.key]
    return contact, delivered[-1], link


def test_a_spanish_signer_signs_in_spanish_from_a_fresh_english_browser(
    live_server, transactional_db, new_context
):
    cache.clear()
    contact, mail, link = _send(contact_language="es", version_language="es")
    assert mail.subject == "Northwind le pide que firme el Acta de la alianza con Acme Pagos"

    page = new_context(locale="en-US").new_page()
    page.goto(live_server.url + link)
    page.wait_for_selector("text=Consentimiento para documentos y firmas electrónicos")
    assert page.locator("html").get_attribute("lang") == "es"
    body = page.locator("body").inner_text()
    assert "Solicitud de firma de Northwind" in body
    assert "Esta acta está redactada en Español" in body
    assert re.search(r"los enlaces vencen el \d+ de \w+ de 20\d\d", body)  # a Spanish date
    assert "Acta de la alianza · versión 1".upper() in body.upper()
    for sentence in ENGLISH_SENTENCES:
        assert sentence not in body

    page.check("input[name=consent]")
    page.click("text=Acepto, continuar")
    page.wait_for_selector("text=Su nombre escrito es su firma")
    assert page.locator("[data-signature-status]").inner_text() == "No hay nada dibujado."
    canvas = page.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x0, y0 = box["x"] + 20, box["y"] + box["height"] * 0.6
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, 20):
        page.mouse.move(x0 + i * 12, y0 - 25 * ((i % 4) / 3), steps=2)
    page.mouse.up()
    page.wait_for_selector("text=Firma dibujada.")

    page.click("form#sign-form button[type=submit]")  # without confirming authority
    page.wait_for_selector("text=Este campo es obligatorio.")
    page.check("input[name=authorized]")
    page.click("form#sign-form button[type=submit]")
    page.wait_for_selector("text=Usted firmó esta acta el")
    assert Signer.objects.get(email=contact.email).state == "signed"


def test_a_signer_we_know_nothing_about_reads_the_page_in_the_charters_language(
    live_server, transactional_db, new_context
):
    cache.clear()
    _contact, mail, link = _send(contact_language="", version_language="es")
    assert mail.subject.startswith("Northwind le pide que firme")
    page = new_context(locale="en-US").new_page()
    page.goto(live_server.url + link)
    page.wait_for_selector("text=Consentimiento para firmar electrónicamente")
    assert page.locator("html").get_attribute("lang") == "es"

    # The switcher is theirs to use: English from then on, in this browser.
    page.select_option("#language-switcher-select", "en")
    page.click("form.language-switcher button[type=submit]")
    page.wait_for_selector("text=Consent to sign electronically")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "This charter is written in Spanish" in page.locator("body").inner_text()
