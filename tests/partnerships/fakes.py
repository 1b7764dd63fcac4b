"""Stand-ins for other apps' gates and panels, switched on with ``Registry.only``."""

from partnerships.extensions import Extension
from partnerships.models import Phase


def fake_gate(reasons, *, name: str = "fake", phases=tuple(Phase.values)) -> Extension:
    """A gate for a test: ``reasons(partnership, to_phase)``, guarding every phase by default."""
    return Extension(name, reasons, phases=phases)


def fake_panel(panel, *, name: str = "fake") -> Extension:
    """A panel for a test: ``panel(request, partnership) -> dict | None``."""
    return Extension(name, panel)
