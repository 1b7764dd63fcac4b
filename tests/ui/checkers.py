"""axe-core in the page and the Nu Html Checker over saved pages, as the interface tests use them.

Both come from the npm registry at the versions pinned in ``package.json`` (``make test``
installs them into ``node_modules``); vnu runs on the machine's Java.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# htmx's own attributes (hx-get, hx-target, …) are not in the HTML standard; the standard's
# data-* would be, and htmx reads both. Every other vnu error counts.
# Violations only (no passes or incomplete results to collect: much faster per page).
AXE_RUN = """tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
})"""
VNU_ARGS = ["--errors-only", "--format", "json", "--skip-non-html"]
HTMX_ATTRIBUTE = "Attribute “hx-"


def artifacts(*parts: str) -> Path:
    """A folder under var/ for what the interface tests leave for a reviewer."""
    folder = Path(settings.VAR_DIR).joinpath("ui", *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def tools_missing() -> str:
    missing = [str(p.relative_to(ROOT)) for p in (AXE, VNU) if not p.exists()]
    if not shutil.which("java"):
        missing.append("java")
    return ", ".join(missing)


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations on the page as it is now, one line per node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(AXE_RUN, WCAG)
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{violation['id']}: {target} ({violation['help']})")
    return lines


def vnu_errors(folder: Path) -> dict[str, list[str]]:
    """Every HTML error vnu finds in the folder's pages (one run for all), by file name."""
    run = subprocess.run(  # noqa: S603 (fixed arguments)
        ["java", "-jar", str(VNU), *VNU_ARGS, str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    found: dict[str, list[str]] = {}
    for message in json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]:
        text = message.get("message", "")
        if HTMX_ATTRIBUTE in text:
            continue
        name = Path(message.get("url", "")).name or "?"
        extract = message.get("extract", "").strip().replace("\n", " ")[:120]
        found.setdefault(name, []).append(f"line {message.get('lastLine')}: {text} [{extract}]")
    return found
