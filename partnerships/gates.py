"""Gates that must pass before a partnership changes phase.

Other apps register their rules here when they load (``AppConfig.ready``) so this app does not
import them: the charters app registers rule 3 (no walk before an executed charter), the
evidence app the sufficiency rule for a go decision. A gate returns a list of human-readable
reasons why the change may not happen; an empty list means it may.
"""

from collections.abc import Callable

Gate = Callable[["object", str], list[str]]

_gates: list[tuple[str, Gate]] = []


def register_gate(name: str, gate: Gate) -> None:
    """Register ``gate(partnership, to_phase) -> [reasons]`` once under ``name``."""
    if not any(existing == name for existing, _ in _gates):
        _gates.append((name, gate))


def phase_change_blockers(partnership, to_phase: str) -> list[str]:
    """Every reason, from every registered gate, that blocks moving to ``to_phase``."""
    reasons: list[str] = []
    for _name, gate in _gates:
        reasons.extend(gate(partnership, to_phase))
    return reasons
