"""Both sides sign a charter in a browser from an e-mailed link; the sealed PDF verifies."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from charters import services
from charters.models import SignatureRequest, Signer
from notifications.models import OutboundEmail
from tests.e2e.conftest import login
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)

from ..charters.conftest import CHARTER_DATA, email_text  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seal_keyring")]


def _link_for(email: str) -> str:
    mail = OutboundEmail.objects.filter(key__startswith="charter-sign:", to=email).get()
    return re.search(r"/charters/sign/[A-Za-z0-9_-]+/", email_text(mail)).group(0)


def test_both_sides_sign_in_a_browser_and_the_sealed_pdf_verifies(
    live_server, transactional_db, new_context, tmp_path
):
    cache.clear()
    org = OrganizationFactory(name="Northwind", slug="northwind")
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    partnership = PartnershipFactory(
        organization=org, owner=manager, name="Dispute desk pilot", partner__name="Acme Payments"
    )
    contact = ContactFactory(
        partner=partnership.partner, name="Paula Partner", email="paula@acme.example"
    )
    services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)

    csp_errors = []
    # The manager sends the charter for signature.
    ours = new_context().new_page()
    ours.on("console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text))
    login(ours, live_server, manager.email)
    ours.goto(f"{live_server.url}/charters/p/{partnership.uuid}/")
    ours.click("text=Send v1 for signature")
    ours.check("text=Manny Manager <manager@northwind.test>")
    ours.check("text=Paula Partner <paula@acme.example>")
    ours.click("form button[type=submit]:has-text('Send for signature')")
    ours.wait_for_selector("text=sent for signature")

    # The partner signer opens the e-mailed link in a fresh browser context (no session).
    partner = new_context().new_page()
    partner.on(
        "console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text)
    )
    partner.goto(live_server.url + _link_for(contact.email))
    partner.wait_for_selector("text=Consent to use electronic records and signatures")
    document_hash = partner.locator("[data-testid=document-hash]").inner_text()
    assert document_hash == SignatureRequest.objects.get().version.document_sha256
    partner.check("input[name=consent]")
    partner.click("text=I agree, continue")

    # Draw a signature with the mouse on the canvas.
    canvas = partner.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x0, y0 = box["x"] + 20, box["y"] + box["height"] * 0.6
    partner.mouse.move(x0, y0)
    partner.mouse.down()
    for i in range(1, 25):
        partner.mouse.move(x0 + i * 12, y0 - 30 * ((i % 4) / 3), steps=2)
    partner.mouse.up()
    partner.wait_for_selector("text=Signature drawn.")
    partner.check("input[name=authorized]")
    partner.click("form#sign-form button[type=submit]")
    partner.wait_for_selector("text=You signed this charter")
    signed = Signer.objects.get(email=contact.email)
    assert signed.state == "signed" and signed.signature_kind == "drawn"
    assert bytes(signed.signature_png).startswith(b"\x89PNG")

    # Our signer signs from the charter page.
    ours.goto(f"{live_server.url}/charters/p/{partnership.uuid}/")
    ours.click("text=Sign now")
    ours.check("input[name=consent]")
    ours.click("text=I agree, continue")
    ours.check("input[name=authorized]")
    ours.click("form#sign-form button[type=submit]")
    ours.wait_for_selector("text=You signed this charter")

    # Execution ran (eager Celery, after commit); the executed PDF downloads.
    ours.goto(f"{live_server.url}/charters/p/{partnership.uuid}/")
    ours.wait_for_selector("text=Executed by both sides")
    with ours.expect_download() as download_info:
        ours.click("text=Download the executed PDF")
    path = tmp_path / "executed.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    # Anyone can verify it on the verification page; a changed byte fails.
    partner.goto(f"{live_server.url}/charters/verify/")
    partner.set_input_files("input[name=document]", str(path))
    partner.click("form button[type=submit]:has-text('Verify')")
    result = partner.locator("[data-testid=verify-result]")
    result.wait_for()
    text = result.inner_text()
    assert "An unaltered executed charter" in text
    assert "Dispute desk pilot" in text and "Paula Partner" in text and "Manny Manager" in text

    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    partner.goto(f"{live_server.url}/charters/verify/")
    partner.set_input_files("input[name=document]", str(tampered))
    partner.click("form button[type=submit]:has-text('Verify')")
    partner.wait_for_selector("text=Not valid")
    assert csp_errors == []


def test_a_signature_drawn_with_a_pen_on_a_touch_device_is_kept(
    live_server, transactional_db, new_context
):
    cache.clear()
    org = OrganizationFactory(name="Northwind", slug="northwind")
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    partnership = PartnershipFactory(organization=org, owner=manager)
    contact = ContactFactory(partner=partnership.partner, name="Tia Tablet", email="tia@p.example")
    version = services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=3),
    )
    page = new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = page.new_page()
    page.goto(live_server.url + _link_for(contact.email))
    page.check("input[name=consent]")
    page.click("text=I agree, continue")
    canvas = page.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()

    def pen(kind, dx, dy):
        canvas.dispatch_event(
            kind,
            {
                "pointerId": 7,
                "pointerType": "pen",
                "pressure": 0.8,
                "isPrimary": True,
                "button": 0,
                "clientX": box["x"] + dx,
                "clientY": box["y"] + dy,
                "bubbles": True,
            },
        )

    pen("pointerdown", 10, 30)
    for step in range(1, 15):
        pen("pointermove", 10 + step * 15, 30 + (step % 3) * 8)
    pen("pointerup", 220, 40)
    page.wait_for_selector("text=Signature drawn.")
    # Clearing removes it, drawing again restores it.
    page.click("text=Clear drawing")
    page.wait_for_selector("text=Nothing drawn.")
    assert page.input_value("input[name=drawn_signature]") == ""
    pen("pointerdown", 20, 20)
    for step in range(1, 10):
        pen("pointermove", 20 + step * 20, 20 + step * 3)
    pen("pointerup", 200, 50)
    assert page.input_value("input[name=drawn_signature]").startswith("data:image/png;base64,")
    page.check("input[name=authorized]")
    page.click("form#sign-form button[type=submit]")
    page.wait_for_selector("text=You signed this charter")
    signer = Signer.objects.get(email=contact.email)
    assert signer.signature_kind == "drawn"


def _canvas_has_ink(page) -> bool:
    return page.evaluate(
        """() => {
            const c = document.querySelector('[data-testid=signature-canvas]');
            const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
            return false;
        }"""
    )


def test_after_a_validation_error_the_canvas_and_the_hidden_field_agree(
    live_server, transactional_db, new_context
):
    cache.clear()
    org = OrganizationFactory(name="Northwind", slug="northwind")
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    partnership = PartnershipFactory(organization=org, owner=manager)
    contact = ContactFactory(partner=partnership.partner, name="Dora Draw", email="dora@p.example")
    version = services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    services.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=timezone.now() + timedelta(days=3),
    )
    page = new_context().new_page()
    page.goto(live_server.url + _link_for(contact.email))
    page.check("input[name=consent]")
    page.click("text=I agree, continue")
    canvas = page.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for i in range(1, 20):
        page.mouse.move(box["x"] + 30 + i * 15, box["y"] + 100 - (i % 5) * 12, steps=2)
    page.mouse.up()
    page.wait_for_selector("text=Signature drawn.")
    # Submit without the authority box: the page comes back with an error.
    page.click("form#sign-form button[type=submit]")
    page.wait_for_selector("#sign-form .field-error")
    page.wait_for_selector("text=Signature drawn.")
    assert page.input_value("input[name=drawn_signature]").startswith("data:image/png;base64,")
    assert _canvas_has_ink(page), "the canvas shows the drawing the hidden field will submit"
    # Clearing empties both; submitting then signs with the typed name only.
    page.click("text=Clear drawing")
    assert page.input_value("input[name=drawn_signature]") == ""
    assert not _canvas_has_ink(page)
    page.check("input[name=authorized]")
    page.click("form#sign-form button[type=submit]")
    page.wait_for_selector("text=You signed this charter")
    assert Signer.objects.get(email=contact.email).signature_kind == "typed"
