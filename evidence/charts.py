"""Server-rendered SVG for the trend view (no JavaScript, no inline styles: CSP-safe)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import TrendPoint

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 110, 16, 16, 56
QUALITY_LABELS = ["Anecdote", "Demo", "Pilot", "Real"]


def trend_svg(points: list[TrendPoint]) -> SafeString:
    """Monthly mean evidence quality as a line; strained and violated entries as bars.

    All text is escaped; numbers are formatted here, so the markup is safe to emit.
    """
    if not points:
        return mark_safe("")
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / len(points)
    max_trouble = max([p.strained + p.violated for p in points] + [1])

    def yq(value: float) -> float:
        return TOP + plot_h - (value / 3) * plot_h

    parts: list[str] = []
    for rank, label in enumerate(QUALITY_LABELS):
        y = yq(rank)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="chart-grid"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" class="chart-axis" '
            f'text-anchor="end">{label}</text>'
        )
    dots = []
    for i, p in enumerate(points):
        x = LEFT + step * i + step / 2
        bar_w = max(step * 0.25, 3)
        month = escape(p.month.strftime("%b %Y"))
        for offset, value, css, word in (
            (-bar_w, p.strained, "chart-strained", "strained"),
            (0, p.violated, "chart-violated", "violated"),
        ):
            if value:
                h = value / max_trouble * plot_h * 0.4
                parts.append(
                    f'<rect x="{x + offset:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" '
                    f'height="{h:.1f}" class="{css}"><title>{month}: {value} {word}</title></rect>'
                )
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" class="chart-axis" '
            f'text-anchor="middle">{escape(p.month.strftime("%b"))}</text>'
        )
        if p.count:
            dots.append((x, yq(p.avg_quality), month, p))
    if len(dots) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _m, _p in dots)
        parts.append(f'<polyline points="{path}" class="chart-line" fill="none"/>')
    for x, y, month, p in dots:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="chart-dot"><title>{month}: '
            f"{p.count} {'entry' if p.count == 1 else 'entries'}, "
            f"mean quality {p.avg_quality:.1f} of 3</title></circle>"
        )
    ly = HEIGHT - 14
    parts.append(
        f'<circle cx="{LEFT}" cy="{ly - 4}" r="4" class="chart-dot"/>'
        f'<text x="{LEFT + 8}" y="{ly}" class="chart-axis">mean quality</text>'
        f'<rect x="{LEFT + 110}" y="{ly - 10}" width="10" height="10" class="chart-strained"/>'
        f'<text x="{LEFT + 124}" y="{ly}" class="chart-axis">strained</text>'
        f'<rect x="{LEFT + 200}" y="{ly - 10}" width="10" height="10" class="chart-violated"/>'
        f'<text x="{LEFT + 214}" y="{ly}" class="chart-axis">violated</text>'
    )
    return mark_safe(  # noqa: S308 — every interpolated text is escaped above
        f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="trend-title"><title id="trend-title">Evidence quality and boundary '
        f"status by month</title>{''.join(parts)}</svg>"
    )
