"""The pages the access map cannot reach by one GET: the error pages, the signing page at
each step, and the partner room as a partner's contact sees it."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import defaults

from charters import services as charters
from charters.models import Signer
from charters.services.links import issue_link
from partnerroom.services.access import access_grant
from tests.factories import CHARTER_TEXT

from .pages import PageKind
from .visits import Visit, whole_page

ROOM_LINK = re.compile(r"/room/sign-in/([A-Za-z0-9_-]+)/")


def _check_page(visit: Visit, page, key: str, html: bytes, area: str = "polish") -> None:
    visit.save(key, html, area)
    visit.check(page, key, area)


def error_pages(visit: Visit, new_context, world) -> None:
    """The app's own 404, 403 and 500 (DEBUG is off under the test runner)."""
    missing = visit.clients["owner"].get("/no-such-page/")
    assert missing.status_code == 404 and b"Page not found" in missing.content
    page = visit.browser_page(new_context, "owner")
    page.goto(visit.live_url + "/no-such-page/")
    _check_page(visit, page, "error-404", missing.content)

    forbidden_path = reverse("partnerships:partner_create")
    forbidden = visit.clients["viewer"].get(forbidden_path)
    assert forbidden.status_code == 403 and b"t do that here" in forbidden.content
    page = visit.browser_page(new_context, "viewer")
    page.goto(visit.live_url + forbidden_path)
    _check_page(visit, page, "error-403", forbidden.content)

    broken = defaults.server_error(RequestFactory().get("/"))
    assert broken.status_code == 500 and b"Something went wrong" in broken.content
    url = visit.live_url + "/ui-check/500/"
    body = broken.content
    page.route(url, lambda r: r.fulfill(status=500, body=body, content_type="text/html"))
    page.goto(url)
    _check_page(visit, page, "error-500", broken.content)


def signing_steps(visit: Visit, new_context, world) -> None:
    """A partner's signer by their link: consent refused, consent, a refused signature, signed."""
    token = world.tokens["sign"]
    link = reverse("charters:sign", args=[token])
    client = Client()
    page = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    page.goto(visit.live_url + link)
    page.click("text=I agree, continue")
    page.wait_for_load_state("networkidle")
    visit.check(page, "sign-2-consent-refused", "polish")
    page.check("input[name=consent]")
    page.click("text=I agree, continue")
    page.wait_for_selector("#sign-form")
    _check_page(visit, page, "sign-3-sign", client.get(link).content)

    page.eval_on_selector("#sign-form input[name=typed_name]", "el => { el.value = ''; }")
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector("#sign-form .errorlist")
    refused = client.post(reverse("charters:sign_sign", args=[token]), {})
    if whole_page(refused):
        visit.save("sign-4-refused", refused.content, "polish")
    visit.check(page, "sign-4-refused", "polish")

    page.fill("#sign-form input[name=typed_name]", "Lena Vogt")
    page.check("#sign-form input[name=authorized]")
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector("text=You signed this charter")
    _check_page(visit, page, "sign-5-signed", client.get(link).content)


def code_step(visit: Visit, new_context, world) -> None:
    """A request that asks for a one-time code: the code step, before and after the code is
    sent, and a wrong code refused (run after ``signing_steps``, which used the first link)."""
    manager, contact = world.users["manager"], world.objects["contact"]
    version = charters.charter_save(
        partnership=world.objects["partnership"],
        actor=manager,
        data={**CHARTER_TEXT, "title": "Northwind v3"},
    )
    request = charters.signature_request_send(
        version=version,
        actor=manager,
        our_users=[manager],
        partner_contacts=[contact],
        expires_at=timezone.now() + datetime.timedelta(days=14),
        require_code=True,
    )
    token = issue_link(signer=request.signers.get(side=Signer.Side.PARTNER))
    link = reverse("charters:sign", args=[token])
    client = Client()
    page = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    page.goto(visit.live_url + link)
    page.check("input[name=consent]")
    page.click("text=I agree, continue")
    page.wait_for_selector("#code-h")
    _check_page(visit, page, "sign-6-code", client.get(link).content)
    page.click("text=E-mail me a code")
    page.wait_for_selector("form[action$='/code/verify/']")
    _check_page(visit, page, "sign-7-code-sent", client.get(link).content)
    page.fill("form[action$='/code/verify/'] input[type=text], input[name=code]", "000000")
    page.click("form[action$='/code/verify/'] button[type=submit]")
    page.wait_for_selector(".errorlist, .form-errors")
    wrong = client.post(reverse("charters:sign_verify_code", args=[token]), {"code": "000000"})
    if whole_page(wrong):
        visit.save("sign-8-wrong-code", wrong.content, "polish")
    visit.check(page, "sign-8-wrong-code", "polish")


def partner_room(visit: Visit, new_context, world) -> None:
    """The room of the partner's contact, signed in through the e-mailed link."""
    contact = world.objects["contact"]
    access_grant(contact=contact, granted_by=world.users["owner"], send_link=False)
    mail.outbox.clear()
    client = Client()
    client.post(reverse("partnerroom:access"), {"email": contact.email})
    token = next(ROOM_LINK.search(m.body).group(1) for m in mail.outbox if ROOM_LINK.search(m.body))
    client.post(reverse("partnerroom:sign_in", args=[token]))
    visit.clients["partner"] = client
    partnership = world.objects["partnership"]
    for name, args in (
        ("partnerroom:home", []),
        ("partnerroom:partnership", [partnership.uuid]),
        ("partnerroom:reviews", []),
    ):
        kind = PageKind(name, "partner", reverse(name, args=args))
        if not visit.open(new_context, kind):
            visit.notes.append(f"{name}: the partner's contact got no page")
