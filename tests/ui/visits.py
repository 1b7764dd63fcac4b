"""Visiting pages for the interface checks: raw HTML saved for vnu, the live page for axe.

A ``Visit`` holds one browser page per caller (session cookies copied from a signed-in test
client, so no login form is typed a hundred times), the folder of saved pages, and what each
check found, by page and by whose templates they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.test import Client

from .checkers import axe_violations
from .pages import READY, PageKind

# Clears every field a person types or picks, then submits the form as a person would
# (requestSubmit: htmx forms go through htmx); the browser's own required check is off so the
# server's errors are what shows.
EMPTY_AND_SUBMIT = """form => {
  form.noValidate = true;
  for (const el of form.elements) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.type === 'checkbox' || el.type === 'radio') { el.checked = false; continue; }
    if (el.tagName === 'SELECT') { el.selectedIndex = -1; continue; }
    if (el.type !== 'file') el.value = '';
  }
  form.requestSubmit();
}"""
LARGEST_FORM = """() => {
  const forms = [...document.querySelectorAll('main form[method=post], main form[method=POST]')];
  forms.sort((a, b) => b.elements.length - a.elements.length);
  if (!forms.length) return null;
  forms[0].setAttribute('data-ui-check', 'submit');
  return true;
}"""
FORM_ACTION = """f => {
  const url = f.getAttribute('hx-post') || f.getAttribute('action') || location.pathname;
  return new URL(url, location.href).pathname;
}"""
FAILED = ".errorlist, .form-errors, [aria-invalid=true], .alert-error, [role=alert]"


def is_page(response) -> bool:
    """A whole HTML page (an htmx fragment is checked inside the page that shows it)."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return False
    return whole_page(response)


@dataclass
class Visit:
    live_url: str
    folder: Path
    clients: dict[str, Client]
    pages: dict = field(default_factory=dict)
    axe: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    areas: dict[str, str] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def browser_page(self, new_context, role: str):
        if role not in self.pages:
            context = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
            cookies = self.clients[role].cookies
            context.add_cookies(
                [{"name": k, "value": m.value, "url": self.live_url} for k, m in cookies.items()]
            )
            self.pages[role] = context.new_page()
        return self.pages[role]

    def save(self, key: str, html: bytes | str, area: str) -> None:
        data = html.encode() if isinstance(html, str) else html
        (self.folder / f"{key}.html").write_bytes(data)
        self.areas[f"{key}.html"] = area

    def check(self, page, key: str, area: str) -> None:
        """axe on the page as it is now."""
        self.checked.append(key)
        self.areas[key] = area
        found = axe_violations(page)
        if found:
            self.axe[key] += found

    def open(self, new_context, kind: PageKind) -> bool:
        """Save the server's HTML for vnu and check the live page with axe; False when the
        route gives no page to this caller (a file, a feed, a redirect)."""
        response = self.clients[kind.role].get(kind.path)
        if not is_page(response):
            return False
        self.save(kind.slug, response.content, kind.area)
        page = self.browser_page(new_context, kind.role)
        page.goto(self.live_url + kind.path, wait_until="load")
        if kind.name in READY:
            page.wait_for_selector(READY[kind.name], timeout=15_000)
        self.check(page, kind.slug, kind.area)
        return True

    def fail_submit(self, new_context, kind: PageKind) -> None:
        """The page's main form submitted empty: its errors are checked like the page."""
        page = self.browser_page(new_context, kind.role)
        if not page.evaluate(LARGEST_FORM):
            self.notes.append(f"{kind.name}: no form to submit")
            return
        action = page.eval_on_selector("form[data-ui-check]", FORM_ACTION)
        page.eval_on_selector("form[data-ui-check]", EMPTY_AND_SUBMIT)
        try:
            page.wait_for_selector(FAILED, timeout=5_000)
        except Exception:  # noqa: BLE001 (reported below, not raised: the note names the page)
            self.notes.append(f"{kind.name}: an empty submit showed no error")
        page.wait_for_load_state("networkidle")
        self.check(page, f"{kind.slug}--failed", kind.area)
        response = self.clients[kind.role].post(action, {})
        if response.status_code in (200, 400, 422) and whole_page(response):
            self.save(f"{kind.slug}--failed", response.content, kind.area)


def whole_page(response) -> bool:
    return response.content.lstrip()[:15].lower().startswith(b"<!doctype html")
