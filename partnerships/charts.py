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
    url: str = ""


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    total: int


def bar_chart(title: str, rows: list[tuple[str, int]], urls: list[str] | None = None) -> BarChart:
    """Lay out horizontal bars scaled to the largest value (a zero gets no bar, just its 0).

    ``urls`` (one per row) makes each bar a link, e.g. to the partner list filtered by it.
    """
    top = max((value for _label, value in rows), default=0) or 1
    urls = urls or [""] * len(rows)
    bars = []
    for n, ((label, value), url) in enumerate(zip(rows, urls, strict=True)):
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
                url=url,
            )
        )
    height = max(len(rows) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return BarChart(title, bars, WIDTH, height, LABEL_WIDTH, sum(value for _label, value in rows))
