"""Every sign-in page in Chromium: in Accord's layout (our top bar, the narrow card, our
stylesheet), and passing the accessibility checks every page of ours passes: one h1, a
language, a title, a main landmark, a label for every visible field, and every
aria-describedby pointing at an element that exists."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.accounts.two_factor import activate_totp, sign_in, totp, verified
from tests.e2e.conftest import browser, login, new_context  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PASSWORD = "accord-test-pass"

CHECKS = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('no lang');
  if (!document.title.trim()) problems.push('no title');
  if (document.querySelectorAll('main').length !== 1) problems.push('not one main');
  const h1 = document.querySelectorAll('main h1');
  if (h1.length !== 1) problems.push(h1.length + ' h1');
  for (const el of document.querySelectorAll('main input, main select, main textarea')) {
    if (el.type === 'hidden' || el.offsetParent === null) continue;
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) ||
      el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push('unlabelled ' + (el.name || el.id || el.type));
  }
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/)) {
      if (!document.getElementById(id)) problems.push('describedby ' + id + ' missing');
    }
  }
  for (const b of document.querySelectorAll('main button, main a')) {
    if (b.offsetParent !== null && !b.textContent.trim() && !b.getAttribute('aria-label'))
      problems.push('nameless ' + b.tagName);
  }
  if (!document.body.classList.contains('auth-page')) problems.push('not in the auth layout');
  if (!document.querySelector('header.topbar .brand')) problems.push('no Accord top bar');
  const main = getComputedStyle(document.querySelector('#main'));
  if (parseFloat(main.maxWidth) > 600) problems.push('main not narrow: ' + main.maxWidth);
  return problems;
}"""

SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-key/",
]
SIGNED_IN = [
    "/accounts/reauthenticate/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/sessions/",
]


def _check(page, url) -> list[str]:
    response = page.goto(url)
    assert response.status < 500, (url, response.status)
    return [f"{url}: {problem}" for problem in page.evaluate(CHECKS)]


def test_every_sign_in_page_is_in_accords_layout_and_accessible(
    live_server,
    transactional_db,
    new_context,  # noqa: F811
    manager,
):
    cache.clear()
    verified(manager)
    problems = []
    anonymous = new_context().new_page()
    for path in SIGNED_OUT:
        problems += _check(anonymous, live_server.url + path)

    page = new_context().new_page()
    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/accounts/reauthenticate/")
    problems += [f"reauthenticate: {p}" for p in page.evaluate(CHECKS)]
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    for path in SIGNED_IN:
        problems += _check(page, live_server.url + path)
    assert problems == []


TWO_FACTOR = [
    "/accounts/2fa/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/totp/deactivate/",
]


def test_the_two_factor_pages_are_in_accords_layout_and_accessible(
    live_server,
    transactional_db,
    new_context,  # noqa: F811
    approver,
):
    cache.clear()
    verified(approver)
    setup = Client()
    sign_in(setup, approver.email)
    secret = activate_totp(setup)
    cache.clear()  # the code used to set it up may not be replayed; a fresh one is asked

    page = new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", approver.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    problems = [f"authenticate: {p}" for p in page.evaluate(CHECKS)]
    page.fill("input[name=code]", totp(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    for path in TWO_FACTOR:
        problems += _check(page, live_server.url + path)
    assert problems == []
