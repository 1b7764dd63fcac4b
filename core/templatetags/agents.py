"""A user-agent string as a person reads it: "Chrome 131 on Linux" (issue 18.8).

The audit certificate keeps the full string on a detail line; its table column shows this
short form, so a 150-character user agent no longer wraps each row into a tall block.
"""

from __future__ import annotations

import re

from django import template

register = template.Library()

# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"OPR/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
LIMIT = 40


@register.filter
def browser_name(agent) -> str:
    """ "Firefox 128 on Windows"; an agent we do not recognise, cut to 40 characters."""
    agent = str(agent or "").strip()
    if not agent:
        return ""
    browser = next(
        (f"{name} {m.group(1)}" for name, pattern in BROWSERS if (m := pattern.search(agent))),
        "",
    )
    system = next((label for token, label in SYSTEMS if token in agent), "")
    if browser:
        return f"{browser} on {system}" if system else browser
    return agent if len(agent) <= LIMIT else agent[: LIMIT - 1] + "…"
