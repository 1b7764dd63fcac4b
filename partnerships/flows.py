"""Recording a decision flow's outcome and applying the choice.

``flow_record`` stores what the tree recommended and what the person chose (with a reason when
they differ) and then applies the choice through the same services everything else uses. The
trees themselves are data in ``partnerships.trees``.

A go / no-go recommends what can actually be done: when the tree says go but a phase gate
refuses it (no executed charter, not enough evidence), the recommendation is "not yet", with
what is missing, instead of a go that would be refused.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization

from .gates import phase_change_blockers
from .models import FlowRun, Partner, Partnership, Phase, Status
from .services import partnership_change_phase, partnership_change_status
from .timeline import flow_event_record
from .trees import (
    FLOWS,
    Flow,
    FlowState,
    Question,  # noqa: F401  (re-exported: api.routes.phases imports it from here)
    choice_label,
    flow_walk,
)

# The go / no-go flows: the phase they decide on, and the phase a go moves to.
GO_PHASES = {
    FlowRun.Kind.CRAWL_TO_WALK: (Phase.CRAWL, Phase.WALK),
    FlowRun.Kind.WALK_TO_RUN: (Phase.WALK, Phase.RUN),
}
NOT_YET = "wait"


def go_blockers(kind: str, partnership: Partnership | None) -> list[str]:
    """What the gates would say to a go now ([] for other flows or a partnership in another
    phase, which the flow refuses for its own reason)."""
    if kind not in GO_PHASES or partnership is None:
        return []
    current, following = GO_PHASES[kind]
    if partnership.phase != current:
        return []
    return phase_change_blockers(partnership, following)


def recommendation(flow: Flow, state: FlowState, blockers: list[str]) -> str | None:
    """What the flow recommends: the tree's outcome, except that a go a gate refuses becomes
    "not yet" — recommending a go that cannot be recorded would send people into a wall."""
    if state.outcome_key == "go" and blockers and NOT_YET in flow.nodes:
        return NOT_YET
    return state.outcome_key


@transaction.atomic
def flow_record(
    *,
    organization: Organization,
    kind: str,
    answers: dict[str, str],
    final_choice: str,
    override_reason: str = "",
    actor,
    partnership: Partnership | None = None,
    partner: Partner | None = None,
    subject: str = "",
    success_criteria: str = "",
    run_uuid: uuid.UUID | None = None,
) -> FlowRun:
    """Record a completed flow and apply the final choice.

    ``run_uuid`` comes from the form (made when the decision form was rendered): submitting
    the same form twice returns the first run instead of deciding twice.

    The recommendation is recomputed here from the answers, never taken from the form, so the
    trail shows what the tree really said. Overriding it needs a reason (the seed's trees are
    defaults, not orders, but a departure must be defensible later).

    Applying a choice: a tier is set on the partnership; a go moves the phase through
    ``partnership_change_phase`` (a go that a gate refuses raises ValidationError listing every
    gate's reason under ``phase`` — nothing is recorded then); "not yet" records the decision
    and what is missing, and changes nothing; a no-go ends the partnership or restarts Crawl;
    the program choice becomes the organization's ``partner_program``.
    """
    if run_uuid is not None:
        existing = FlowRun.objects.filter(uuid=run_uuid).first()
        if existing is not None:
            if existing.organization_id != organization.pk or existing.kind != kind:
                raise ValidationError({"__all__": "This form was already used elsewhere."})
            return existing
    flow = FLOWS[kind]
    state = flow_walk(flow, answers)
    if state.outcome_key is None:
        raise ValidationError({"__all__": "Answer every question before deciding."})
    if final_choice not in dict(flow.choices):
        raise ValidationError({"final_choice": "Choose one of the options."})
    blockers = go_blockers(kind, partnership)
    if final_choice == "go" and blockers:
        raise ValidationError({"phase": blockers})
    recommended = recommendation(flow, state, blockers)
    override_reason = override_reason.strip()
    if final_choice != recommended and not override_reason:
        raise ValidationError(
            {"override_reason": "You chose differently from the recommendation: say why."}
        )
    needs_partnership = kind not in (FlowRun.Kind.PROGRAM, FlowRun.Kind.BUILD_VS_PARTNER)
    if needs_partnership and partnership is None:
        raise ValidationError({"__all__": "This flow needs a partnership."})
    if partnership is not None and partnership.status == Status.ENDED:
        raise ValidationError({"__all__": "This partnership has ended; nothing is left to decide."})
    run = FlowRun.objects.create(
        **({"uuid": run_uuid} if run_uuid else {}),
        organization=organization,
        kind=kind,
        partnership=partnership,
        partner=partner or (partnership.partner if partnership else None),
        subject=subject[:200],
        answers=state.answers,
        recommendation=recommended,
        final_choice=final_choice,
        override_reason=override_reason,
        decided_by=actor,
    )
    _apply(run, flow, actor=actor, success_criteria=success_criteria)
    if partnership is not None:
        flow_event_record(run=run, partnership=partnership, actor=actor, missing=blockers)
    return run


def _apply(run: FlowRun, flow: Flow, *, actor, success_criteria: str) -> None:
    partnership = run.partnership
    choice = run.final_choice
    reason = f"{flow.title}: {choice_label(flow, choice)}"
    if run.override_reason:
        reason += f" (override: {run.override_reason})"
    if run.kind == FlowRun.Kind.TIER:
        Partnership.objects.filter(pk=partnership.pk).update(tier=int(choice))
        partnership.tier = int(choice)
    elif run.kind == FlowRun.Kind.PROGRAM:
        Organization.objects.filter(pk=run.organization_id).update(partner_program=choice)
        run.organization.partner_program = choice
    elif run.kind in (FlowRun.Kind.CRAWL_TO_WALK, FlowRun.Kind.WALK_TO_RUN):
        expected, to_phase = GO_PHASES[run.kind]
        if partnership.phase != expected:
            raise ValidationError(
                {"__all__": f"This go / no-go is for a partnership in {Phase(expected).label}."}
            )
        if choice == NOT_YET:
            return  # the decision and what is missing are on the timeline; nothing changes
        if choice == "go":
            partnership_change_phase(
                partnership=partnership,
                to_phase=to_phase,
                actor=actor,
                reason=reason,
                success_criteria=success_criteria,
            )
        elif choice == "restart":
            # A step back to learn, not a go: the launch gates do not apply to it.
            partnership_change_phase(
                partnership=partnership,
                to_phase=Phase.CRAWL,
                actor=actor,
                reason=reason,
                success_criteria=success_criteria,
                enforce_gates=False,
            )
        else:
            partnership_change_status(
                partnership=partnership, to_status=Status.ENDED, actor=actor, reason=reason
            )
