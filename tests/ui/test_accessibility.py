"""Every page kind passes axe-core (WCAG 2.1 A and AA) and the Nu Html Checker (issue 18.1-2).

The pages are those of ``tests/access_map.py`` (``pages.page_kinds``), each opened by the
caller who sees the most of it, plus: each form again after an empty submit, the signing page
at each step (consent, signing, a refused signature, signed), the partner room as a partner's
contact sees it, and the app's own 404, 403 and 500 pages (DEBUG is off in tests). One
Chromium, one page per caller; vnu runs once over the folder of saved pages.

Every finding fails the test, named by the area of the page (sign-in and accounts, programs /
API / webhooks, the partner room, the guide, the rest) and kept in ``var/test/ui/findings.txt``.
The API docs page is Swagger UI, shipped by django-ninja: its colours are corrected in
``static/css/api-docs.css`` and its deep links are off (a link inside each toggle button).
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import build_world

from .checkers import artifacts, tools_missing, vnu_errors
from .pages import FORMS, page_kinds
from .steps import code_step, error_pages, partner_room, signing_steps
from .visits import Visit

pytestmark = pytest.mark.browser
# Internal terms and broken plurals that must not reach a screen (issue 18.4).
NOT_PLAIN = re.compile(
    r"\w\(s\)|\bSPEC\b|\bof ours\b|\b1 (?:entries|items|events|days|weeks|partners|dates)\b"
)
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def _clients(world) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in ("owner", "manager", "viewer"):
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    return clients


def _words(visit: Visit) -> list[str]:
    found = []
    for page in sorted(visit.folder.glob("*.html")):
        text = " ".join(TAGS.sub(" ", page.read_text()).split())
        for match in NOT_PLAIN.finditer(text):
            area = visit.areas.get(page.name, "polish")
            around = text[max(match.start() - 40, 0) : match.end() + 20]
            found.append(f"words {area} {page.name}: …{around}…")
    return found


def _report(visit: Visit, vnu: dict[str, list[str]]) -> list[str]:
    """Every finding on every page, named by the area it belongs to (so its owner finds it)."""
    found = list(_words(visit))
    for key, lines in sorted(visit.axe.items()):
        found += [f"axe {visit.areas[key]} {key}: {line}" for line in lines]
    for name, lines in sorted(vnu.items()):
        area = visit.areas.get(name, "polish")
        found += [f"vnu {area} {name}: {line}" for line in lines]
    return found


def test_every_page_kind_has_no_wcag_violation_and_no_html_error(
    live_server, transactional_db, new_context, capsys
):
    missing = tools_missing()
    assert not missing, f"missing {missing}: run `make ui-tools` (npm) and install Java 17"
    cache.clear()
    world = build_world()
    folder = artifacts("html")
    for old in folder.glob("*.html"):
        old.unlink()
    visit = Visit(live_server.url, folder, _clients(world))

    for kind in page_kinds(world):
        if visit.open(new_context, kind) and kind.name in FORMS:
            visit.fail_submit(new_context, kind)
    error_pages(visit, new_context, world)
    signing_steps(visit, new_context, world)
    code_step(visit, new_context, world)
    partner_room(visit, new_context, world)

    found = _report(visit, vnu_errors(folder))
    (artifacts() / "findings.txt").write_text("\n".join(found + visit.notes) + "\n")
    with capsys.disabled():
        saved = len(list(folder.glob("*.html")))
        print(f"\nui checks: {len(visit.checked)} pages with axe, {saved} with vnu")
    assert len(visit.checked) > 60
    assert found == [], "\n".join(found)
    assert visit.notes == [], "\n".join(visit.notes)
