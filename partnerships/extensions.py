"""Panels other apps contribute to the dashboard and to the partnership page.

The partnerships app does not import the apps that build on it (fit cards, evidence,
charters, reviews). Instead each of them registers a panel in its ``AppConfig.ready``:

    register_partnership_panel("evidence", evidence_panel, order=20)

A panel is ``panel(request, partnership) -> dict | None`` (``partnership`` is None on the
dashboard). The dict must contain ``template`` (included with the dict as ``panel``) and any
context it needs. Each panel must run a constant number of queries.
"""

from collections.abc import Callable

Panel = Callable[..., dict | None]

_dashboard: dict[str, tuple[int, Panel]] = {}
_partnership: dict[str, tuple[int, Panel]] = {}


def register_dashboard_panel(name: str, panel: Panel, order: int = 50) -> None:
    _dashboard[name] = (order, panel)


def register_partnership_panel(name: str, panel: Panel, order: int = 50) -> None:
    _partnership[name] = (order, panel)


def _render(registry, request, partnership) -> list[dict]:
    panels = []
    for _order, panel in sorted(registry.values(), key=lambda item: item[0]):
        result = panel(request, partnership)
        if result:
            panels.append(result)
    return panels


def dashboard_panels(request) -> list[dict]:
    return _render(_dashboard, request, None)


def partnership_panels(request, partnership) -> list[dict]:
    return _render(_partnership, request, partnership)
