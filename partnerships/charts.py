"""Server-rendered SVG bar charts for the dashboard: no chart library, nothing from a CDN."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120
BAR_MAX = 200
WIDTH = LABEL_WIDTH + BAR_MAX + 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int
    text_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    total: int


def bar_chart(title: str, rows: list[tuple[str, int]]) -> BarChart:
    """Lay out horizontal bars scaled to the largest value (a zero gets no bar, just its 0)."""
    top = max((value for _label, value in rows), default=0) or 1
    bars = []
    for n, (label, value) in enumerate(rows):
        y = n * (BAR_HEIGHT + GAP)
        width = round(BAR_MAX * value / top)
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT // 2 + 5,
                text_x=LABEL_WIDTH + width + 6,
            )
        )
    height = max(len(rows) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return BarChart(title, bars, WIDTH, height, LABEL_WIDTH, sum(v for _l, v in rows))
