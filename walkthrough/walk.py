"""The pieces every scene uses: URLs by name, pages that must exist, steps that say what failed.

Pages are found with ``reverse()`` (and object ids with ``resolve()`` on the page's address),
never with hand-written paths, so the walkthrough follows the URL names as they are refactored
and says which step lost its page when one disappears.
"""

from __future__ import annotations

import contextlib
import email
import re
import time
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError

from .captions import Timeline

MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class StepFailed(RuntimeError):
    """A step of the walkthrough could not be done; the message names the step."""


class Walk:
    def __init__(self, page, base_url: str, timeline: Timeline, out: Path, pause: float):
        self.page = page
        self.base_url = base_url
        self.timeline = timeline
        self.out = out
        self.pause = pause
        self.current = "start"

    @contextlib.contextmanager
    def step(self, key: str, en: str, es: str):
        """One captioned step: its cue starts now, the viewer gets ``pause`` s to read it."""
        self.current = key
        self.timeline.begin(key, {"en": en, "es": es})
        self.page.wait_for_timeout(self.pause * 1000)
        try:
            yield
        except StepFailed:
            raise
        except (PlaywrightError, AssertionError, LookupError, ValueError) as exc:
            shot = self.out / f"failed-{key}.png"
            with contextlib.suppress(PlaywrightError):
                self.page.screenshot(path=str(shot), full_page=True)
            raise StepFailed(
                f"Step “{key}” ({en}) failed at {self.page.url}: {exc}\nScreenshot: {shot}"
            ) from exc
        self.page.wait_for_timeout(self.pause * 400)

    def url(self, name: str, query: str = "", **kwargs) -> str:
        try:
            path = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch as exc:
            raise StepFailed(
                f"Step “{self.current}”: the page {name!r} is missing or takes other arguments "
                f"({exc}). Update walkthrough/scenes.py to the new URL name."
            ) from exc
        return f"{self.base_url}{path}{query}"

    def go(self, name: str, query: str = "", **kwargs) -> None:
        """Open the page named ``name``; a missing page or an error stops with the step's name."""
        target = self.url(name, query, **kwargs)
        response = self.page.goto(target)
        if response is None or response.status >= 400:
            status = response.status if response else "no answer"
            raise StepFailed(f"Step “{self.current}”: {target} answered {status}.")

    def kwarg_of_current_page(self, kwarg: str) -> str:
        """A URL argument (an object's uuid) of the page the browser is on."""
        path = urlsplit(self.page.url).path
        try:
            match = resolve(path)
        except Resolver404 as exc:
            raise StepFailed(f"Step “{self.current}”: {path} is not an Accord page.") from exc
        if kwarg not in match.kwargs:
            raise StepFailed(
                f"Step “{self.current}”: expected a page with {kwarg!r}, got {match.view_name}."
            )
        return str(match.kwargs[kwarg])

    def fill_if_empty(self, selector: str, value: str) -> None:
        if not self.page.input_value(selector).strip():
            self.page.fill(selector, value)

    def mailed_link(self, to: str, url_name: str, kwarg: str, timeout: float = 30) -> str:
        """The path of the newest ``url_name`` link e-mailed to ``to`` (read from the mail files).

        The pattern is built from ``reverse()`` with a placeholder, so it follows the URL.
        """
        placeholder = "WALKTHROUGHPLACEHOLDER"
        pattern = re.escape(reverse(url_name, kwargs={kwarg: placeholder})).replace(
            placeholder, r"[A-Za-z0-9_\-]+"
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in reversed(self._mails_to(to)):
                found = re.search(pattern, body)
                if found:
                    return f"{self.base_url}{found.group(0)}"
            time.sleep(0.5)
        raise StepFailed(
            f"Step “{self.current}”: no e-mail to {to} with a {url_name!r} link arrived in "
            f"{self.out / 'mail'} within {timeout:.0f} s."
        )

    def _mails_to(self, to: str) -> list[str]:
        """Plain-text bodies of the e-mails to ``to``, oldest first."""
        bodies = []
        for path in sorted((self.out / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime):
            for raw in path.read_bytes().split(MAIL_SEPARATOR):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw.lstrip(b"\n"), policy=policy.default)
                if to.lower() not in str(message.get("To", "")).lower():
                    continue
                part = message.get_body(preferencelist=("plain", "html"))
                if part is not None:
                    bodies.append(part.get_content())
        return bodies
