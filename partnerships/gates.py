"""Asking the gates before a partnership changes phase.

The gates themselves belong to the apps that know the rule (the charters app: no walk before
an executed charter; the evidence app: enough evidence for a go) and are listed, with the
phases each guards, in ``partnerships.extensions.PHASE_GATES``.
"""

from __future__ import annotations

from .extensions import PHASE_GATES


def phase_change_blockers(partnership, to_phase: str) -> list[str]:
    """Every reason, from every gate that guards ``to_phase``, that blocks the change.

    All gates are asked (not only up to the first refusal) so a person sees everything that is
    missing at once.
    """
    reasons: list[str] = []
    for extension, gate in PHASE_GATES.items():
        if to_phase in extension.phases:
            reasons.extend(gate(partnership, to_phase))
    return reasons
