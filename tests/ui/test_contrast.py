"""The focus ring and the form fields' borders are visible on every background of the app:
at least 3:1 (WCAG 2.1 1.4.11, non-text contrast; axe does not measure either)."""

from __future__ import annotations

import re

from django.conf import settings

CSS = settings.BASE_DIR / "static" / "css"
TOPBAR = "#0f172a"


def _variables() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", (CSS / "accord.css").read_text(), re.S).group(1)
    found = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?)\b", root))
    return {k: v if len(v) == 7 else "#" + "".join(c * 2 for c in v[1:]) for k, v in found.items()}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_focus_ring_and_field_borders_reach_3_to_1_on_every_background():
    v = _variables()
    backgrounds = {
        "page": v["bg"],
        "card": v["card"],
        "top bar": TOPBAR,
        "highlight": v["brand-soft"],
        "good": v["ok-soft"],
        "warning": v["warn-soft"],
        "bad": v["bad-soft"],
    }
    for name in ("focus", "field-line"):
        low = {where: round(contrast(v[name], bg), 2) for where, bg in backgrounds.items()}
        assert min(low.values()) >= 3, f"--{name} {v[name]}: {low}"


def test_no_stylesheet_removes_the_focus_ring():
    for sheet in CSS.glob("*.css"):
        text = sheet.read_text()
        assert not re.search(r":focus[^{]*{[^}]*outline:\s*(none|0)\b", text), sheet.name


def test_the_contrast_formula_matches_wcag():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
