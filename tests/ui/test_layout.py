"""The main pages at 1280 px and at 390 px (a phone), stored as screenshots under var/ui for a
reviewer, and what the phone layout and the wide evidence log promise (issues 18.5, 18.6).
Also: a decision flow moves focus to the next question and announces it (18.1)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.e2e.conftest import login
from tests.factories import build_world

from .checkers import artifacts

pytestmark = pytest.mark.browser

MAIN_PAGES = {
    "dashboard": lambda w: reverse("dashboard"),
    "partners": lambda w: reverse("partnerships:partner_list"),
    "partnership": lambda w: reverse(
        "partnerships:partnership_detail", args=[w.objects["partnership"].uuid]
    ),
    "fit-card": lambda w: reverse("fitcards:detail", args=[w.objects["partnership"].uuid]),
    "evidence-log": lambda w: reverse("evidence:log"),
    "charter": lambda w: reverse("charters:detail", args=[w.objects["partnership"].uuid]),
    "reviews": lambda w: reverse("reviews:list"),
    "review": lambda w: reverse("reviews:review", args=[w.objects["review"].uuid]),
    "signing": lambda w: reverse("charters:sign", args=[w.tokens["sign"]]),
}
WIDTHS = {"desktop": 1280, "phone": 390}


def _owner_context(new_context, live_server, world, width):
    client = Client()
    client.force_login(world.users["owner"])
    context = new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": k, "value": m.value, "url": live_server.url} for k, m in client.cookies.items()]
    )
    return context.new_page()


def test_main_pages_fit_1280_and_390_and_are_screenshotted(
    live_server, transactional_db, new_context
):
    cache.clear()
    world = build_world()
    folder = artifacts("screenshots")
    for label, width in WIDTHS.items():
        page = _owner_context(new_context, live_server, world, width)
        for name, path in MAIN_PAGES.items():
            page.goto(live_server.url + path(world), wait_until="networkidle")
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
        if label == "phone":
            _phone_promises(page, live_server, world, folder)
        else:
            _wide_log_promises(page, live_server)


def _phone_promises(page, live_server, world, folder):
    page.goto(live_server.url + reverse("dashboard"), wait_until="networkidle")
    menu = page.locator(".nav-toggle")
    assert menu.is_visible() and not page.locator("#mainnav").is_visible()
    menu.click()
    assert page.locator("#mainnav").is_visible() and menu.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(folder / "dashboard-390-menu-open.png"))
    page.keyboard.press("Escape")
    assert not page.locator("#mainnav").is_visible()
    # What needs attention comes first on a phone: flagged, then the next 30 days, then charts.
    tops = {h: page.locator(f"#{h}").bounding_box()["y"] for h in ("flagged-h", "deadlines-h")}
    charts = page.locator(".charts").bounding_box()["y"]
    assert tops["flagged-h"] < tops["deadlines-h"] < charts
    # A table scrolls inside its frame with its first column kept in view.
    page.goto(live_server.url + reverse("evidence:log"), wait_until="networkidle")
    first = page.locator(".table-wrap td:first-child").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"


def _wide_log_promises(page, live_server):
    """The evidence log at 1280 px: every column whole, no claim repeated row after row, the
    app's usual page width."""
    page.goto(live_server.url + reverse("evidence:log"), wait_until="networkidle")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the log scrolls sideways"
    width = page.locator("main").evaluate("el => el.getBoundingClientRect().width")
    assert width <= 1200


def test_a_flow_answer_moves_focus_to_the_next_question_and_announces_it(
    live_server, transactional_db, page, org, manager
):
    login(page, live_server, manager.email)
    page.goto(live_server.url + reverse("partnerships:flow_build_vs_partner"))
    yes = page.locator("#flow a[data-answer=yes]")
    no = page.locator("#flow a[data-answer=no]")
    assert yes.get_attribute("class") == no.get_attribute("class")  # equal choices
    first_question = page.locator("#flow .current .question").inner_text()
    no.click()
    page.wait_for_function(
        "q => document.querySelector('#flow [data-flow-focus]')"
        " && document.querySelector('#flow [data-flow-focus]').textContent.trim() !== q",
        arg=first_question,
    )
    # Focus moves once htmx has settled the swap: wait for it (a timeout here is the failure).
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.hasAttribute('data-flow-focus')",
        timeout=10_000,
    )
    page.wait_for_function("() => document.querySelector('#flow-announce').textContent.trim()")
    spoken = page.locator("#flow-announce").inner_text()
    assert spoken and spoken == page.locator("#flow [data-flow-focus]").inner_text().strip()
    answered = page.locator("#flow .answered .answer").first
    assert answered.evaluate("el => getComputedStyle(el).color") == "rgb(27, 35, 48)"  # not red
