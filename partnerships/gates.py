"""Asking the gates before a partnership changes phase or status.

The gates themselves belong to the apps that know the rule (the charters app: no walk before
an executed charter; the evidence app: enough evidence for a go) and are listed, with the
phases each guards, in ``partnerships.extensions.PHASE_GATES``.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from .extensions import PHASE_GATES, STATUS_GATES


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


def status_change_blockers(partnership, to_status: str) -> list[str]:
    """Every reason, from every gate that guards entering ``to_status``, that blocks it (an
    unwind the partner must confirm first)."""
    reasons: list[str] = []
    for extension, gate in STATUS_GATES.items():
        if to_status in extension.phases:
            reasons.extend(gate(partnership, to_status))
    return reasons


def _applied(registry, guarded: str, partnership, before: str) -> None:
    for extension, _gate in registry.items():
        if guarded in extension.phases and extension.applied:
            hook = extension.applied
            (import_string(hook) if isinstance(hook, str) else hook)(partnership, before)


def phase_changed(partnership, from_phase: str) -> None:
    """Tell the gates that guarded the partnership's new phase that the change happened."""
    _applied(PHASE_GATES, partnership.phase, partnership, from_phase)


def status_changed(partnership, from_status: str) -> None:
    """Tell the gates that guarded the partnership's new status that the change happened."""
    _applied(STATUS_GATES, partnership.status, partnership, from_status)
